"""Request bodies for declarations, budgets and rates (validated by gateway and service)."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from shared.contracts.common import MAX_CENTS, CoreTask, MultilineText, Text


class NewDeclaration(BaseModel):
    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$", examples=["2026-Q4"])


class MaterialLine(BaseModel):
    kind: Literal["material"]
    core_task: CoreTask
    description: Text = Field(min_length=3, max_length=300)
    amount_cents: int = Field(ge=1, le=100_000_000)
    supplier: Text = Field(min_length=1, max_length=120)
    invoice_reference: Text = Field(min_length=1, max_length=80)
    # Set when the cost belongs to an earlier quarter whose declaration is already locked.
    late_for_quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$")


class StaffHoursLine(BaseModel):
    """Hours of the school's own staff, priced at the default rate finance keeps per role."""

    kind: Literal["hours"]
    core_task: CoreTask
    description: Text = Field(min_length=3, max_length=300)
    role: str = Field(pattern=r"^[a-z][a-z-]{1,39}$", examples=["teacher"])
    minutes: int = Field(ge=1, le=100_000)
    late_for_quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$")


class CoFinancingLine(BaseModel):
    """A company's contribution on a core task: in kind (hours of its people, priced at the
    default rate finance keeps for `role`) or in cash (`amount_cents`)."""

    kind: Literal["cofinancing"]
    core_task: CoreTask
    description: Text = Field(min_length=3, max_length=300)
    company: str = Field(pattern=r"^[a-z0-9-]{1,80}$", examples=["voorbeeld-bouw"])
    form: Literal["in-kind", "cash"]
    role: str | None = Field(None, pattern=r"^[a-z][a-z-]{1,39}$", examples=["company-expert"])
    minutes: int | None = Field(None, ge=1, le=100_000)
    amount_cents: int | None = Field(None, ge=1, le=100_000_000)
    late_for_quarter: str | None = Field(None, pattern=r"^\d{4}-Q[1-4]$")

    @model_validator(mode="after")
    def _one_measure(self) -> "CoFinancingLine":
        hours = (self.role, self.minutes)
        if self.form == "in-kind" and (None in hours or self.amount_cents is not None):
            raise ValueError("in-kind co-financing has a role and minutes, no amount")
        if self.form == "cash" and (hours != (None, None) or self.amount_cents is None):
            raise ValueError("cash co-financing has an amount, no role or minutes")
        return self


NewDeclarationLine = Annotated[
    MaterialLine | StaffHoursLine | CoFinancingLine, Field(discriminator="kind")
]


class Correction(BaseModel):
    """A correcting line: adjusts the amount of an earlier line of the school (negative takes
    money off), on the declaration it is posted to. The corrected line stays as it was."""

    corrects_line_id: UUID
    description: Text = Field(min_length=3, max_length=300)
    amount_cents: int = Field(ge=-100_000_000, le=100_000_000)


class Rejection(BaseModel):
    reason: MultilineText = Field(min_length=3, max_length=500)


class Payment(BaseModel):
    batch: Text = Field(min_length=1, max_length=40, examples=["2027-01"])
    paid_on: date


class RateChange(BaseModel):
    hourly_rate_cents: int = Field(ge=0, le=1_000_000)


class BudgetChange(BaseModel):
    amount_cents: int = Field(ge=0, le=MAX_CENTS)
    # Stop approvals that would exceed the budget instead of only warning.
    hard_limit: bool = False
