"""The broker's ACLs come from one table: each topic's owner writes it, and `SUBSCRIPTIONS`,
from which the services subscribe, says who reads it."""

import importlib

import pytest

from shared.contracts.topics import (
    BOOKING,
    DECLARATION,
    EVENT_TOPICS,
    SUBSCRIPTIONS,
    dead_letter_topic,
    owner,
)
from shared.messaging.acl import SERVICES, Acl, service_acls


def test_a_topic_belongs_to_the_service_its_name_says():
    assert owner(BOOKING) == owner(dead_letter_topic(BOOKING)) == "bookings"
    with pytest.raises(ValueError, match="not a platform topic"):
        owner("bench.raw")


def test_finance_writes_its_own_topics_and_reads_what_it_consumes_in_its_group():
    assert set(service_acls("finance")) == {
        Acl("finance", "topic", "tft.finance.", True, "write"),
        *(Acl("finance", "topic", t, False, "read") for t in SUBSCRIPTIONS["finance"]),
        *(
            Acl("finance", "topic", dead_letter_topic(t), False, "write")
            for t in SUBSCRIPTIONS["finance"]
        ),
        Acl("finance", "group", "finance", False, "read"),
    }


def test_a_service_that_consumes_nothing_joins_no_group_and_reads_nothing():
    assert service_acls("directory") == [Acl("directory", "topic", "tft.directory.", True, "write")]


def test_every_topic_has_a_publishing_principal_and_the_gateway_has_none():
    assert {owner(t) for t in EVENT_TOPICS} <= set(SERVICES)
    assert "gateway" not in SERVICES
    assert all(
        acl.name != DECLARATION or acl.operation == "read"
        for s in SERVICES
        if s != "finance"
        for acl in service_acls(s)
    )


@pytest.mark.parametrize("service", sorted(SUBSCRIPTIONS))
def test_each_service_consumes_exactly_what_its_acls_allow(service):
    spec = importlib.import_module(f"services.{service}.app").SPEC
    assert [(c.name, list(c.topics)) for c in spec.consumers] == [(service, SUBSCRIPTIONS[service])]
