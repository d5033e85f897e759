"""What needs attention as of a day: the use case behind `ehtool due`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ehtool.domain import due as rules
from ehtool.errors import InvalidInput
from ehtool.services.settings import localities, profile
from ehtool.store.due import gather

if TYPE_CHECKING:
    from ehtool.store.connection import Store


def collect(st: Store, day: dt.date, *, within: int, locality: str | None, lead: str | None) -> list[rules.DueItem]:
    prof = profile(st)
    locs = localities(st)
    rows = gather(st, day)
    if locality and locality.strip():
        seen = [f.get("locality") for f in rows.families] + [r.get("locality") for r in rows.retention]
        if not rules.known_locality(locality, locs, seen):
            names = ", ".join(loc["name"] for loc in locs) or "none configured"
            raise InvalidInput(f"{locality!r} is not a locality of this partnership.", hint=f"Localities: {names}.")
    items = rules.compute(
        rows,
        day,
        within=within,
        settings=rules.Settings.from_profile(
            {**prof.settings, "family_group_offer_days": prof.family_group_offer_days}
        ),
        early_help_levels=_with_former_ids(prof, rules.early_help_level_ids(prof.levels)),
        referral_levels=_with_former_ids(prof, rules.referral_level_ids(prof.levels)),
        plan_beside_referral=prof.plan_beside_referral,
        level_names={old: lv.name for lv in prof.levels for old in (lv.id, *lv.formerly)},
    )
    return rules.select(items, locality=locality, lead=lead, localities=locs)


def _with_former_ids(prof, ids: list[str]) -> list[str]:
    """The level ids with the ids those levels had before (rows saved then keep them)."""
    return [x for lv in prof.levels if lv.id in ids for x in (lv.id, *lv.formerly)]
