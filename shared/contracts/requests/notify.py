"""Request bodies for notification preferences: the gateway validates them, notify too."""

from datetime import time
from typing import Literal

from pydantic import BaseModel, Field

Channel = Literal["email", "webhook", "in_app"]
Category = Literal["bookings", "loans", "events", "finance", "reminders", "announcements"]


class QuietHoursIn(BaseModel):
    """Wall time in Europe/Amsterdam; `start` after `end` runs past midnight."""

    start: time = Field(examples=["22:00"])
    end: time = Field(examples=["07:00"])


class PreferencesIn(BaseModel):
    channels: dict[Category, Channel] = Field(default_factory=dict,
                                              examples=[{"announcements": "in_app"}])
    # Only non-essential categories (reminders, announcements) can be opted out of.
    opted_out: list[Category] = Field(default_factory=list, max_length=10)
    digest: bool = False
    quiet_hours: QuietHoursIn | None = None
