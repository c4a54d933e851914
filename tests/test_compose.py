"""docker-compose.yml publishes only the gateway and the web front end, starts without demo
people unless asked, keeps the gateway's signing key across restarts, and runs Kafka with a
required password per principal, each service logging in as itself."""

import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from services.directory.settings import DirectorySettings
from shared.messaging.acl import PRINCIPALS
from shared.messaging.acl import SERVICES as KAFKA_CLIENTS

COMPOSE = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_only_the_gateway_and_the_web_front_end_publish_ports_and_grafana_to_loopback():
    published = {name: s["ports"] for name, s in SERVICES.items() if s.get("ports")}
    assert set(published) == {"gateway", "web", "grafana"}
    assert published["grafana"] == ["127.0.0.1:3000:3000"]


def test_everything_but_the_front_end_lives_on_an_internal_network_only():
    assert COMPOSE["networks"]["internal"]["internal"] is True
    for name, service in SERVICES.items():
        expected = {
            "web": ["edge"],
            "gateway": ["internal", "edge"],
            "grafana": ["internal", "ops"],
        }.get(name, ["internal"])
        assert service["networks"] == expected, name


def test_grafana_is_provisioned_with_the_dashboards_and_a_required_admin_password():
    grafana = SERVICES["grafana"]
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD"] == required(
        "GRAFANA_ADMIN_PASSWORD"
    )
    mounts = {v.split(":")[0]: v.split(":")[1] for v in grafana["volumes"]}
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    assert mounts["./deploy/grafana/dashboards"] == "/var/lib/grafana/dashboards"
    repo = Path(__file__).parent.parent
    provider = yaml.safe_load((repo / "deploy/grafana/provisioning/dashboards/tft.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    source = yaml.safe_load(
        (repo / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )["datasources"][0]
    assert source["url"] == "http://prometheus:9090" and "prometheus" in SERVICES
    for dashboard in (repo / "deploy/grafana/dashboards").glob("*.json"):
        uids = {
            t["datasource"]["uid"]
            for p in json.loads(dashboard.read_text())["panels"]
            for t in p.get("targets", [])
        }
        assert uids == {source["uid"]}, dashboard.name


def test_demo_mode_is_off_unless_asked_and_has_no_default_password():
    env = SERVICES["bookings"]["environment"]
    assert env["TFT_DEMO"] == "${TFT_DEMO:-false}"
    assert env["TFT_DEMO_PASSWORD"] == "${TFT_DEMO_PASSWORD:-}"


def test_the_directory_refuses_demo_mode_with_an_empty_password():
    with pytest.raises(ValidationError, match="TFT_DEMO_PASSWORD"):
        DirectorySettings(demo=True, demo_password="")


def test_the_gateway_signs_with_a_key_it_is_given_and_the_key_is_required():
    gateway = SERVICES["gateway"]
    assert gateway["environment"]["TFT_JWT_KEY_FILE"] == "/run/secrets/jwt_key"
    assert gateway["secrets"] == ["jwt_key"]
    assert ":?" in COMPOSE["secrets"]["jwt_key"]["file"]


def test_the_services_verify_their_callers_with_the_gateways_keys():
    backends = ("bookings", "loans", "events", "finance", "notify", "directory")
    assert {SERVICES[name]["environment"]["TFT_GATEWAY_JWKS_URL"] for name in backends} == {
        "http://gateway:8000/.well-known/jwks.json"
    }


def required(variable: str) -> str:
    return f"${{{variable}:?set {variable}}}"


def test_the_broker_is_configured_from_a_required_password_per_principal():
    config = SERVICES["kafka-config"]
    assert config["environment"] == {
        f"TFT_KAFKA_{p.upper()}_PASSWORD": required(f"TFT_KAFKA_{p.upper()}_PASSWORD")
        for p in PRINCIPALS
    }
    assert config["command"][:4] == ["python", "-m", "ops", "kafka-config"]
    kafka = SERVICES["kafka"]
    assert kafka["command"] == ["bash", "/etc/tft-kafka/start.sh"]
    assert kafka["depends_on"]["kafka-config"] == {"condition": "service_completed_successfully"}
    assert "KAFKA_LISTENERS" not in kafka.get("environment", {})  # no plaintext listener


def test_each_service_logs_in_to_kafka_as_itself_and_the_topics_job_as_admin():
    for name in KAFKA_CLIENTS:
        env = SERVICES[name]["environment"]
        assert env["TFT_KAFKA_USERNAME"] == name
        assert env["TFT_KAFKA_PASSWORD"] == required(f"TFT_KAFKA_{name.upper()}_PASSWORD")
    assert "TFT_KAFKA_PASSWORD" not in SERVICES["gateway"]["environment"]
    assert SERVICES["kafka-topics"]["environment"] == {
        "TFT_KAFKA_USERNAME": "admin",
        "TFT_KAFKA_PASSWORD": required("TFT_KAFKA_ADMIN_PASSWORD"),
    }
