"""Every service's migrations build exactly the schema its models describe, and unwind."""

import pytest
from alembic import command

from shared.store.migrations import SERVICES_DIR, alembic_config

# The services' stores, and the web front end's (its sessions).
SERVICES = sorted(
    p.parent.name
    for p in [*SERVICES_DIR.glob("*/migrations"), SERVICES_DIR.parent / "web" / "migrations"]
)


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_and_downgrade_cleanly(service, tmp_path):
    config = alembic_config(service, f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    command.upgrade(config, "head")
    command.check(config)  # raises when the models hold something no revision creates
    command.downgrade(config, "base")
    command.upgrade(config, "head")


def test_every_service_with_a_store_has_migrations():
    assert {
        "bookings",
        "loans",
        "events",
        "finance",
        "notify",
        "directory",
        "gateway",
        "web",
    } <= set(SERVICES)
