"""Schemathesis generates requests from /api/schema/ and finds no 5xx and no response that breaks the schema."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory


@pytest.fixture
def api_schema(db):
    # Requests go straight to the WSGI app, inside the test's transaction: keep Django from closing the
    # connection at the end of each request, as its test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(owner, project):
    document = DocumentFactory(project=project, text="About 3,000 people 👩🏽‍🚒 left Baghuz.\n\nقال مصطفى بالي")
    AnnotationFactory(document=document)
    client = token_client(owner)
    # Schemathesis's WSGI transport asks for gzip but does not decompress what it gets, as HTTP clients do.
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"], "Accept-Encoding": "identity"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("LECTOR_FUZZ_EXAMPLES", "25")),  # bounded in CI; raise it locally to dig
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails_and_keeps_to_its_schema(case, token_headers):
    case.call_and_validate(
        headers=token_headers,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
