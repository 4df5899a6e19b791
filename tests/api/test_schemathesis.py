"""Schemathesis over the published OpenAPI document: no input produces a 5xx.

Every operation, on SQLite and on PostgreSQL, each on a fresh database holding the
schema's example product and order and a valid key (so generated requests reach the
services, not only the validators): positive and negative cases, the coverage and
example phases, unexpected methods and content types. Then short stateful workflows
(place -> read -> cancel) along the links schemathesis infers. Bounded to stay well
under a minute; set SCHEMATHESIS_EXAMPLES / SCHEMATHESIS_WORKFLOWS to explore more
(500 examples per operation found nothing either).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dashboard.api.app import api
from dashboard.services import orders
from dashboard.services.db import write_session
from fulfil_testkit.factories import SHOP, add_product, order_in
from tests.api.conftest import make_key

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api)
schema.config.generation.update(
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "80")), deterministic=True
)


@pytest.fixture
def fuzz_key(db_url, monkeypatch) -> str:
    """A database with the schema's example product and order, and a key for it."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    add_product(db_url, "MUG-BLUE-350", on_hand=50)
    with write_session(db_url) as s:
        orders.place_order(s, actor=SHOP, order_in=order_in(("MUG-BLUE-350", 1)))  # 100001
    return make_key(db_url, "fuzzer")


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_no_input_produces_a_server_error(case, fuzz_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_key}"},
                           checks=[not_a_server_error])


def test_workflows_produce_no_server_error(fuzz_key):
    """Stateful: place an order, then read, cancel, adjust and re-read what it created
    (schemathesis infers the links from the schema)."""
    auth_header = {"Authorization": f"Bearer {fuzz_key}"}

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": auth_header}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=[not_a_server_error],
                                   transport_kwargs=kwargs or None, recorder=self.recorder)

    Workflow.run(settings=settings(
        max_examples=int(os.environ.get("SCHEMATHESIS_WORKFLOWS", "15")),
        stateful_step_count=6, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    ))
