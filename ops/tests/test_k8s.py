"""The Kubernetes manifests (deploy/k8s): the generated ones are what the code says, and
the base and the region overlay, rendered by kustomize, are valid against the vendored
schemas of Kubernetes, Strimzi and CloudNativePG (deploy/k8s/schemas), strictly: an unknown
or mistyped field fails."""

from __future__ import annotations

import copy
import json
import math
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from ops import k8s
from shared.contracts.topics import ALL_TOPICS
from shared.messaging.acl import SERVICES as KAFKA_PRINCIPALS

K8S = k8s.REPO / "deploy" / "k8s"
SCHEMAS = K8S / "schemas"
DEFINITIONS = "https://kubernetes.io/api/_definitions.json"  # where the schemas' $refs point
# (apiVersion, kind) -> the vendored schema that validates it
SCHEMA_FILES = {
    ("v1", "ConfigMap"): "kubernetes/configmap-v1.json",
    ("v1", "Namespace"): "kubernetes/namespace-v1.json",
    ("v1", "Service"): "kubernetes/service-v1.json",
    ("apps/v1", "Deployment"): "kubernetes/deployment-apps-v1.json",
    ("policy/v1", "PodDisruptionBudget"): "kubernetes/poddisruptionbudget-policy-v1.json",
    ("kafka.strimzi.io/v1beta2", "Kafka"): "crds/kafka.strimzi.io/kafka_v1beta2.json",
    (
        "kafka.strimzi.io/v1beta2",
        "KafkaNodePool",
    ): "crds/kafka.strimzi.io/kafkanodepool_v1beta2.json",
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): "crds/kafka.strimzi.io/kafkatopic_v1beta2.json",
    ("kafka.strimzi.io/v1beta2", "KafkaUser"): "crds/kafka.strimzi.io/kafkauser_v1beta2.json",
    ("postgresql.cnpg.io/v1", "Cluster"): "crds/postgresql.cnpg.io/cluster_v1.json",
}


@cache
def validator(api_version: str, kind: str):
    definitions = json.loads((SCHEMAS / "kubernetes" / "_definitions.json").read_text())
    registry = jsonschema_rs.Registry([(DEFINITIONS, definitions)])
    schema = json.loads((SCHEMAS / SCHEMA_FILES[(api_version, kind)]).read_text())
    return jsonschema_rs.validator_for(schema, registry=registry)


def errors(doc: dict) -> list[str]:
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key not in SCHEMA_FILES:
        return [f"no schema for {key}"]
    name = doc.get("metadata", {}).get("name")
    return [f"{key[1]} {name}: {e.message}" for e in validator(*key).iter_errors(doc)]


def kustomize() -> str:
    """`make kustomize` puts it in .venv/bin (.ci/run does); one on the PATH does too."""
    found = shutil.which("kustomize", path=str(Path(sys.executable).parent)) or shutil.which(
        "kustomize"
    )
    assert found, "kustomize missing: make kustomize"
    return found


@cache
def rendered(folder: str) -> tuple[dict, ...]:
    built = subprocess.run(
        [kustomize(), "build", str(K8S / folder)], capture_output=True, text=True, timeout=120
    )
    assert built.returncode == 0, built.stderr
    return tuple(doc for doc in yaml.safe_load_all(built.stdout) if doc)


def of_kind(docs, kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.mark.parametrize("name", sorted(k8s.manifests()))
def test_the_generated_manifests_are_what_the_code_says(name):
    committed = (k8s.OUT / name).read_text()
    assert committed == k8s.render(k8s.manifests()[name]), "run: python -m ops k8s"


@pytest.mark.parametrize("folder", ["base", "overlays/region"])
def test_every_rendered_resource_is_valid_against_its_schema(folder):
    docs = rendered(folder)
    assert {(d["apiVersion"], d["kind"]) for d in docs} == set(SCHEMA_FILES) - (
        {("v1", "Namespace")} if folder == "base" else set()
    )
    assert [e for doc in docs for e in errors(doc)] == []


@pytest.mark.parametrize(
    "kind, name, path, value",
    [
        (
            "Deployment",
            "gateway",
            ["spec", "template", "spec", "containers", 0, "readinessProb"],
            {},
        ),
        ("Deployment", "web", ["spec", "replicas"], "two"),
        ("Service", "bookings", ["spec", "ports", 0, "prot"], 80),
        ("Kafka", "tft", ["spec", "kafka", "listeners", 0, "authentication", "type"], "scram"),
        ("KafkaNodePool", "nodes", ["spec", "rolez"], ["broker"]),
        ("KafkaTopic", "tft.bookings.booking", ["spec", "partitions"], "twelve"),
        (
            "KafkaUser",
            "bookings",
            ["spec", "authorization", "acls", 0, "resource", "type"],
            "topics",
        ),
        ("Cluster", "bookings-db", ["spec", "instance"], 3),
    ],
)
def test_an_invalid_field_fails(kind, name, path, value):
    doc = copy.deepcopy(of_kind(rendered("overlays/region"), kind)[name])
    assert errors(doc) == []
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    assert errors(doc), f"{kind}: {path} = {value!r} passed"


def test_every_component_runs_twice_or_more_with_probes_resources_and_no_secret_in_the_repo():
    docs = rendered("overlays/region")
    deployments = of_kind(docs, "Deployment")
    assert set(deployments) == set(k8s.SERVICES)
    for name, deployment in deployments.items():
        assert deployment["metadata"]["namespace"] == "tft-amersfoort"
        assert deployment["spec"]["replicas"] >= 2, name
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["image"] == "registry.example/tft:1.0.0"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert of_kind(docs, "Service")[name]["spec"]["ports"][0]["port"] == k8s.SERVICES[name]
    assert "Secret" not in {d["kind"] for d in docs}


def test_every_store_holds_the_pools_of_its_components_pods_at_their_most():
    docs = rendered("overlays/region")
    config = of_kind(docs, "ConfigMap")["tft-config"]["data"]
    clusters = of_kind(docs, "Cluster")
    for name, deployment in of_kind(docs, "Deployment").items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env = config | {e["name"]: e["value"] for e in container["env"] if "value" in e}
        replicas = deployment["spec"]["replicas"]
        pods = replicas + math.ceil(replicas / 4)  # a rolling update's surge (25 %)
        processes = pods * int(env.get("TFT_WEB_WORKERS", "1"))
        # A migration's connection, and PostgreSQL's reserve for its superuser (3).
        wanted = processes * int(env["TFT_DB_POOL_SIZE"]) + 1 + 3
        parameters = clusters[k8s.database(name)]["spec"]["postgresql"]["parameters"]
        assert wanted <= int(parameters["max_connections"]), name


def test_every_secret_a_component_reads_is_one_an_operator_makes():
    docs = rendered("overlays/region")
    made = {f"{name}-app" for name in of_kind(docs, "Cluster")}  # CloudNativePG's
    made |= set(of_kind(docs, "KafkaUser"))  # Strimzi's user operator's
    made.add(k8s.JWT_SECRET)  # the operator's, see docs/deployment.md
    for deployment in of_kind(docs, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        refs = {
            e["valueFrom"]["secretKeyRef"]["name"]
            for c in pod["containers"] + pod["initContainers"]
            for e in c["env"]
            if "valueFrom" in e
        }
        refs |= {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
        assert refs <= made, deployment["metadata"]["name"]


def test_kafka_is_three_kraft_brokers_replicating_three_times_with_scram_and_acls():
    docs = rendered("overlays/region")
    (pool,) = of_kind(docs, "KafkaNodePool").values()
    assert pool["spec"]["replicas"] == 3 and set(pool["spec"]["roles"]) == {"broker", "controller"}
    kafka = of_kind(docs, "Kafka")[k8s.KAFKA_CLUSTER]["spec"]["kafka"]
    assert kafka["config"]["default.replication.factor"] == 3
    assert kafka["config"]["min.insync.replicas"] == 2
    assert {listener["authentication"]["type"] for listener in kafka["listeners"]} == {
        "scram-sha-512"
    }
    assert kafka["authorization"]["type"] == "simple"
    topics = of_kind(docs, "KafkaTopic")
    assert {t["spec"]["topicName"] for t in topics.values()} == set(ALL_TOPICS)
    assert {t["spec"]["replicas"] for t in topics.values()} == {3}
    assert set(of_kind(docs, "KafkaUser")) == {"admin", *KAFKA_PRINCIPALS}
