"""notify restarted against a real SMTP server (aiosmtpd in the test process), for the
tests that read what it mails: the `mail` fixture, and what reading the mails takes."""

import pytest

from services.notify.mailbox import Mailbox, serve
from tests.harness import Platform, eventually
from tests.test_faults import scalar

# Reminder runs only when notify starts (and then hourly): the kill test starts them itself.
FAST = {
    "TFT_NOTIFY_MAX_ATTEMPTS": "3",
    "TFT_NOTIFY_BACKOFF_SECONDS": "0.2",
    "TFT_NOTIFY_DISPATCH_POLL_SECONDS": "0.2",
    "TFT_NOTIFY_REMINDER_POLL_SECONDS": "3600",
    "TFT_NOTIFY_DISPATCH_LEASE_SECONDS": "3",
}


@pytest.fixture(scope="module")
def mail(platform: Platform):
    """notify restarted against a real SMTP server; the usual notify again afterwards."""
    box = Mailbox()
    controller = serve(box)
    notify = platform.processes["notify"]
    settings = {**FAST, "TFT_NOTIFY_SMTP_PORT": str(controller.port)}
    notify.stop()
    platform.restart("notify", **settings)
    box.settings = settings  # type: ignore[attr-defined]
    # Messages reach people notify knows from the directory's events: wait for the demo's.
    eventually(
        lambda: (
            scalar(
                platform,
                "notify",
                "select count(*) from people where active and id = any(:ids)",
                ids=list(DEMO_PEOPLE),
            )
            == len(DEMO_PEOPLE)
        )
    )
    yield box
    notify.stop()
    platform.restart("notify")
    controller.stop()


# Demo people the mail tests write to: notify must know them before a test starts.
DEMO_PEOPLE = ("corlaer", "docent-corlaer", "axia", "trivium", "nxt", "element", "backoffice")


def demo_address(person_id: str) -> str:
    """The directory's demo people have these addresses: notify takes them from it."""
    return f"{person_id}@demo.tisfortech.example"


def subjects(box: Mailbox, address: str, containing: str) -> list[str]:
    return [m["Subject"] for m in box.to(address) if containing in m["Subject"]]
