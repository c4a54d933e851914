"""The shape of a cluster and of replicas, without starting anything."""

from pathlib import Path

import pytest

from ops.kafka import KafkaCluster, quorum_voters, replication_for
from ops.platform import Platform, replica_name, replica_port


@pytest.mark.parametrize(
    ("brokers", "expected"), [(1, (1, 1)), (2, (2, 1)), (3, (3, 2)), (5, (3, 2))]
)
def test_three_copies_two_in_sync_on_a_cluster_one_on_a_single_broker(brokers, expected):
    assert replication_for(brokers) == expected


def test_a_cluster_of_three_nodes_votes_on_its_own_controller_ports(tmp_path: Path):
    cluster = KafkaCluster(tmp_path, 3, port=32100, controller_port=32101)
    assert [(n.node_id, n.port, n.controller_port) for n in cluster.nodes] == [
        (1, 32100, 32101),
        (2, 32102, 32103),
        (3, 32104, 32105),
    ]
    voters = "1@127.0.0.1:32101,2@127.0.0.1:32103,3@127.0.0.1:32105"
    assert quorum_voters([(1, 32101), (2, 32103), (3, 32105)]) == voters
    properties = cluster.node(2)._properties()
    assert f"controller.quorum.voters={voters}\n" in properties
    assert "node.id=2\n" in properties
    assert "offsets.topic.replication.factor=3\n" in properties
    assert "min.insync.replicas=2\n" in properties
    assert cluster.bootstrap == "127.0.0.1:32100,127.0.0.1:32102,127.0.0.1:32104"
    assert {n.home for n in cluster.nodes} == {tmp_path / f"node-{i}" for i in (1, 2, 3)}


def test_the_nodes_of_a_cluster_share_their_principals_and_talk_as_the_admin(tmp_path: Path):
    cluster = KafkaCluster(tmp_path, 3, port=32100, controller_port=32101)
    assert {n.credentials_file for n in cluster.nodes} == {tmp_path / "credentials.json"}
    assert all(n.credentials() == cluster.credentials() for n in cluster.nodes)
    assert cluster.admin.bootstrap == cluster.bootstrap
    properties = cluster.node(3)._properties()
    assert "inter.broker.listener.name=CLIENT\n" in properties
    assert "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512\n" in properties
    assert f'username="admin" password="{cluster.credentials()["admin"]}"' in properties


def test_a_cluster_of_one_is_the_single_node_as_before(tmp_path: Path):
    (node,) = KafkaCluster(tmp_path, 1, port=32100, controller_port=32101).nodes
    assert node.home == tmp_path
    assert "controller.quorum.voters=1@127.0.0.1:32101\n" in node._properties()
    assert "min.insync.replicas=1\n" in node._properties()


def test_replicas_get_ports_and_names_of_their_own():
    assert [replica_port(8101, r) for r in (1, 2, 3)] == [8101, 8111, 8121]
    assert [replica_name("notify", r) for r in (1, 2)] == ["notify", "notify-2"]


def test_replicas_for_every_service_but_the_gateway_and_web_unless_asked(monkeypatch):
    monkeypatch.setenv("TFT_REPLICAS", "2")
    platform = Platform()
    assert [platform.replicas(n) for n in ("bookings", "notify", "gateway", "web")] == [2, 2, 1, 1]
    monkeypatch.setenv("TFT_GATEWAY_REPLICAS", "2")
    assert platform.replicas("gateway") == 2


def test_every_replica_relays_the_embedded_store_it_shares(tmp_path: Path):
    platform = Platform(repo=tmp_path)  # the relays take turns by the store's lease
    first, second = platform.service("finance", 1), platform.service("finance", 2)
    assert "TFT_OUTBOX_RELAY" not in first.env and "TFT_OUTBOX_RELAY" not in second.env
    assert second.env["TFT_DATABASE_URL"] == first.env["TFT_DATABASE_URL"]
    assert (second.name, second.port, second.module) == ("finance-2", 8114, "services.finance")


def test_down_finds_every_replica_an_earlier_up_started(tmp_path: Path):
    platform = Platform(repo=tmp_path)
    (tmp_path / "var" / "run").mkdir(parents=True)
    for name in ("loans-2.pid", "loans-3.pid", "loans-web.pid"):
        (tmp_path / "var" / "run" / name).write_text("1\n")
    assert [s.name for s in platform.known_replicas("loans")] == ["loans", "loans-2", "loans-3"]


def test_replicas_of_the_gateway_sit_behind_a_balancer_on_its_port(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("TFT_GATEWAY_REPLICAS", "2")
    platform = Platform(repo=tmp_path)
    door = platform.front_door("gateway")
    replicas = [platform.service("gateway", r) for r in (1, 2)]
    assert (door.name, door.port) == ("gateway-lb", 8000)
    assert door.env["TFT_BALANCER_BACKENDS"] == "127.0.0.1:8010,127.0.0.1:8020"
    assert [s.port for s in replicas] == [8010, 8020]
    assert platform.service("web").port == 8080  # one web front end: no balancer
    assert {s.env["TFT_JWT_KEY_FILE"] for s in replicas} == {str(platform.signing_key_file)}


def test_the_gateway_is_told_every_replica_of_each_service(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("TFT_REPLICAS", "2")
    env = Platform(repo=tmp_path).service_env("gateway")
    assert env["TFT_BOOKINGS_URL"] == "http://127.0.0.1:8101,http://127.0.0.1:8111"
