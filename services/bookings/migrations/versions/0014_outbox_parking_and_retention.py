"""outbox rows Kafka refuses are parked with the reason; indexes for retention

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 14:15:00.000000
"""
from alembic import op

from shared.messaging.migrations import (
    downgrade_parking_and_retention,
    upgrade_parking_and_retention,
)

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrade_parking_and_retention()


def downgrade() -> None:
    downgrade_parking_and_retention()
