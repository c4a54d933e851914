"""Behind the gateway nothing is taken on trust: each service's own port, on the real
platform, answers only a token the gateway signed for that service, and refuses (401) and
logs every other call. Each forgery differs from an accepted token in one thing only, so
each test fails if the check it names is removed."""

import time

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.harness import SERVICES, Platform, eventually

# A list per service, and who may read it: the backoffice's view of every school.
READS = {
    "bookings": ("/bookings", "backoffice"),
    "loans": ("/reservations", "backoffice"),
    "events": ("/registrations", "backoffice"),
    "finance": ("/declarations", "finance"),
    "notify": ("/notifications", "backoffice"),
    "directory": ("/people", "backoffice"),
}
FORGED_HEADERS = {
    "X-TFT-Role": "backoffice",
    "X-TFT-Actor": "backoffice",
    "X-TFT-Organisation": "backoffice",
}


def call(service: str, headers: dict[str, str]) -> httpx.Response:
    path, _role = READS[service]
    return httpx.get(f"http://127.0.0.1:{SERVICES[service]}{path}", headers=headers)


def as_reader(platform: Platform, service: str, **changes) -> dict[str, str]:
    role = READS[service][1]
    return platform.service_token(service, role, role, **changes)


@pytest.mark.parametrize("service", READS)
def test_a_token_the_gateway_signed_for_the_service_is_answered(platform, service):
    """The control: what the forgeries below change one thing of."""
    assert call(service, as_reader(platform, service)).status_code == 200


@pytest.mark.parametrize("service", READS)
def test_a_call_without_a_token_is_refused_and_logged_by_the_service(platform, service):
    answer = call(service, {})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "geen token: alleen de gateway mag deze dienst aanroepen"
    path = READS[service][0]
    log = platform.home / "log" / f"{service}.log"
    eventually(
        lambda: any(
            '"request refused: no valid token"' in line
            and f'"path": "{path}"' in line
            and '"address": "127.0.0.1"' in line
            for line in log.read_text().splitlines()
        ),
        timeout=10,
    )


@pytest.mark.parametrize("service", READS)
def test_forged_caller_headers_grant_nothing(platform, service):
    assert call(service, FORGED_HEADERS).status_code == 401
    # A valid token is the caller, whatever the headers say: a school stays a school.
    school = platform.service_token(service, "school", "corlaer")
    answered = call(service, school | FORGED_HEADERS)
    assert answered.status_code in (200, 403)
    if service == "bookings":  # the school sees its own bookings only, not every school's
        assert {b["school_id"] for b in answered.json()} <= {"corlaer"}


@pytest.mark.parametrize("service", READS)
def test_a_token_signed_by_another_key_is_refused(platform, service):
    other = ec.generate_private_key(ec.SECP256R1())
    assert call(service, as_reader(platform, service, key=other)).status_code == 401


@pytest.mark.parametrize("service", READS)
def test_a_token_for_another_audience_is_refused(platform, service):
    elsewhere = "loans" if service != "loans" else "bookings"
    assert call(service, as_reader(platform, service, aud=elsewhere)).status_code == 401
    # Nor does a person's own gateway token reach a service.
    assert call(service, platform.token(READS[service][1])).status_code == 401


@pytest.mark.parametrize("service", READS)
def test_an_expired_token_is_refused(platform, service):
    expired = as_reader(platform, service, issued_at=time.time() - 600, lifetime=60)
    assert call(service, expired).status_code == 401


def test_the_gateway_still_reaches_every_service(platform):
    """Through the gateway each service answers: it signs for each of them."""
    reads = {
        "bookings": "/bookings",
        "loans": "/reservations",
        "events": "/registrations",
        "notify": "/notifications",
        "directory": "/organisations",
    }
    for service, path in reads.items():
        answer = httpx.get(f"{platform.gateway}{path}", headers=platform.token("backoffice"))
        assert answer.status_code == 200, (service, answer.text)
    declarations = httpx.get(
        f"{platform.gateway}/finance/declarations", headers=platform.token("finance")
    )
    assert declarations.status_code == 200, declarations.text
