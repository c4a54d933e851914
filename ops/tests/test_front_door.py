"""`make up` with two gateways, two web front ends and two directories, as ops starts them
(real processes): the printed gateway and web URLs answer through their balancers, also
after a replica of each is killed; a sign-in at one gateway holds at the other and the
directory takes the tokens both sign; the gateway passes a killed directory over."""

import os
from collections.abc import Iterator

import httpx
import pytest

from ops.kafka import KafkaNode
from ops.platform import Platform

pytestmark = pytest.mark.integration

# Above the cluster test's block of the test platform's ports (+40 ... +56).
PORT = int(os.environ.get("TFT_TEST_PLATFORM_PORT", "28000")) + 60
CORLAER = {"username": "corlaer", "password": "demo"}


@pytest.fixture(scope="module")
def local_run(kafka: KafkaNode, tmp_path_factory) -> Iterator[Platform]:
    var = tmp_path_factory.mktemp("local-run")
    env = {
        "TFT_GATEWAY_PORT": PORT,
        "TFT_DIRECTORY_PORT": PORT + 1,
        "TFT_WEB_PORT": PORT + 2,
        "TFT_NOTIFY_SMTP_PORT": PORT + 3,
        "TFT_GATEWAY_REPLICAS": 2,
        "TFT_WEB_REPLICAS": 2,
        "TFT_DIRECTORY_REPLICAS": 2,
        # The session's broker, whose other users must not see this run's events: the
        # directory consumes nothing, and without its relay it publishes nothing either.
        "TFT_KAFKA_BOOTSTRAP": kafka.bootstrap,
        "TFT_KAFKA_USERNAME": kafka.admin.username,
        "TFT_KAFKA_PASSWORD": kafka.admin.password,
        "TFT_OUTBOX_RELAY": "false",
        "TFT_DEMO_PASSWORD": "demo",
        "TFT_AUDIT_PATH": var / "audit.jsonl",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, str(value))
        platform = Platform(repo=var)
        try:
            platform.up(only=["directory", "gateway", "web"])
            yield platform
        finally:
            platform.down()


def sign_in(url: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/v1/auth/token", json=CORLAER, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def replica_url(platform: Platform, name: str, replica: int) -> str:
    return f"http://127.0.0.1:{platform.replica_port(name, replica)}"


def test_a_sign_in_at_one_gateway_holds_at_the_other_and_the_directory_takes_both(local_run):
    first, second = (replica_url(local_run, "gateway", r) for r in (1, 2))
    for signed_at, asked_at in ((first, second), (second, first)):
        answer = httpx.get(
            f"{asked_at}/api/v1/organisations/corlaer", headers=sign_in(signed_at), timeout=30
        )
        assert answer.status_code == 200, answer.text  # the directory verified asked_at's token
        assert answer.json()["id"] == "corlaer"


def test_the_urls_answer_after_a_replica_of_each_is_killed(local_run):
    for name in ("gateway", "web", "directory"):
        local_run.service(name, 1).kill()
    for _ in range(4):  # each a new connection, which the balancers hand out in turn
        sign_in(local_run.gateway_url)  # at the gateway left, by the directory left
        page = httpx.get(local_run.web_url, follow_redirects=True, timeout=30)
        assert page.status_code == 200 and "<form" in page.text
