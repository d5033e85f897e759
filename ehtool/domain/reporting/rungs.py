"""The board report's rungs: each family's rung on a day, open families by rung at
each month end, and step-ups and step-downs by month."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ehtool.domain.reporting.summaries import NOT_RECORDED
from ehtool.domain.validators import as_date

UNASSESSED = "unassessed"

# An assessment as the measures use it: (assessed_on, id, level, movement), sorted per family.
_Assessed = tuple[Any, int, str, Any]
# A referral's step-down from social care moves the family like an assessment does.
FROM_SOCIAL_CARE = "stepped-down-from-social-care"


def _with_step_downs(
    data: Mapping[str, Any], assess: Mapping[int, list[_Assessed]], fams: Mapping[int, Any]
) -> defaultdict[int, list[_Assessed]]:
    """The families' assessments with their referrals' step-downs as moves on the day they came back."""
    moved: defaultdict[int, list[_Assessed]] = defaultdict(list, {fid: list(rows) for fid, rows in assess.items()})
    for r in data.get("step_downs", []):
        day = as_date(r["outcome_date"])
        if r["family_id"] in fams and day is not None:
            moved[r["family_id"]].append((day, -r["id"], r["stepped_down_to"], FROM_SOCIAL_CARE))
    for rows in moved.values():
        rows.sort(key=lambda row: (row[0], abs(row[1])))
    return moved


def _assessments(data: Mapping[str, Any], fams: Mapping[int, Any]) -> defaultdict[int, list[_Assessed]]:
    """Each family's assessments, oldest first."""
    assess: defaultdict[int, list[_Assessed]] = defaultdict(list)
    for a in data["assessments"]:
        if a["family_id"] in fams:
            assess[a["family_id"]].append((as_date(a["assessed_on"]), a["id"], a["level"], a["movement"]))
    for rows in assess.values():
        rows.sort()
    return assess


class _Rungs:
    """The rung ids in report order (the profile's, any others found, then ``unassessed``)
    and each family's rung on a day."""

    def __init__(self, levels: Sequence[Mapping[str, str]], assess: Mapping[int, list[_Assessed]]) -> None:
        self.assess = assess
        self.dates = {fid: [r[0] for r in rows] for fid, rows in assess.items()}
        known = [lv["id"] for lv in levels]
        self.extra: list[str] = sorted({r[2] for rows in assess.values() for r in rows} - set(known))
        self.ids: list[str] = known + self.extra + [UNASSESSED]

    def on(self, fid: int, day: dt.date) -> str:
        """The level of the family's latest assessment on or before ``day``."""
        i = bisect.bisect_right(self.dates.get(fid, []), day)
        return self.assess[fid][i - 1][2] if i else UNASSESSED

    def blank(self) -> dict[str, int]:
        """A zero count for every rung."""
        return dict.fromkeys(self.ids, 0)


def _rung_distribution(
    fams: Mapping[int, Mapping[str, Any]], rungs: _Rungs, points: list[tuple[str, dt.date]], end: dt.date
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Open families by rung at each month end (the last is ``end``), and on ``end`` by locality."""
    days = [day for _, day in points]
    counts = [rungs.blank() for _ in points]
    by_loc: defaultdict[str, dict[str, int]] = defaultdict(rungs.blank)
    for fid, f in fams.items():
        months: set[int] = set()
        for ep in f["episodes"]:
            months.update(
                range(
                    bisect.bisect_left(days, ep["start"]),
                    bisect.bisect_right(days, ep["end"]) if ep["end"] else len(days),
                )
            )
        for i in months:
            counts[i][rungs.on(fid, days[i])] += 1
        if len(days) - 1 in months:
            by_loc[f["locality"] or NOT_RECORDED][rungs.on(fid, end)] += 1
    distribution = [
        {"month": month, "date": day.isoformat(), "total": sum(c.values()), "by_rung": c}
        for (month, day), c in zip(points, counts)
    ]
    now = counts[-1]
    open_families = {
        "as_of": end.isoformat(),
        "total": sum(now.values()),
        "by_rung": dict(now),
        "by_locality": [
            {"locality": loc, "total": sum(c.values()), "by_rung": c}
            for loc, c in sorted(by_loc.items(), key=lambda kv: (kv[0] == NOT_RECORDED, kv[0].casefold()))
        ],
    }
    return open_families, distribution


def _steps_by_month(
    assess: Mapping[int, list[_Assessed]], points: list[tuple[str, dt.date]], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Step-ups and step-downs in the period, by month of the assessment."""
    steps: dict[str, dict[str, Any]] = {
        month: {"month": month, "step_ups": 0, "step_downs": 0, "from_social_care": 0} for month, _ in points
    }
    for rows in assess.values():
        for day, _, _, move in rows:
            if move in ("step-up", "step-down", FROM_SOCIAL_CARE) and start <= day <= end:
                month = steps[day.strftime("%Y-%m")]
                month["step_ups" if move == "step-up" else "step_downs"] += 1
                month["from_social_care"] += move == FROM_SOCIAL_CARE
    return list(steps.values())
