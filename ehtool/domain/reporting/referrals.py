"""The board report's referrals: new referrals and whether they met the threshold,
re-referrals within the window, and the days from referral to assessment and to plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ehtool.domain.reporting.summaries import percent

if TYPE_CHECKING:
    from ehtool.domain.reporting.rungs import _Assessed

WINDOW_DAYS = 365


@dataclass
class _Tally:
    """New referrals, re-referrals and the days from referral to assessment and to plan."""

    new: int = 0
    assessed: int = 0
    below: int = 0
    reopened: int = 0
    replanned: int = 0
    re_families: set[int] = field(default_factory=set)
    to_assessment: list[int] = field(default_factory=list)
    to_plan: list[int] = field(default_factory=list)

    def referrals(self) -> dict[str, Any]:
        """The ``referrals`` section of the report."""
        return {
            "new": self.new,
            "assessed": self.assessed,
            "below_threshold": self.below,
            "met_threshold": self.assessed - self.below,
            "not_assessed": self.new - self.assessed,
            "below_threshold_percent": percent(self.below, self.assessed),
        }

    def re_referrals(self) -> dict[str, Any]:
        """The ``re_referrals`` section of the report."""
        return {
            "count": self.reopened + self.replanned,
            "families": len(self.re_families),
            "from_reopen": self.reopened,
            "from_new_plan": self.replanned,
            "window_days": WINDOW_DAYS,
        }


def _referral_tally(
    fams: Mapping[int, Mapping[str, Any]],
    assess: Mapping[int, list[_Assessed]],
    plans: Mapping[int, list[dict[str, Any]]],
    lowest: str,
    start: dt.date,
    end: dt.date,
) -> _Tally:
    """Referrals, timeliness to assessment and plan, and re-referrals, over every family."""
    tally = _Tally()
    for fid, f in fams.items():
        for ep in f["episodes"]:
            _count_episode(tally, fid, ep, assess.get(fid, []), plans.get(fid, []), lowest, start, end)
        _count_replans(tally, fid, f["episodes"], plans.get(fid, []), start, end)
    return tally


def _count_episode(
    tally: _Tally,
    fid: int,
    ep: Mapping[str, Any],
    rows: list[_Assessed],
    fam_plans: list[dict[str, Any]],
    lowest: str,
    start: dt.date,
    end: dt.date,
) -> None:
    """One episode: a new referral? its first assessment and plan; a reopening within the window?"""
    last = min(ep["end"] or end, end)
    first = next((r for r in rows if ep["start"] <= r[0] <= last), None)
    if ep["referred"] and start <= ep["start"] <= end:
        tally.new += 1
        if first is not None:
            tally.assessed += 1
            tally.below += first[2] == lowest
    if ep["referred"] and first is not None and start <= first[0] <= end:
        tally.to_assessment.append((first[0] - ep["start"]).days)
    plan = next((p for p in fam_plans if ep["start"] <= p["created"] <= last), None)
    if ep["referred"] and plan is not None and start <= plan["created"] <= end:
        tally.to_plan.append((plan["created"] - ep["start"]).days)
    if (
        ep["prev_end"] is not None
        and start <= ep["start"] <= end
        and 0 <= (ep["start"] - ep["prev_end"]).days <= WINDOW_DAYS
    ):
        tally.reopened += 1
        tally.re_families.add(fid)


def _count_replans(
    tally: _Tally, fid: int, eps: list[dict[str, Any]], fam_plans: list[dict[str, Any]], start: dt.date, end: dt.date
) -> None:
    """Plans started in the period within the window of the previous plan's closure
    (unless a reopening in between was already counted)."""
    for before, after in zip(fam_plans, fam_plans[1:]):
        closed, begun = before["closed_on"], after["created"]
        if (
            closed is not None
            and start <= begun <= end
            and 0 <= (begun - closed).days <= WINDOW_DAYS
            and not any(e["prev_end"] is not None and closed <= e["start"] <= begun for e in eps)
        ):
            tally.replanned += 1
            tally.re_families.add(fid)
