from django.contrib.auth.models import AbstractUser
from rest_framework.authtoken.models import Token


class User(AbstractUser):
    """Lector's user; a custom model from day one so profile fields can be added without a migration dance."""

    def save(self, *args, **kwargs):
        # Django keeps the new raw password in _password from set_password() until the save, on every path that
        # changes a password (the password-change page, the admin, `manage.py changepassword`, scripts), and leaves
        # it None when it merely upgrades the hash of an unchanged password at login. So this is the one place
        # where a changed password revokes the API token that the old password obtained.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            Token.objects.filter(user=self).delete()
