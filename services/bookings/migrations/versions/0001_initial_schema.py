"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:26:34.547161
"""
import sqlalchemy as sa

from shared.store import messaging_schema
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    messaging_schema.create_v1()
    op.create_table('offerings',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('profile', sa.String(length=20), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('equipment', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('offering_id', sa.String(length=80), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('room', sa.String(length=80), nullable=False),
    sa.Column('instructor', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name='seats_within_capacity'),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_offering_id'), ['offering_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('school_id', sa.String(length=80), nullable=False),
    sa.Column('group_name', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_session_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_school_id'))

    op.drop_table('bookings')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_offering_id'))

    op.drop_table('sessions')
    op.drop_table('offerings')
    messaging_schema.drop_v1()
