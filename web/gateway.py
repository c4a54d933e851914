"""The gateway's /api/v1 over HTTP: the only system the front end talks to.

Every call carries the signed-in person's token; a 401 means the token is gone or expired
(`SignedOut`), any other refusal becomes an `ApiProblem` with the problem details' fields.
"""

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx


class SignedOut(Exception):
    """The gateway no longer accepts the token: the person must sign in again."""


@dataclass
class ApiProblem(Exception):
    """A refusal from the API (RFC 9457 problem details)."""

    status: int
    title: str = ""
    detail: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, response: httpx.Response) -> "ApiProblem":
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        known = {"type", "title", "status", "detail", "errors"}
        return cls(
            response.status_code,
            str(body.get("title", "")),
            str(body.get("detail", "")),
            [e for e in body.get("errors", []) if isinstance(e, dict)],
            {k: v for k, v in body.items() if k not in known},
        )


UNREACHABLE = ApiProblem(
    503, "Service unavailable", "Het platform is even niet bereikbaar. Probeer het zo opnieuw."
)


@dataclass(frozen=True)
class Login:
    token: str
    expires_in: int
    username: str
    role: str
    organisation: str


class Gateway:
    def __init__(
        self, base_url: str, timeout: float, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            timeout=timeout,
            transport=transport,
            trust_env=False,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def login(self, username: str, password: str) -> Login | None:
        """A token for the account, or None when the name or password is wrong."""
        response = await self._send(
            "POST", "/auth/token", None, json={"username": username, "password": password}
        )
        if response.status_code in (401, 422):
            return None
        body = self._checked(response)
        claims = token_claims(body["access_token"])
        return Login(
            body["access_token"],
            int(body["expires_in"]),
            username,
            str(claims.get("role", "")),
            str(claims.get("org", "")),
        )

    async def get(self, token: str, path: str, params: dict[str, Any] | None = None) -> Any:
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        return self._checked(await self._send("GET", path, token, params=query))

    async def post(
        self,
        token: str | None,
        path: str,
        body: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._checked(await self._send("POST", path, token, json=body, headers=headers))

    async def download(self, token: str, path: str, params: dict[str, Any]) -> httpx.Response:
        """A file (a report) as a streamed response, to pass on to the browser as it comes;
        the caller closes it. A refusal is raised as by `get`."""
        query = {k: v for k, v in params.items() if v not in (None, "")}
        response = await self._send("GET", path, token, stream=True, params=query)
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            self._checked(response)
        return response

    async def get_versioned(self, token: str, path: str) -> tuple[Any, str]:
        """What `get` gives, and its ETag ("" without one): an edit form sends it back."""
        response = await self._send("GET", path, token)
        return self._checked(response), response.headers.get("etag", "")

    async def put(self, token: str, path: str, body: dict[str, Any], if_match: str = "") -> Any:
        """With `if_match` (the ETag the form was filled from), someone else's change since
        is refused with 412 instead of overwritten."""
        return self._checked(
            await self._send("PUT", path, token, json=body, headers=_precondition(if_match))
        )

    async def patch(self, token: str, path: str, body: dict[str, Any], if_match: str = "") -> Any:
        return self._checked(
            await self._send("PATCH", path, token, json=body, headers=_precondition(if_match))
        )

    async def delete(self, token: str, path: str) -> None:
        self._checked(await self._send("DELETE", path, token))

    async def _send(
        self, method: str, path: str, token: str | None, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        headers = kwargs.pop("headers", {}) or {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = self._http.build_request(method, path, headers=headers, **kwargs)
        try:
            return await self._http.send(request, stream=stream)
        except httpx.TransportError as exc:
            raise UNREACHABLE from exc

    @staticmethod
    def _checked(response: httpx.Response) -> Any:
        if response.status_code == 401:
            raise SignedOut()
        if response.status_code >= 400:
            raise ApiProblem.of(response)
        return response.json() if response.content else None


def _precondition(if_match: str) -> dict[str, str]:
    return {"If-Match": if_match} if if_match else {}


def token_claims(token: str) -> dict[str, Any]:
    """The claims of a token the gateway just handed us over our own connection to it: who
    signed in, to choose their pages. The gateway verifies the token on every call."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
