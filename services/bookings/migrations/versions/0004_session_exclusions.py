"""a room, and an instructor, is in one session at a time (PostgreSQL exclusion constraints)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:45:00
"""
from shared.store.exclusion import create_exclusion, drop_exclusion

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Names kept in step with services.bookings.store (ROOM_EXCLUSION, INSTRUCTOR_EXCLUSION).
# Half-open periods: back-to-back sessions do not clash.
CONSTRAINTS = {
    'session_room_free': "room WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
    'session_instructor_free': "instructor WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
}


def upgrade() -> None:
    for name, elements in CONSTRAINTS.items():
        create_exclusion('sessions', name, elements)


def downgrade() -> None:
    for name in CONSTRAINTS:
        drop_exclusion('sessions', name)
