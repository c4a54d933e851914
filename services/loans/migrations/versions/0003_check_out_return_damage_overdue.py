"""loans check out, return, damage reports and overdue notices

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 03:34:00.629324
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# A checked-out reservation holds its item like a reserved one (services.loans.domain.HOLDING).
EXCLUSION = """
    ALTER TABLE reservations ADD CONSTRAINT reservation_single_item_free
    EXCLUDE USING gist (item_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
    WHERE (status IN ({statuses}) AND item_quantity = 1)
"""
DROP_EXCLUSION = "ALTER TABLE reservations DROP CONSTRAINT reservation_single_item_free"


def _exclusion(*statuses: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP_EXCLUSION)
        op.execute(EXCLUSION.format(statuses=", ".join(f"'{s}'" for s in statuses)))


def upgrade() -> None:
    op.create_table('damage_reports',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('reservation_id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('repair_cost_cents', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('repair_cost_cents >= 0', name='damage_cost_not_negative'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('damage_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_damage_reports_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_damage_reports_reservation_id'), ['reservation_id'], unique=False)

    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checkout_note', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('return_condition', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('overdue_notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_reservations_status_ends_on', ['status', 'ends_on'], unique=False)
    _exclusion("reserved", "checked_out")


def downgrade() -> None:
    _exclusion("reserved")
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_index('ix_reservations_status_ends_on')
        batch_op.drop_column('overdue_notified_at')
        batch_op.drop_column('return_condition')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('checkout_note')
        batch_op.drop_column('checked_out_at')

    with op.batch_alter_table('damage_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_damage_reports_reservation_id'))
        batch_op.drop_index(batch_op.f('ix_damage_reports_item_id'))

    op.drop_table('damage_reports')
