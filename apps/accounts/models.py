from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Lector's user; a custom model from day one so profile fields can be added without a migration dance."""
