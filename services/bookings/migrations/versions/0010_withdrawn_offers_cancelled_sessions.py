"""withdrawn offers and cancelled sessions; a cancelled session frees its room and instructor

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from shared.store.exclusion import create_exclusion, drop_exclusion

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# As in 0004, now only over sessions that still take place.
CONSTRAINTS = {
    'session_room_free': "room WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
    'session_instructor_free': "instructor WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
}


def upgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
    for name, elements in CONSTRAINTS.items():
        drop_exclusion('sessions', name)
        create_exclusion('sessions', name, elements, where="cancelled_at IS NULL")


def downgrade() -> None:
    for name, elements in CONSTRAINTS.items():
        drop_exclusion('sessions', name)
        create_exclusion('sessions', name, elements)
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_column('withdrawn')
