"""The one clock. Everything in ehtool that needs "today" or "now" asks here.

``EHTOOL_TODAY=YYYY-MM-DD`` pins the day ehtool takes as today (England's date,
Europe/London): tests pin it so the suite passes on any day of any year, and a
coordinator can reproduce yesterday's due list or last month's report exactly.
Timestamps (the audit trail's ``at``, ``created_at``) then fall on that day
too, keeping the time of day from the machine's clock, so that the order of
events within a run is still real and "created" is never after "today".
Without it, today is the machine's date in England, whatever its own zone.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from zoneinfo import ZoneInfo

from ehtool.errors import UsageError

LONDON = ZoneInfo("Europe/London")
ENV = "EHTOOL_TODAY"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def pinned_today() -> _dt.date | None:
    """The day ``EHTOOL_TODAY`` pins, or None when it is unset or blank."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    if _ISO_DAY.fullmatch(raw):
        try:
            return _dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise UsageError(
        f"{ENV}={raw[:40]!r} is not a date.",
        hint=f"Set {ENV} to a day as YYYY-MM-DD (for example 2026-11-30), or unset it to use the machine's date.",
    )


def today() -> _dt.date:
    """Today's date in England: ``EHTOOL_TODAY`` if set, else the machine's clock."""
    return pinned_today() or _dt.datetime.now(LONDON).date()


def now() -> _dt.datetime:
    """Now, as an aware UTC datetime, on the day :func:`today` says."""
    real = _dt.datetime.now(LONDON)
    day = pinned_today()
    if day is not None and day != real.date():
        wall = real.replace(tzinfo=None)
        real = _dt.datetime.combine(day, wall.time()).replace(tzinfo=LONDON)
    return real.astimezone(_dt.UTC)


def now_utc() -> str:
    """Now as UTC ISO text with microseconds and ``Z`` (audit and row timestamps)."""
    return now().isoformat(timespec="microseconds").replace("+00:00", "Z")


def utc_stamp() -> str:
    """Now as ``YYYYMMDDTHHMMSSZ`` (backup and replaced-file names)."""
    return now().strftime("%Y%m%dT%H%M%SZ")
