import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config.wsgi import application


@pytest.fixture
def api_schema(db):
    """The API's OpenAPI schema, its requests sent straight to the WSGI app inside the test's transaction."""
    # Keep Django from closing the connection at the end of each request, as its test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
