"""The broker's ACLs, derived from the topics' owners and `SUBSCRIPTIONS`: each service
writes its own topics (`tft.<service>.*`) and the dead-letter topics of what it consumes,
and reads only the topics it subscribes to, in its own consumer group. Everything else is
denied (`allow.everyone.if.no.acl.found=false`); the admin principal is a super user."""

from dataclasses import dataclass

from shared.contracts.topics import PUBLISHERS, SUBSCRIPTIONS, dead_letter_topic, topic_prefix

ADMIN = "admin"  # ops: creates topics and ACLs, redrives dead letters, runs the tests' probes
SERVICES = sorted(set(PUBLISHERS) | set(SUBSCRIPTIONS))
PRINCIPALS = [ADMIN, *SERVICES]


@dataclass(frozen=True)
class Acl:
    principal: str  # a user name: the ACL is on User:<principal>
    resource: str  # "topic" or "group"
    name: str
    prefixed: bool  # the name is a prefix (else the literal name)
    operation: str  # "read" or "write"


def service_acls(service: str) -> list[Acl]:
    consumed = SUBSCRIPTIONS.get(service, [])
    acls = (
        [Acl(service, "topic", topic_prefix(service), True, "write")]
        if (service in PUBLISHERS)
        else []
    )
    acls += [Acl(service, "topic", topic, False, "read") for topic in consumed]
    acls += [Acl(service, "topic", dead_letter_topic(topic), False, "write") for topic in consumed]
    if consumed:
        acls.append(Acl(service, "group", service, False, "read"))
    return acls


def platform_acls() -> list[Acl]:
    return [acl for service in SERVICES for acl in service_acls(service)]
