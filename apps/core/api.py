"""Shared API pieces: one exception handler and one pagination for every endpoint."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import Conflict

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `page_size` up to 1000 (default 50)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def validation_error_detail(error: ValidationError) -> dict:
    """A Django ValidationError as DRF's {field: [messages]} (non-field errors under non_field_errors)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): msgs for field, msgs in error.message_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def exception_handler(exc, context):
    """Map the services' Django exceptions to the same JSON errors DRF gives, so no rule ever answers 500."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, Conflict):
        return Response(exc.payload(), status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("Database error answered 503: %r", exc)
        # The connection was lost (a database restart, a terminated backend) or the database gave up (a deadlock):
        # the transaction did not commit, and the next request reconnects (CONN_HEALTH_CHECKS): a retryable 503.
        return Response(
            {"non_field_errors": ["The database is unavailable or busy; your request was not completed. Try again."]},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"non_field_errors": ["The request body is too large (the limit is 10 MB)."]},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return drf_exception_handler(exc, context)
