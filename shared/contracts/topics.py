"""Kafka topics of the platform: `tft.<service>.<aggregate>`, each with a `<topic>.dlt`."""

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

EVENT_TOPICS = [BOOKING, OFFERING, LOAN_ITEM, LOAN_RESERVATION, EVENT, REGISTRATION, DECLARATION,
                NOTIFICATION, ORGANISATION, PERSON]


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlt"


ALL_TOPICS = EVENT_TOPICS + [dead_letter_topic(t) for t in EVENT_TOPICS]
