"""The Kubernetes manifests that follow from the code, written to deploy/k8s/base/generated:
`python -m ops k8s` after a change to the services, their ports, topics or ACLs (a test
fails while the committed files differ). Kafka comes through Strimzi's resources (a
KafkaTopic per topic, a KafkaUser per service with the ACLs of `shared.messaging.acl`), the
stores through CloudNativePG (a Cluster, so a database, per component)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ops.kafka import DEFAULT_PARTITIONS, replication_for
from ops.platform import BACKENDS, SERVICES, WEB
from ops.procs import REPO
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.acl import ADMIN, Acl, service_acls
from shared.messaging.acl import SERVICES as KAFKA_PRINCIPALS
from shared.store.db import PoolSettings

OUT = REPO / "deploy" / "k8s" / "base" / "generated"
KAFKA_CLUSTER = "tft"  # the Strimzi Kafka resource in deploy/k8s/base/kafka.yaml
IMAGE = "tft"  # the Dockerfile's image; an overlay names its registry and tag
BROKERS = 3
REPLICAS = 2
JWT_SECRET = "tft-gateway-jwt"  # made by the operator: the gateway's signing key (PEM)
# A pod's connections to its store (TFT_DB_POOL_SIZE, kept open), and what its store must
# hold: the pools of up to MAX_PODS pods of its component (the replicas an overlay may ask
# for, plus a rolling update's extra pod), and room for a migration, CloudNativePG's own
# connections (its superuser's reserve, its exporter) and an operator's psql.
POOL_SIZE = PoolSettings.model_fields["pool_size"].default
MAX_PODS = 8
MAX_CONNECTIONS = MAX_PODS * POOL_SIZE + 20
HEADER = "# Written by `python -m ops k8s` from the code: do not edit, run it again.\n"


def _module(name: str) -> str:
    return WEB if name == WEB else f"services.{name}"


def _labels(name: str) -> dict:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "tft"}


def _secret(env: str, secret: str, key: str) -> dict:
    return {"name": env, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def database(name: str) -> str:
    """The CloudNativePG Cluster of a component; its `-rw` Service is the primary."""
    return f"{name}-db"


def _env(name: str) -> list[dict]:
    """What a component needs beyond the shared ConfigMap: its port, its database (the
    credentials CloudNativePG keeps in `<cluster>-app`), its Kafka user (the password
    Strimzi's user operator keeps in a Secret named after the user) and its peers."""
    db = database(name)
    env = [
        {"name": "TFT_SERVICE", "value": name},
        {"name": "TFT_HTTP_PORT", "value": str(SERVICES[name])},
        _secret("DB_USER", f"{db}-app", "username"),
        _secret("DB_PASSWORD", f"{db}-app", "password"),
        {
            "name": "TFT_DATABASE_URL",
            "value": f"postgresql+asyncpg://$(DB_USER):$(DB_PASSWORD)@{db}-rw:5432/{name}",
        },
        {"name": "TFT_DB_POOL_SIZE", "value": str(POOL_SIZE)},
    ]
    if name in KAFKA_PRINCIPALS:
        env += [
            {"name": "TFT_KAFKA_USERNAME", "value": name},
            _secret("TFT_KAFKA_PASSWORD", name, "password"),
        ]
    if name == "gateway":
        env += [
            {"name": f"TFT_{b.upper()}_URL", "value": f"http://{b}:{SERVICES[b]}"} for b in BACKENDS
        ]
        env += [
            {"name": "TFT_JWT_KEY_FILE", "value": "/run/secrets/tft/jwt_key"},
            {"name": "TFT_AUDIT_PATH", "value": "/var/lib/tft/audit.jsonl"},
        ]
    if name == WEB:
        env += [
            {"name": "TFT_GATEWAY_URL", "value": f"http://gateway:{SERVICES['gateway']}"},
            {"name": "TFT_WEB_SECURE_COOKIES", "value": "true"},  # behind a TLS ingress
        ]
    return env


def _probe(path: str, period: int) -> dict:
    return {"httpGet": {"path": path, "port": "http"}, "periodSeconds": period}


def _pod(name: str) -> dict:
    module = _module(name)
    secure = {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    }
    container = {
        "name": name,
        "image": IMAGE,
        "command": ["python", "-m", module, "serve"],
        "ports": [{"name": "http", "containerPort": SERVICES[name]}],
        "envFrom": [{"configMapRef": {"name": "tft-config"}}],
        "env": _env(name),
        "readinessProbe": _probe("/readyz", 5),
        "livenessProbe": {**_probe("/healthz", 10), "failureThreshold": 6},
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"memory": "512Mi"},
        },
        "securityContext": secure,
    }
    # Migrations are idempotent; a replica that loses the race fails and is started again.
    migrate = {
        "name": "migrate",
        "image": IMAGE,
        "command": ["python", "-m", module, "migrate"],
        "envFrom": container["envFrom"],
        "env": container["env"],
        "resources": container["resources"],
        "securityContext": secure,
    }
    pod: dict = {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001},
        "initContainers": [migrate],
        "containers": [container],
    }
    if name == "gateway":
        container["volumeMounts"] = [
            {"name": "jwt-key", "mountPath": "/run/secrets/tft", "readOnly": True},
            {"name": "audit", "mountPath": "/var/lib/tft"},
        ]
        pod["volumes"] = [
            {"name": "jwt-key", "secret": {"secretName": JWT_SECRET}},
            {"name": "audit", "emptyDir": {}},
        ]
    return pod


def workload(name: str) -> list[dict]:
    """A component's Deployment, its Service and a budget that keeps one replica up."""
    selector = {"matchLabels": _labels(name)}
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "labels": _labels(name)},
            "spec": {
                "replicas": REPLICAS,
                "selector": selector,
                "template": {"metadata": {"labels": _labels(name)}, "spec": _pod(name)},
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "labels": _labels(name)},
            "spec": {
                "selector": _labels(name),
                "ports": [{"name": "http", "port": SERVICES[name], "targetPort": "http"}],
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "labels": _labels(name)},
            "spec": {"minAvailable": 1, "selector": selector},
        },
    ]


def topics() -> list[dict]:
    """Every topic and its dead-letter topic, replicated as on a local cluster of three."""
    factor, min_insync = replication_for(BROKERS)
    return [
        {
            "apiVersion": "kafka.strimzi.io/v1beta2",
            "kind": "KafkaTopic",
            "metadata": {"name": topic, "labels": {"strimzi.io/cluster": KAFKA_CLUSTER}},
            "spec": {
                "topicName": topic,
                "partitions": DEFAULT_PARTITIONS,
                "replicas": factor,
                "config": {"min.insync.replicas": min_insync},
            },
        }
        for topic in ALL_TOPICS
    ]


_OPERATIONS = {"read": "Read", "write": "Write"}


def _acl(acl: Acl) -> dict:
    return {
        "resource": {
            "type": acl.resource,
            "name": acl.name,
            "patternType": "prefix" if acl.prefixed else "literal",
        },
        "operations": [_OPERATIONS[acl.operation]],
    }


def users() -> list[dict]:
    """A SCRAM user per service with its ACLs, and ops' admin (a super user of the cluster)."""

    def user(name: str, authorization: dict | None) -> dict:
        spec: dict = {"authentication": {"type": "scram-sha-512"}}
        if authorization:
            spec["authorization"] = authorization
        return {
            "apiVersion": "kafka.strimzi.io/v1beta2",
            "kind": "KafkaUser",
            "metadata": {"name": name, "labels": {"strimzi.io/cluster": KAFKA_CLUSTER}},
            "spec": spec,
        }

    return [user(ADMIN, None)] + [
        user(name, {"type": "simple", "acls": [_acl(a) for a in service_acls(name)]})
        for name in KAFKA_PRINCIPALS
    ]


def databases() -> list[dict]:
    """A CloudNativePG Cluster per component that keeps state: its own database and owner."""
    return [
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "metadata": {"name": database(name), "labels": _labels(name)},
            "spec": {
                "instances": 2,
                "postgresql": {"parameters": {"max_connections": str(MAX_CONNECTIONS)}},
                "storage": {"size": "5Gi"},
                "bootstrap": {"initdb": {"database": name, "owner": name}},
            },
        }
        for name in SERVICES
    ]


def manifests() -> dict[str, list[dict]]:
    return {
        "apps.yaml": [doc for name in SERVICES for doc in workload(name)],
        "kafka-topics.yaml": topics(),
        "kafka-users.yaml": users(),
        "databases.yaml": databases(),
    }


def render(docs: list[dict]) -> str:
    return HEADER + yaml.safe_dump_all(docs, sort_keys=False, explicit_start=True)


def write(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, docs in manifests().items():
        (out / name).write_text(render(docs))
        written.append(out / name)
    return written
