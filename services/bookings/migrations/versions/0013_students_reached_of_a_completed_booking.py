"""students reached of a completed booking, kept for programme monitoring

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 14:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('students_reached', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('students_reached')
