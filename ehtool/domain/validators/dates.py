"""Dates typed by people or read from files, today in England, and ages.

Pure functions, standard library only, no I/O (see :mod:`ehtool.domain.validators`).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Literal

from ehtool.clock import LONDON
from ehtool.clock import today as today_london
from ehtool.errors import InvalidInput

__all__ = [
    "LONDON",
    "AgeStyle",
    "age_label",
    "age_months",
    "age_years",
    "as_date",
    "london_date",
    "parse_date",
    "parse_dob",
    "parse_due_date",
    "today_london",
]

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_DMY_SHORT = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{1,2}")
_DATE_HINT = "Use YYYY-MM-DD (2024-03-31) or DD/MM/YYYY (31/03/2024), day before month, four-digit year."


def parse_date(s: object, *, field: str = "date") -> _dt.date:
    """Parse a date typed by a person or read from a file.

    Accepted: ISO ``YYYY-MM-DD`` (optionally followed by a time, as some
    exports write it), ``DD/MM/YYYY`` and ``D/M/YYYY`` (day first, as in the UK;
    ``.`` or ``-`` also separate), a :class:`datetime.date`, and a
    :class:`datetime.datetime` (its date: xlsx cells arrive as datetimes).
    Rejected: two-digit years (``01/02/03`` is ambiguous), impossible dates
    (31/02/2024) and anything else.
    """
    if isinstance(s, _dt.datetime):
        return s.date()
    if isinstance(s, _dt.date):
        return s
    raw = "" if s is None else str(s).strip()
    if not raw:
        raise InvalidInput(f"the {field} is blank", hint=_DATE_HINT)
    m = _ISO.fullmatch(raw)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.fullmatch(raw)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        elif _DMY_SHORT.fullmatch(raw):
            raise InvalidInput(f"{field} {raw!r} has a two-digit year, which is ambiguous", hint=_DATE_HINT)
        else:
            raise InvalidInput(f"{field} {raw!r} is not a date ehtool can read", hint=_DATE_HINT)
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        raise InvalidInput(f"{field} {raw!r} is not a real date", hint=_DATE_HINT) from None


MAX_AGE_YEARS = 120
DUE_DATE_MAX_AHEAD = _dt.timedelta(days=310)  # about ten months
DUE_DATE_MAX_OVERDUE = _dt.timedelta(days=14)  # induction is usually offered by 42 weeks


def _years_before(day: _dt.date, years: int) -> _dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, month=3, day=1)


def parse_dob(s: object, *, today: _dt.date | None = None, field: str = "date of birth") -> _dt.date:
    """A date of birth: as :func:`parse_date`, not in the future and not more
    than 120 years ago."""
    day = parse_date(s, field=field)
    today = today or today_london()
    if day > today:
        raise InvalidInput(
            f"{field} {day.isoformat()} is in the future",
            hint="For a baby not yet born, record the role 'unborn' with an expected due date.",
        )
    if day < _years_before(today, MAX_AGE_YEARS):
        raise InvalidInput(f"{field} {day.isoformat()} is more than {MAX_AGE_YEARS} years ago", hint=_DATE_HINT)
    return day


def parse_due_date(s: object, *, today: _dt.date | None = None, field: str = "expected due date") -> _dt.date:
    """An unborn child's expected due date: from two weeks ago (a baby may come
    late) to about ten months ahead."""
    day = parse_date(s, field=field)
    today = today or today_london()
    if day < today - DUE_DATE_MAX_OVERDUE:
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than two weeks ago",
            hint="If the baby has been born, record the child with a date of birth instead.",
        )
    if day > today + DUE_DATE_MAX_AHEAD:
        raise InvalidInput(
            f"{field} {day.isoformat()} is more than ten months ahead", hint="Check the year of the expected due date."
        )
    return day


def age_years(dob: _dt.date, on: _dt.date | None = None) -> int:
    """Age in whole years on a day. A 29 February birthday falls on 1 March in
    a year without one (so the person is still the younger age on 28 February)."""
    on = on or today_london()
    if on < dob:
        raise ValueError("the date of birth is after the day the age is wanted for")
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def age_months(dob: _dt.date, on: _dt.date | None = None) -> int:
    """Age in whole months; a monthly birthday on a day the month lacks (the 31st)
    falls on the 1st of the next month, as 29 February does for years."""
    on = on or today_london()
    if on < dob:
        raise ValueError("the date of birth is after the day the age is wanted for")
    return (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)


AgeStyle = Literal["short", "panel", "plan"]


def age_label(dob: _dt.date | None, on: _dt.date | None = None, *, style: AgeStyle = "short") -> str:
    """A child's age as ehtool shows it, one computation in three dresses:

    - ``short`` (terminal): '3y', or under two, months: '9m', '0m';
    - ``panel`` (panel papers): '7', or under two, '9m';
    - ``plan`` (a plan document): '7', or under one, '4 months', 'under 1 month'.

    No date of birth, or one after ``on``: '' (the caller shows 'unborn' where it applies)."""
    on = on or today_london()
    if dob is None or dob > on:
        return ""
    years, months = age_years(dob, on), age_months(dob, on)
    if style == "plan":
        if months < 12:
            return "under 1 month" if months < 1 else f"{months} month{'s' if months != 1 else ''}"
        return str(years)
    if years < 2:
        return f"{months}m"
    return f"{years}y" if style == "short" else str(years)


def as_date(value: object, *, strict: bool = False) -> _dt.date | None:
    """The one coercion for dates held in rows, files and cells: None or '' is None; a
    datetime gives its date, a date itself; ISO text (or a timestamp's date part) its
    date. Anything else is None, or ValueError when ``strict``."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        if strict:
            raise
        return None


def london_date(timestamp: object) -> _dt.date | None:
    """The Europe/London calendar day of a stored UTC timestamp (``2026-01-05T23:30:00Z``);
    a plain date stays as it is; None if blank or not a date."""
    if not timestamp:
        return None
    text = str(timestamp).strip()
    try:
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return as_date(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(LONDON).date()
