"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:36:21.390962
"""
from alembic import op
import sqlalchemy as sa

from shared.store import messaging_schema


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    messaging_schema.create_v1()
    op.create_table('items',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('asset_tag', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('condition', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('loanable', sa.Boolean(), nullable=False),
    sa.CheckConstraint('quantity >= 1', name='item_has_units'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('asset_tag')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_category'), ['category'], unique=False)

    op.create_table('reservations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('school_id', sa.String(length=80), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name='reservation_period_ordered'),
    sa.CheckConstraint('quantity >= 1', name='reservation_has_units'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reservations_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_reservations_item_period', ['item_id', 'starts_on', 'ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_reservations_school_id'), ['school_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reservations_school_id'))
        batch_op.drop_index('ix_reservations_item_period')
        batch_op.drop_index(batch_op.f('ix_reservations_booking_id'))

    op.drop_table('reservations')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_category'))

    op.drop_table('items')
    messaging_schema.drop_v1()
