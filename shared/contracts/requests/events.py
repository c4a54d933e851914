"""Request bodies for event registrations and check-in (validated by gateway and service)."""

from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.common import Group


class NewRegistration(BaseModel):
    session_id: UUID
    group: Group


class CheckIn(BaseModel):
    # The code as the registration shows it (and its QR code carries): URL-safe base64.
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{22,100}$")
    students_present: int = Field(ge=0, le=200)
