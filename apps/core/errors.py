"""Errors shared by every app. They name no domain: each app subclasses them."""

from django.core.exceptions import ValidationError


def error_messages(error: ValidationError) -> list[str]:
    """A ValidationError as lines for a page: "field: message", or the message alone when it names no field."""
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


class Conflict(Exception):
    """A write refused because what it was based on changed meanwhile; the API and the pages answer 409 with the
    message, under `field` (the part of the request that went stale)."""

    field = "non_field_errors"

    def payload(self) -> dict:
        return {self.field: [str(self)]}
