import pytest


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/schema/"])
def test_responses_carry_the_policy(client, db, path):
    directives = dict(d.strip().split(" ", 1) for d in client.get(path)["Content-Security-Policy"].split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
