"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:36:26.913408
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
    op.create_table('equipment_catalogue',
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('item_id')
    )
    with op.batch_alter_table('equipment_catalogue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equipment_catalogue_category'), ['category'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.CheckConstraint('capacity >= 1', name='event_has_capacity'),
    sa.CheckConstraint('ends_at > starts_at', name='event_ends_after_start'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))

    op.drop_table('events')
    with op.batch_alter_table('equipment_catalogue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equipment_catalogue_category'))

    op.drop_table('equipment_catalogue')
    messaging_schema.drop_v1()
