"""Request bodies of the directory: organisations, invitations and signing in."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from shared.contracts.common import Text

SLUG = r"^[a-z0-9][a-z0-9-]{1,79}$"
USERNAME = r"^[a-z0-9][a-z0-9._-]{2,63}$"
EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$"
KIND = r"^(vmbo|pro|vso|havo|mbo|po|po_board|company|municipality|hotspot|central)$"
Profile = Annotated[str, Field(pattern=r"^[A-Za-z&]{1,10}$")]


_PO_SCHOOL: JsonDict = {
    "name": "Basisschool De Zonnewijzer",
    "kind": "po",
    "municipality": "Leusden",
    "board_id": "po-board-03",
}


class OrganisationFields(BaseModel):
    """What the backoffice sets of an organisation (all of it, on add and on edit)."""

    model_config = ConfigDict(json_schema_extra={"example": _PO_SCHOOL})

    name: Text = Field(min_length=2, max_length=200, examples=["Basisschool De Zonnewijzer"])
    kind: str = Field(pattern=KIND, examples=["po"])
    municipality: Text | None = Field(None, max_length=80, examples=["Leusden"])
    place: Text | None = Field(None, max_length=80)
    profiles: list[Profile] = Field([], max_length=12, examples=[[]])
    tl_subjects: list[Profile] = Field([], max_length=4, examples=[[]])
    has_tl: bool = False
    hard_tech: bool = False
    branch: Text | None = Field(None, max_length=40)
    board_id: str | None = Field(None, pattern=SLUG, examples=["po-board-03"])


class NewOrganisation(OrganisationFields):
    model_config = ConfigDict(json_schema_extra={"example": {"id": "po-zonnewijzer", **_PO_SCHOOL}})

    id: str = Field(pattern=SLUG, examples=["po-zonnewijzer"])


class NewInvitation(BaseModel):
    """The backoffice invites a person to an organisation, in a role it has."""

    organisation_id: str = Field(pattern=SLUG, examples=["corlaer"])
    role: str = Field(pattern=r"^[a-z]{2,20}$", examples=["teacher"])
    name: Text = Field(min_length=2, max_length=200, examples=["Sanne de Vries"])
    email: str = Field(pattern=EMAIL, max_length=254, examples=["s.devries@corlaer.nl"])


class AcceptedInvitation(BaseModel):
    """The invited person picks a user name and sets a password."""

    code: str = Field(min_length=16, max_length=100, examples=["Xc3q9rT0bq1s2W5eYhPz8kLmN4vA7dFg"])
    username: str = Field(pattern=USERNAME, examples=["sanne.devries"])
    password: str = Field(min_length=10, max_length=256, examples=["een-lang-wachtwoord"])


class Credentials(BaseModel):
    username: Text = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
