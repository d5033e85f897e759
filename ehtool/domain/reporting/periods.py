"""The board report's period and the month ends it touches."""

from __future__ import annotations

import datetime as dt

from ehtool.errors import InvalidInput


def period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The report's period: by default the 12 months ending ``end`` (default today)."""
    end = end or today
    if start is None:
        try:
            year_before = end.replace(year=end.year - 1)
        except ValueError:  # 29 February
            year_before = end.replace(year=end.year - 1, day=28)
        start = year_before + dt.timedelta(days=1)
    if start > end:
        raise InvalidInput(f"The period starts ({start}) after it ends ({end}).", hint="Give --from on or before --to.")
    return start, end


def month_points(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """(YYYY-MM, the month's last day or ``end``) for each month the period touches."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        out.append((f"{year:04d}-{month:02d}", min(nxt - dt.timedelta(days=1), end)))
        year, month = nxt.year, nxt.month
    return out
