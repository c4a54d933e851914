"""What keeps the browser side safe: the session cookie, CSRF tokens on every form, and
strict response headers (a Content-Security-Policy without inline script or style)."""

import secrets

from fastapi import HTTPException, Request
from starlette.responses import Response

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_name(secure: bool) -> str:
    # The __Host- prefix makes the browser insist on Secure, Path=/ and no Domain.
    return "__Host-tft-sessie" if secure else "tft-sessie"


def set_session_cookie(response: Response, session_id: str, secure: bool) -> None:
    response.set_cookie(
        cookie_name(secure), session_id, httponly=True, secure=secure, samesite="lax", path="/"
    )


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(
        cookie_name(secure), path="/", secure=secure, httponly=True, samesite="lax"
    )


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token in its form (field
    `csrf`) or, from htmx, in the `X-CSRF-Token` header; anything else is refused (403)."""
    if request.method in SAFE_METHODS:
        return
    session = getattr(request.state, "session", None)
    sent = request.headers.get("X-CSRF-Token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf")
        sent = field if isinstance(field, str) else None
    if (
        session is None
        or not isinstance(sent, str)
        or not secrets.compare_digest(sent, session.csrf)
    ):
        raise HTTPException(
            403,
            "Dit formulier is verlopen of niet van deze site. "
            "Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        )


def safe_return_path(path: str | None) -> str:
    r"""Only a path on this site: "/planning?x=1", never "//evil.example" or a full URL. A
    browser drops tabs and newlines from a URL and reads a backslash as a slash, so
    "/\t/evil.example" and "/\\evil.example" are refused as well."""
    if (
        not path
        or not path.startswith("/")
        or path.startswith("//")
        or any(c == "\\" or c.isspace() or not c.isprintable() for c in path)
    ):
        return "/"
    return path
