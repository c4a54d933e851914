"""The periodic task that lets lapsed offers go: their seats pass to the next waiting group.
The deadlines are stored, so a restart only delays a lapse."""

from services.events.commands import lapse_offers
from shared.periodic import Periodic
from shared.service import Runtime

# How often lapsed offers are looked for: a place waits at most this long past its deadline.
LAPSE_POLL_SECONDS = 60.0


async def lapse_offers_forever(rt: Runtime) -> None:
    """The periodic task: the store down, the next round tries again, never giving up."""
    await Periodic(lambda: lapse_offers(rt), LAPSE_POLL_SECONDS, "lapsing offers failed").run()
