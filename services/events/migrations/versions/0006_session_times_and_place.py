"""sessions' own times and place

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: a session without times or place of its own has its event's.
    with op.batch_alter_table('event_sessions') as batch:
        batch.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('location', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('event_sessions') as batch:
        batch.drop_column('location')
        batch.drop_column('ends_at')
        batch.drop_column('starts_at')
