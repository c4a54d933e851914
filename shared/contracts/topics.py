"""Kafka topics of the platform: `tft.<service>.<aggregate>`, each with a `<topic>.dlt`.

The topic names who owns it (the only service that publishes on it, with the envelope
source `/tft/<service>`), and `SUBSCRIPTIONS` says which service reads which topics: the
services subscribe from it and the broker's ACLs are derived from it (`shared.messaging.acl`).
"""

BOOKING = "tft.bookings.booking"
OFFERING = "tft.bookings.offering"
LOAN_ITEM = "tft.loans.item"
LOAN_RESERVATION = "tft.loans.reservation"
EVENT = "tft.events.event"
REGISTRATION = "tft.events.registration"
DECLARATION = "tft.finance.declaration"
NOTIFICATION = "tft.notify.notification"
ORGANISATION = "tft.directory.organisation"
PERSON = "tft.directory.person"

EVENT_TOPICS = [
    BOOKING,
    OFFERING,
    LOAN_ITEM,
    LOAN_RESERVATION,
    EVENT,
    REGISTRATION,
    DECLARATION,
    NOTIFICATION,
    ORGANISATION,
    PERSON,
]

# Each service's consumer group (named after the service) and the topics it reads.
SUBSCRIPTIONS: dict[str, list[str]] = {
    "bookings": [LOAN_RESERVATION],  # loans' answers to equipment requests: the saga
    "loans": [BOOKING],
    "events": [LOAN_ITEM],
    "finance": [BOOKING, EVENT, LOAN_RESERVATION],
    "notify": [
        BOOKING,
        OFFERING,
        LOAN_RESERVATION,
        EVENT,
        REGISTRATION,
        DECLARATION,
        ORGANISATION,
        PERSON,
    ],
}


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlt"


def owner(topic: str) -> str:
    """The service a `tft.<service>.…` topic (or its dead-letter topic) belongs to."""
    prefix, _, rest = topic.partition(".")
    service = rest.partition(".")[0]
    if prefix != "tft" or not service:
        raise ValueError(f"not a platform topic: {topic!r}")
    return service


def topic_prefix(service: str) -> str:
    """Every topic a service owns starts with this."""
    return f"tft.{service}."


def event_source(service: str) -> str:
    """The CloudEvents `source` of the events a service publishes."""
    return f"/tft/{service}"


# The services that publish: every topic's owner.
PUBLISHERS = sorted({owner(t) for t in EVENT_TOPICS})
ALL_TOPICS = EVENT_TOPICS + [dead_letter_topic(t) for t in EVENT_TOPICS]
