"""The due rules about panels and Families First: items with no decision, items waiting for a
next sitting, families allocated at panel with no plan, and families at Family Help with no
family group decision-making offered in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ehtool.domain.due.inputs import referral_start
from ehtool.domain.validators import as_date

if TYPE_CHECKING:
    from ehtool.domain.due.rules import _DueRun


def panel_items(due: _DueRun, items: Iterable[Mapping[str, Any]]) -> None:
    """``panel-undecided``: panel items with no decision after their sitting."""
    for p in items:
        fid = p["family_id"]
        sat = as_date(p.get("date"))
        if fid not in due.families or sat is None or p.get("decision"):
            continue
        if due.on > sat:
            where = ", ".join(x for x in (p.get("panel_locality"), sat.isoformat()) if x)
            due.add(
                fid,
                "panel-undecided",
                f"No decision recorded for item {p.get('item')} at panel {p['panel_ref']} ({where}).",
                sat,
            )


def waiting_items(due: _DueRun, items: Iterable[Mapping[str, Any]]) -> None:
    """``panel-waiting``: an item the panel deferred, with no next sitting of that panel scheduled."""
    for p in items:
        fid = p["family_id"]
        sat = as_date(p.get("date"))
        if fid not in due.families or sat is None:
            continue
        due.add(
            fid,
            "panel-waiting",
            f"Item {p.get('item')} of panel {p['panel_ref']} ({p.get('panel_locality')}, {sat.isoformat()}) was "
            f"carried to the next {p.get('kind')} panel, and none is scheduled: schedule one.",
            sat,
        )


def allocated_items(due: _DueRun, allocations: Iterable[Mapping[str, Any]]) -> None:
    """``no-plan``: a family allocated at panel with no open plan ``days_to_plan`` after the allocation
    (unless its level already put it on the list)."""
    listed = {i["family_id"] for i in due.items if i["category"] == "no-plan"}
    for a in allocations:
        fid = a["family_id"]
        day = as_date(a.get("date"))
        ref = due.families.get(fid, {}).get("ref")
        if fid not in due.families or day is None or fid in due.plans or ref in listed:
            continue
        deadline = day + dt.timedelta(days=due.settings.days_to_plan)
        if due.on > deadline:
            due.add(
                fid,
                "no-plan",
                f"Allocated at panel on {day.isoformat()} with no open plan "
                f"(expected within {due.settings.days_to_plan} days).",
                deadline,
            )


def family_group_items(due: _DueRun, meetings: Iterable[Mapping[str, Any]]) -> None:
    """``family-group-due``: where the profile asks for it, a family at a level that routes to early
    help (Family Help) with no family group decision-making offered in this episode (since the
    referral), more than ``family_group_offer_days`` after it came to that level (its assessment, or
    the day a referral came back stepped down)."""
    days = due.settings.family_group_offer_days
    if not days:
        return
    offered = {m["family_id"]: as_date(m.get("offered_on")) for m in meetings}
    for fid, assessment in due.latest.items():
        family = due.families.get(fid)
        level = str((family or {}).get("level") or assessment.get("level"))
        if family is None or level not in due.early:
            continue
        start = max(
            (d for d in (as_date(assessment.get("assessed_on")), as_date(family.get("level_assessed_on"))) if d),
            default=None,
        )
        last, episode = offered.get(fid), referral_start(family)
        if start is None or (last is not None and (episode is None or last >= episode)):
            continue
        deadline = start + dt.timedelta(days=days)
        if due.on > deadline:
            due.add(
                fid,
                "family-group-due",
                f"At {due.level_names.get(level, level)} since {start.isoformat()} with no family group "
                f"decision-making offered (expected within {days} days).",
                deadline,
            )
