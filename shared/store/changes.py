"""Partial updates (PATCH): a request body names the fields to change; null or absent
leaves a field as it is."""

from pydantic import BaseModel


def apply_change(row: object, change: BaseModel) -> list[str]:
    """Set on `row` the fields `change` names; return those whose value differs."""
    changed = []
    for name, value in change.model_dump(exclude_none=True).items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed
