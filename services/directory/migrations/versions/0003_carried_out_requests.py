"""requests carried out, by Idempotency-Key: a retry never acts twice

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:20:00.000000
"""
from shared.store import messaging_schema

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    messaging_schema.create_carried_out_requests_v1()


def downgrade() -> None:
    messaging_schema.drop_carried_out_requests_v1()
