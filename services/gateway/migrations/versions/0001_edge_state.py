"""the edge's shared state: idempotency keys and rate-limit buckets

Revision ID: 0001
Revises:
Create Date: 2026-11-29 16:50:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idempotency_keys',
        sa.Column('caller', sa.String(length=200), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('headers', sa.Text(), nullable=True),
        sa.Column('body', sa.LargeBinary(), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('caller', 'key'),
    )
    op.create_index('ix_idempotency_keys_expires_at', 'idempotency_keys', ['expires_at'])
    op.create_table(
        'rate_buckets',
        sa.Column('limit_name', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('tat', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('limit_name', 'key'),
    )
    op.create_index('ix_rate_buckets_tat', 'rate_buckets', ['tat'])


def downgrade() -> None:
    op.drop_index('ix_rate_buckets_tat', table_name='rate_buckets')
    op.drop_table('rate_buckets')
    op.drop_index('ix_idempotency_keys_expires_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
