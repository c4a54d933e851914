"""deliveries, preferences and reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 03:57:03.325759
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('preferences',
    sa.Column('organisation_id', sa.String(length=80), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('opted_out', sa.JSON(), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('quiet_start', sa.String(length=5), nullable=True),
    sa.Column('quiet_end', sa.String(length=5), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    op.create_table('reminders',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('message_type', sa.String(length=60), nullable=False),
    sa.Column('organisation_id', sa.String(length=80), nullable=False),
    sa.Column('about', sa.String(length=200), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_event_type', sa.String(length=200), nullable=False),
    sa.Column('source_payload', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_type', 'about', 'organisation_id', name='one_reminder')
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_about'), ['about'], unique=False)
        batch_op.create_index('ix_reminders_due', ['state', 'due_at'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=40), server_default='bookings', nullable=False))
        batch_op.add_column(sa.Column('critical', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('state', sa.String(length=20), server_default='delivered', nullable=False))
        batch_op.add_column(sa.Column('channel', sa.String(length=20), server_default='in_app', nullable=False))
        batch_op.add_column(sa.Column('on_fallback', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('digest', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
        batch_op.create_index('ix_notifications_due', ['state', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_due')
        batch_op.drop_column('last_error')
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('digest')
        batch_op.drop_column('on_fallback')
        batch_op.drop_column('channel')
        batch_op.drop_column('state')
        batch_op.drop_column('critical')
        batch_op.drop_column('category')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_due')
        batch_op.drop_index(batch_op.f('ix_reminders_about'))

    op.drop_table('reminders')
    op.drop_table('preferences')
