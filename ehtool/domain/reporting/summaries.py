"""How the board report sums things up: percentages and day counts (and the label for what was not recorded)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TypedDict

NOT_RECORDED = "Not recorded"


class DaysSummary(TypedDict):
    """How many days, and their median and mean (:func:`days_summary`)."""

    count: int
    median: float | None
    mean: float | None


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def days_summary(days: Sequence[int]) -> DaysSummary:
    if not days:
        return {"count": 0, "median": None, "mean": None}
    return {
        "count": len(days),
        "median": round(float(statistics.median(days)), 1),
        "mean": round(statistics.fmean(days), 1),
    }
