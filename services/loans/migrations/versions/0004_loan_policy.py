"""loan policy: reservation horizon and maximum length

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:31:21.117870
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loan_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('max_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('horizon_days >= 1 AND max_days >= 1', name='loan_policy_positive'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('loan_policy')
