"""Exclusion constraints (PostgreSQL, btree_gist): "no two rows share X at overlapping times".

They live in migrations only: SQLite has no equivalent, so the models do not declare them and
the local run relies on its single writer plus the services' own checks before writing.
"""

from alembic import op


def create_exclusion(table: str, name: str, elements: str, where: str | None = None) -> None:
    """`elements` as in EXCLUDE USING gist (...), e.g. "room WITH =, tstzrange(a, b) WITH &&"."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    predicate = f" WHERE ({where})" if where else ""
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({elements}){predicate}"
    )


def drop_exclusion(table: str, name: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
