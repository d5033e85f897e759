"""The board report put together: :func:`compute` runs each measure over the rows
the store has fetched (the definitions are in :mod:`ehtool.domain.reporting`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ehtool.domain.reporting.episodes import _families
from ehtool.domain.reporting.periods import month_points
from ehtool.domain.reporting.plans import _plans_by_family, _plans_closed, _progress, _review_counts
from ehtool.domain.reporting.reach import _reach
from ehtool.domain.reporting.referrals import _referral_tally
from ehtool.domain.reporting.rungs import (
    _assessments,
    _rung_distribution,
    _Rungs,
    _steps_by_month,
    _with_step_downs,
)
from ehtool.domain.reporting.summaries import days_summary, percent


def compute(
    data: Mapping[str, Any],
    *,
    levels: Sequence[Mapping[str, str]],
    lowest: str,
    areas: Sequence[Mapping[str, str]],
    close_reasons: Mapping[str, str],
    start: dt.date,
    end: dt.date,
    district: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """The report's measures (see the package docstring) for ``[start, end]``.

    ``levels``: the profile's rungs, lowest first, as ``{"id", "name"}``;
    ``areas``: the framework's outcome areas ``{"id", "name"}``;
    ``close_reasons``: plan closure reason id -> label; ``district``: postcode
    -> district (raises on nonsense)."""
    fams = _families(data)
    assess = _assessments(data, fams)
    moves = _with_step_downs(data, assess, fams)
    rungs = _Rungs(levels, moves)
    points = month_points(start, end)
    open_families, distribution = _rung_distribution(fams, rungs, points, end)
    by_month = _steps_by_month(moves, points, start, end)
    plans = _plans_by_family(data, fams)
    tally = _referral_tally(fams, assess, plans, lowest, start, end)
    reason_rows = _plans_closed(plans, close_reasons, start, end)
    review_counts = _review_counts(data, plans, start, end)
    due = review_counts["on_time"] + review_counts["late"] + review_counts["not_held"]
    return {
        "rungs": [{"id": lv["id"], "name": lv["name"], "rank": i} for i, lv in enumerate(levels, 1)]
        + [{"id": x, "name": x, "rank": None} for x in rungs.extra],
        "open_families": open_families,
        "rung_distribution": distribution,
        "steps": {
            "step_ups": sum(m["step_ups"] for m in by_month),
            "step_downs": sum(m["step_downs"] for m in by_month),
            "from_social_care": sum(m["from_social_care"] for m in by_month),
            "by_month": by_month,
        },
        "referrals": tally.referrals(),
        "re_referrals": tally.re_referrals(),
        "plans_closed": {"total": sum(r["count"] for r in reason_rows), "by_reason": reason_rows},
        "progress": _progress(data, plans, areas, start, end),
        "timeliness": {
            "referral_to_assessment_days": days_summary(tally.to_assessment),
            "referral_to_plan_days": days_summary(tally.to_plan),
            "reviews": {
                "due": due,
                "on_time": review_counts["on_time"],
                "late": review_counts["late"],
                "not_held": review_counts["not_held"],
                "on_time_percent": percent(review_counts["on_time"], due),
            },
        },
        "reach": _reach(data, fams, start, end, district),
    }
