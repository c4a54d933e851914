"""messages and preferences per person; notify's copy of the directory

Messages recorded before stay in their organisation's inbox (person_id ''); one still waiting
to go out had only an organisation's demo address, so it is delivered there, in the inbox.
Preferences were kept per organisation, whose id was its historical demo person's id (a
school coordinator's organisation is their user name): each row becomes that person's.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('organisation_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_organisation_id'), ['organisation_id'],
                              unique=False)
    op.create_table('organisations',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.String(length=80), server_default='',
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_notifications_person_id'), ['person_id'],
                              unique=False)
        batch_op.drop_constraint('one_message_per_event_type_recipient', type_='unique')
        batch_op.create_unique_constraint(
            'one_message_per_event_type_recipient',
            ['source_event_id', 'message_type', 'organisation_id', 'person_id'])
    op.execute("UPDATE notifications SET state = 'delivered', channel = 'in_app'"
               " WHERE state = 'pending'")
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', new_column_name='person_id',
                              existing_type=sa.String(length=80), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.alter_column('person_id', new_column_name='organisation_id',
                              existing_type=sa.String(length=80), existing_nullable=False)
    op.execute("DELETE FROM notifications WHERE person_id <> ''")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint('one_message_per_event_type_recipient', type_='unique')
        batch_op.create_unique_constraint(
            'one_message_per_event_type_recipient',
            ['source_event_id', 'message_type', 'organisation_id'])
        batch_op.drop_index(batch_op.f('ix_notifications_person_id'))
        batch_op.drop_column('person_id')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))
    op.drop_table('organisations')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_organisation_id'))
    op.drop_table('people')
