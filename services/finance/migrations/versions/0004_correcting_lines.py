"""correcting lines: a line may adjust an earlier one, by a negative amount too

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:58:07.932753
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_CHECK = 'minutes >= 0 AND hourly_rate_cents >= 0 AND amount_cents >= 0'
NEW_CHECK = ('minutes >= 0 AND hourly_rate_cents >= 0'
             ' AND (amount_cents >= 0 OR corrects_line_id IS NOT NULL)')


def upgrade() -> None:
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrects_line_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_declaration_lines_corrects_line_id'), ['corrects_line_id'], unique=False)
        batch_op.create_foreign_key('fk_declaration_lines_corrects_line', 'declaration_lines', ['corrects_line_id'], ['id'])
        batch_op.drop_constraint('line_not_negative', type_='check')
        batch_op.create_check_constraint('line_not_negative', NEW_CHECK)


def downgrade() -> None:
    # Fails while negative correcting lines exist: dropping them would lose corrections an
    # auditor must be able to trace.
    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.drop_constraint('line_not_negative', type_='check')
        batch_op.create_check_constraint('line_not_negative', OLD_CHECK)
        batch_op.drop_constraint('fk_declaration_lines_corrects_line', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_declaration_lines_corrects_line_id'))
        batch_op.drop_column('corrects_line_id')
