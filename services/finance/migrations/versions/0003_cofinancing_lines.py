"""co-financing lines, traced to the activity they came from

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 03:33:52.053067
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Lines drafted before this revision keep their booking_id as their trace; no backfill of
    # source_ref, whose text form of a UUID differs between SQLite and PostgreSQL storage.
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_ref', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('company', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('cofinancing_form', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('students_reached', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_declaration_lines_source_ref', ['source_ref'])



def downgrade() -> None:
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.drop_constraint('uq_declaration_lines_source_ref', type_='unique')
        batch_op.drop_column('students_reached')
        batch_op.drop_column('cofinancing_form')
        batch_op.drop_column('company')
        batch_op.drop_column('source_ref')

