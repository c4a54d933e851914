"""Schemathesis against the whole platform: the gateway in front of the real services on
PostgreSQL and Kafka, each generated call made with the token of every role. What the fake
upstreams of the gateway's own run cannot show is checked here: no input a client can send
makes a service fail (no 5xx), and every answer keeps the schema the document gives.

It writes whatever the generated bodies say (rules, budgets, closed days), so it runs after
the other end-to-end tests (`mutates_platform`, see tests/conftest.py).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from services.gateway.app import app
from services.gateway.tests.conftest import settings as gateway_settings

# ~80 operations, each case called as one of the roles (drawn with the case): a couple of
# minutes on a busy machine.
EXAMPLES_PER_OPERATION = 6
ROLES = ["backoffice", "finance", "programma", "admin", "corlaer", "voorbeeld-bouw"]

schema = schemathesis.openapi.from_dict(app(gateway_settings()).openapi())


@pytest.fixture(scope="module")
def tokens(platform) -> dict[str, dict[str, str]]:
    return {role: platform.token(role) for role in ROLES}


@pytest.mark.integration
@pytest.mark.mutates_platform
@schema.parametrize()
@schema.given(role=st.sampled_from(ROLES))
# Generated cases only: the document's examples cannot carry a drawn role (schemathesis).
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_service_fail_for_any_role(case, role, platform, tokens):
    case.call_and_validate(
        base_url=platform.gateway.removesuffix("/api/v1"),
        headers=tokens[role],
        timeout=30,
        checks=[not_a_server_error, response_schema_conformance],
    )
