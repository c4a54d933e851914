"""rate buckets say how many tokens their last take got: leases of several at once

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 23:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rate_buckets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('granted', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('rate_buckets', schema=None) as batch_op:
        batch_op.drop_column('granted')
