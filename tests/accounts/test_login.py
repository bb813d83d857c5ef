from django.urls import reverse


def test_repeated_failed_logins_lock_the_username_out(client, owner):
    url = reverse("login")
    codes = [client.post(url, {"username": owner.username, "password": "wrong"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the form again with its error, then the lock-out on the 5th
    locked = client.post(url, {"username": owner.username, "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()


def test_a_good_login_works_and_pages_need_it(client, owner):
    assert client.get(reverse("projects:list")).status_code == 302
    response = client.post(reverse("login"), {"username": owner.username, "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get(reverse("projects:list")).status_code == 200
