"""declaration workflow: submit, approve or reject, pay; audit trail; school-entered lines;
hard budget limits

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 02:01:02.213936
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declaration_audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('declaration_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('total_cents', sa.BigInteger(), nullable=False),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['declaration_id'], ['declarations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('declaration_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_audit_declaration_id'), ['declaration_id'], unique=False)

    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hard_limit', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('role', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('supplier', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('invoice_reference', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('late_for_quarter', sa.String(length=7), nullable=True))
        batch_op.alter_column('source_event_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=True)
        batch_op.alter_column('source_type',
               existing_type=sa.VARCHAR(length=200),
               nullable=True)

    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('payment_batch', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))



def downgrade() -> None:
    # Fails while lines a school entered itself exist: they have no source event, and
    # dropping them silently would lose money an auditor must be able to trace.
    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_column('paid_on')
        batch_op.drop_column('payment_batch')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('submitted_by')

    with op.batch_alter_table('declaration_lines', schema=None) as batch_op:
        batch_op.alter_column('source_type',
               existing_type=sa.VARCHAR(length=200),
               nullable=False)
        batch_op.alter_column('source_event_id',
               existing_type=sa.VARCHAR(length=36),
               nullable=False)
        batch_op.drop_column('late_for_quarter')
        batch_op.drop_column('invoice_reference')
        batch_op.drop_column('supplier')
        batch_op.drop_column('role')
        batch_op.drop_column('added_by')

    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_column('hard_limit')

    with op.batch_alter_table('declaration_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_audit_declaration_id'))

    op.drop_table('declaration_audit')
