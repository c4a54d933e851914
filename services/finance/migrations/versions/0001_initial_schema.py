"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:30:47.599824
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
    op.create_table('budget_lines',
    sa.Column('core_task', sa.String(length=1), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint("core_task IN ('A', 'B', 'C', 'D', 'E')", name='budget_core_task'),
    sa.PrimaryKeyConstraint('core_task', 'year')
    )
    op.create_table('declarations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_id', sa.String(length=80), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('school_id', 'quarter', name='uq_declarations_quarter')
    )
    op.create_table('default_rates',
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('hourly_rate_cents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('role')
    )
    op.create_table('declaration_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('core_task', sa.String(length=1), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('hourly_rate_cents', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('source_type', sa.String(length=200), nullable=False),
    sa.Column('booking_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("core_task IN ('A', 'B', 'C', 'D', 'E')", name='line_core_task'),
    sa.CheckConstraint('minutes >= 0 AND hourly_rate_cents >= 0 AND amount_cents >= 0', name='line_not_negative'),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_event_id', name='uq_declaration_lines_source_event')
    )
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_lines_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_lines_declaration_id'), ['declaration_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_lines_declaration_id'))
        batch_op.drop_index(batch_op.f('ix_declaration_lines_booking_id'))

    op.drop_table('declaration_lines')
    op.drop_table('default_rates')
    op.drop_table('declarations')
    op.drop_table('budget_lines')
    messaging_schema.drop_v1()
