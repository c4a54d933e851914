"""People sign in against the directory, and a token works only while its person is active.

The directory is the authority on people: the gateway sends it the user name and password
(the directory checks the argon2id hash) and asks it, per token subject, whether that person
is still active with the token's role and organisation. Answers are cached for
`TFT_PERSON_CHECK_SECONDS`, so a deactivation takes effect within that time; while the
directory cannot be reached the last answer stands, and without one the call gets 503.
"""

from services.gateway.auth import OidcIssuer, Principal, TokenService, Unauthenticated, Verifier
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Upstreams
from shared.clock import SYSTEM_CLOCK, Clock
from shared.http import Problem

DIRECTORY = "directory"


async def sign_in(upstreams: Upstreams, username: str, password: str) -> Principal:
    status, answer = await upstreams.ask(
        DIRECTORY, "POST", "/sign-in", body={"username": username, "password": password}
    )
    if status != 200:
        raise Unauthenticated("onbekende gebruiker of onjuist wachtwoord")
    return Principal(answer["subject"], answer["role"], answer["organisation"])


class ActivePeople:
    """A `Verifier`: the gateway's own token, and its person still active as the token says."""

    def __init__(
        self,
        tokens: Verifier,
        upstreams: Upstreams,
        cache_seconds: float,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._tokens, self._upstreams = tokens, upstreams
        self._cache_seconds, self._clock = cache_seconds, clock
        self._known: dict[str, tuple[float, Principal | None]] = {}

    async def verify(self, token: str) -> Principal:
        who = await self._tokens.verify(token)
        if await self._current(who.subject) != who:
            raise Unauthenticated("dit account is gedeactiveerd of gewijzigd; meld u opnieuw aan")
        return who

    async def _current(self, subject: str) -> Principal | None:
        """The person as the directory has them now (None: unknown or not active)."""
        asked_at, known = self._known.get(subject, (float("-inf"), None))
        if self._clock.monotonic() - asked_at < self._cache_seconds:
            return known
        try:
            status, answer = await self._upstreams.ask(
                DIRECTORY, "GET", f"/people/{subject}/standing"
            )
        except Problem:
            if subject in self._known:
                return known  # the directory is away: its last answer stands
            raise
        known = (
            Principal(answer["subject"], answer["role"], answer["organisation"])
            if status == 200 and answer["active"]
            else None
        )
        self._known[subject] = (self._clock.monotonic(), known)
        return known


def verifier_for(settings: GatewaySettings, tokens: TokenService, upstreams: Upstreams) -> Verifier:
    """The external issuer when one is configured (its people are its own business), else
    the gateway's own tokens of people the directory knows as active."""
    if settings.oidc_issuer:
        return OidcIssuer.for_settings(settings)
    return ActivePeople(tokens, upstreams, settings.person_check_seconds)
