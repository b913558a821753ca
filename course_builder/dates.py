"""Dates for staleness checks (guidance checked, statistics as of, next review), shared by the
core and plugins, and the long form in which learners read them."""

from __future__ import annotations

import datetime
import os
import re

from course_builder.i18n.words import N_
from course_builder.i18n.words import gettext as _

#: Set to YYYY-MM-DD to fix "today" for tests and reproducible release builds.
TODAY_VARIABLE = "COURSE_BUILDER_TODAY"


def today() -> datetime.date:
    """``COURSE_BUILDER_TODAY`` or the system date; ValueError (carrying the value) if malformed."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return datetime.date.today()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the month's end (31 March -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return datetime.date(year, month + 1, candidate)
        except ValueError:
            continue
    return datetime.date(year, month + 1, min(day.day, 28))


MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December"))


def long_date(day: datetime.date) -> str:
    """``1 November 2026`` (GOV.UK and NHS style), the month in the page's language."""
    return f"{day.day} {_(MONTHS[day.month - 1])} {day.year}"
