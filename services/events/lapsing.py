"""The periodic task that lets lapsed offers go: their seats pass to the next waiting group.
The deadlines are stored, so a restart only delays a lapse."""

import asyncio

from services.events.commands import lapse_offers
from shared.observability.logging import log
from shared.service import Runtime

# How often lapsed offers are looked for: a place waits at most this long past its deadline.
LAPSE_POLL_SECONDS = 60.0


async def lapse_offers_forever(rt: Runtime) -> None:
    """The periodic task: the deadlines are stored, so a restart only delays a lapse."""
    while True:
        try:
            await lapse_offers(rt)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # store down: try again next round, never give up
            log.warning("lapsing offers failed", error=repr(exc))
        await asyncio.sleep(LAPSE_POLL_SECONDS)
