"""equipment held per session, not per booking

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 10:55:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('equipment_request_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('equipment_held', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('equipment_reserved')


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('equipment_reserved', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('equipment_held')
        batch_op.drop_column('equipment_request_id')
