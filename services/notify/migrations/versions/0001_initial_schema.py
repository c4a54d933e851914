"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:31:21.803496
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
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.String(length=80), nullable=False),
    sa.Column('message_type', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('about', sa.String(length=200), nullable=False),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('source_event_type', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_event_id', 'message_type', 'organisation_id', name='one_message_per_event_type_recipient')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_about'), ['about'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_organisation_id'), ['organisation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_about'))

    op.drop_table('notifications')
    messaging_schema.drop_v1()
