"""offers proposed by companies wait for the backoffice's approval

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 14:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval', sa.String(length=20),
                                      server_default='approved', nullable=False))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('proposed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_offerings_approval', ['approval'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_index('ix_offerings_approval')
        batch_op.drop_column('proposed_at')
        batch_op.drop_column('proposed_by')
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('approval')
