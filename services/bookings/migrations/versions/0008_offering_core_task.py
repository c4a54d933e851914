"""the core task an offering is declared under

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 11:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('core_task', sa.String(length=1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_column('core_task')
