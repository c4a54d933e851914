"""reservations of a single item never overlap (PostgreSQL exclusion constraint)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Only holding reservations of a single item (one unit) exclude each other; a kit's units
# are counted under a row lock on the item instead. Keep the status list in step with
# services.loans.domain.HOLDING.
EXCLUSION = """
    ALTER TABLE reservations ADD CONSTRAINT reservation_single_item_free
    EXCLUDE USING gist (item_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
    WHERE (status IN ('reserved') AND item_quantity = 1)
"""


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_items_id_quantity', ['id', 'quantity'])

    # The item's units on each reservation, kept right by a foreign key on (id, quantity),
    # so the exclusion constraint can tell single items from kits without a join.
    op.add_column('reservations', sa.Column('item_quantity', sa.Integer(), nullable=True))
    op.execute('UPDATE reservations SET item_quantity = '
               '(SELECT quantity FROM items WHERE items.id = reservations.item_id)')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.alter_column('item_quantity', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_reservations_item_units', 'items',
                                    ['item_id', 'item_quantity'], ['id', 'quantity'],
                                    onupdate='CASCADE')

    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(EXCLUSION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE reservations DROP CONSTRAINT reservation_single_item_free')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reservations_item_units', type_='foreignkey')
        batch_op.drop_column('item_quantity')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_constraint('uq_items_id_quantity', type_='unique')
