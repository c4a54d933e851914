"""The schema changes of the outbox and inbox, once for every service's own revision."""

import sqlalchemy as sa
from alembic import op

PARKED = sa.text("parked_at IS NOT NULL")


def upgrade_parking_and_retention() -> None:
    """Parked outbox rows (time and reason) and the indexes the relay and retention read."""
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("park_reason", sa.Text(), nullable=True))
    op.create_index(
        "ix_outbox_parked", "outbox", ["topic", "key"], postgresql_where=PARKED, sqlite_where=PARKED
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def downgrade_parking_and_retention() -> None:
    op.drop_index("ix_inbox_processed_at", table_name="inbox")
    op.drop_index("ix_outbox_published_at", table_name="outbox")
    op.drop_index("ix_outbox_parked", table_name="outbox")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("park_reason")
        batch_op.drop_column("parked_at")
