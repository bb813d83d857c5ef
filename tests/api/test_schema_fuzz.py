"""Schemathesis generates requests from /api/schema/ and finds no 5xx and no response that breaks the schema.

Deterministic in `make test`: Hypothesis is derandomized (its seed comes from the test's name), and every request it
ever failed on is a plain test in tests/api/test_fuzz_regressions.py. `make fuzz` (LECTOR_FUZZ_EXPLORE=1) runs the
same tests with fresh random seeds and LECTOR_FUZZ_EXAMPLES (1,000 by default) examples per operation, the stateful
run (chains of calls that follow the schema's links) included; what it finds is kept in tests/api/fuzz-examples/
(committed) and replayed first by every later `make fuzz`."""

import os
from pathlib import Path

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory

EXAMPLES = int(os.environ.get("LECTOR_FUZZ_EXAMPLES", "25"))  # bounded in `make test`; `make fuzz` digs
EXPLORE = os.environ.get("LECTOR_FUZZ_EXPLORE") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=not EXPLORE,
    database=DirectoryBasedExampleDatabase(Path(__file__).parent / "fuzz-examples") if EXPLORE else None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def token_headers(owner, project):
    document = DocumentFactory(project=project, text="About 3,000 people 👩🏽‍🚒 left Baghuz.\n\nقال مصطفى بالي")
    AnnotationFactory(document=document)
    client = token_client(owner)
    # Schemathesis's WSGI transport asks for gzip but does not decompress what it gets, as HTTP clients do.
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"], "Accept-Encoding": "identity"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_never_fails_and_keeps_to_its_schema(case, token_headers):
    case.call_and_validate(headers=token_headers, checks=CHECKS)


def test_chains_of_calls_never_fail(api_schema, token_headers):
    """The stateful run: create a document, then read, patch and annotate it, following the schema's links."""

    class Calls(api_schema.as_state_machine()):
        # Each scenario starts from the same rows: Hypothesis replays a scenario to shrink it, and one that met the
        # rows an earlier scenario left behind draws differently (FlakyStrategyDefinition, seen in `make fuzz`).
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": token_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    run_state_machine_as_test(
        Calls, settings=settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 5, 5), stateful_step_count=6)
    )
