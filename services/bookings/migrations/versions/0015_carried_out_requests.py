"""requests carried out, by Idempotency-Key: a retry never acts twice

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 14:20:00.000000
"""
from shared.store import messaging_schema

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    messaging_schema.create_carried_out_requests_v1()


def downgrade() -> None:
    messaging_schema.drop_carried_out_requests_v1()
