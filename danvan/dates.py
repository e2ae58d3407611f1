"""Dates as users read them, and the countdowns every stage shows."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone


def today() -> datetime.date:
    return timezone.localdate()


def format_date(day: datetime.date | None) -> str:
    """A date in the active language's short format (Vietnamese: 30/11/2026)."""
    if day is None:
        return ""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def days_left(day: datetime.date | None, *, today_: datetime.date | None = None) -> int | None:
    """Whole days from today until ``day`` (0 on the day itself, negative once past)."""
    if day is None:
        return None
    return (day - (today_ or today())).days
