"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 10:30:25.766830
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
    op.create_table('organisations',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('municipality', sa.String(length=80), nullable=True),
    sa.Column('place', sa.String(length=80), nullable=True),
    sa.Column('profiles', sa.String(length=200), nullable=False),
    sa.Column('tl_subjects', sa.String(length=100), nullable=False),
    sa.Column('has_tl', sa.Boolean(), nullable=False),
    sa.Column('hard_tech', sa.Boolean(), nullable=False),
    sa.Column('branch', sa.String(length=40), nullable=True),
    sa.Column('board_id', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['organisations.id'], name='fk_organisations_board'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('organisation_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'active' OR (username IS NOT NULL AND password_hash IS NOT NULL)", name='active_person_signs_in'),
    sa.CheckConstraint("status IN ('invited', 'active', 'deactivated')", name='person_status'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_organisation', ['organisation_id'], unique=False)

    op.create_table('invitations',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=80), nullable=False),
    sa.Column('invited_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('code_hash')
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_person_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_organisation')

    op.drop_table('people')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))

    op.drop_table('organisations')
    messaging_schema.drop_v1()
