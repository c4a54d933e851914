"""The relay's partitioner sends every key where Kafka's default partitioner (aiokafka's, the
Java client's) sends it: the events of a key stay in one partition whoever produced them."""

import os
import random

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2

from shared.messaging.partitioner import keyed_partitioner, murmur2


def test_murmur2_hashes_every_length_as_aiokafka_does():
    keys = [os.urandom(length) for length in range(64) for _ in range(50)]
    assert [murmur2(key) for key in keys] == [aiokafka_murmur2(key) for key in keys]


def test_a_key_goes_to_the_partition_of_the_default_partitioner_for_any_partition_count():
    default = DefaultPartitioner()
    rng = random.Random(7)
    for _ in range(2000):
        key = f"booking-{rng.getrandbits(64):x}".encode()
        partitions = list(range(rng.choice([1, 3, 12, 40])))
        assert keyed_partitioner(key, partitions, partitions) == default(
            key, partitions, partitions
        )


def test_an_event_without_a_key_goes_to_an_available_partition():
    assert keyed_partitioner(None, [0, 1, 2], [2]) == 2
