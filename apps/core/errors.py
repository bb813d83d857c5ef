"""Errors shared by every app. They name no domain: each app subclasses them."""


class Conflict(Exception):
    """A write refused because what it was based on changed meanwhile; the API and the pages answer 409 with the
    message, under `field` (the part of the request that went stale)."""

    field = "non_field_errors"

    def payload(self) -> dict:
        return {self.field: [str(self)]}
