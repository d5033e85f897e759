"""The demo's third step: each child placed on the continuum of need from a scripted
answers set, siblings at different levels, and a referral recorded where the level
routes to one (instead of a plan). Synthetic people only."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from ehtool import clock
from ehtool.domain.children import Child, offered_for_child, offered_for_household
from ehtool.services import assessments as assessing
from ehtool.services import referrals
from ehtool.services.consent import record as record_consent
from ehtool.services.families import add_member, list_families
from ehtool.services.settings import profile as current_profile

if TYPE_CHECKING:
    from ehtool.domain.thresholds import Indicator, Profile
    from ehtool.services.demo import Tour
    from ehtool.store.rows import FamilySummary

SEED = 20261126
VIEWS = {"family_view": "We want things to get better.", "organisation": "Demo Early Help Service"}


def _pick(rng: random.Random, prof: Profile, pool: list[Indicator], level: str, k: int) -> list[str]:
    """Up to ``k`` indicators of ``pool`` at ``level``."""
    at = [i for i in pool if i.level == level and not i.significant_harm]
    return [i.id for i in rng.sample(at, k=min(len(at), k))]


def _answers(rng: random.Random, prof: Profile, kids: list[Child], level: str) -> dict[str, Any]:
    """A scripted answers set placing the oldest child at ``level`` and the others lower."""
    lower = prof.levels[1].id
    children: dict[str, Any] = {}
    for n, kid in enumerate(kids):
        chosen = _pick(rng, prof, offered_for_child(prof, kid), level if n == 0 else lower, rng.randint(1, 2))
        children[kid.member_id] = {"indicators": chosen, "child_view": "I want to feel safe and go to school."}
    household = _pick(rng, prof, offered_for_household(prof, kids), lower, 1)
    return {"children": children, "household": {"indicators": household}, **VIEWS}


def _harm(prof: Profile, kids: list[Child]) -> dict[str, Any]:
    """A significant-harm indicator for the oldest child (or the household, with no child)."""
    if not kids:
        harm = next(i.id for i in prof.indicators if i.significant_harm and not i.child_level)
        return {"household": {"indicators": [harm]}, **VIEWS}
    harm = next(i.id for i in offered_for_child(prof, kids[0]) if i.significant_harm)
    return {"children": {kids[0].member_id: {"indicators": [harm]}}, **VIEWS}


def _baby_and_teenager(store, families: list[FamilySummary], kids: dict[str, list[Child]]) -> str:
    """A family with a teenager, given a new baby (synthetic), for siblings at different levels."""
    ref = next(
        (f["id"] for f in families[:-1] if any(k.age is not None and k.age >= 13 for k in kids[f["id"]])),
        families[1]["id"],
    )
    born = clock.today() - dt.timedelta(days=150)
    surname = str(next(f["name"] for f in families if f["id"] == ref)).split(" ")[0]
    add_member(store, ref, {"name": f"Ada {surname}", "role": "child", "dob": born.isoformat()}, allow_duplicate=True)
    return ref


def assess_all(tour: Tour, store) -> list[FamilySummary]:
    """Step 3 of the demo; returns the families (listed before the step)."""
    tour.step("3. Place each child, and so each family, on the continuum of need (scripted answers)")
    prof = current_profile(store)
    rng = random.Random(SEED)
    families = list_families(store)
    kids_of = {f["id"]: assessing.children(store, f["id"]) for f in families}
    siblings = _baby_and_teenager(store, families, kids_of)
    harm_ref = families[-1]["id"]
    referred_ref = next(
        f["id"]
        for f in reversed(families[:-1])
        if f["id"] != siblings and any(k.age is not None and k.age >= 5 for k in kids_of[f["id"]])
    )
    early = prof.early_help_levels()
    referral_level = prof.referral_levels()[0]
    by_level: dict[str, int] = {}
    kids_of[siblings] = assessing.children(store, siblings)  # with the new baby
    for fam in families:
        kids = kids_of[fam["id"]]
        if fam["id"] == harm_ref:
            answers = _harm(prof, kids)
        else:
            level = referral_level if fam["id"] in (referred_ref, siblings) else rng.choice(early)
            answers = _answers(rng, prof, kids, level)
        record = _save(store, fam["id"], answers, prof, kids)
        by_level[record["level_name"]] = by_level.get(record["level_name"], 0) + 1
        _narrate(tour, store, prof, fam["id"], record, siblings, referred_ref)
    for name, count in sorted(by_level.items()):
        tour.say(f"{count:>3}  {name}")
    tour.say(f"{harm_ref} must be referred to the front door instead of an early help plan (exit status 10 in scripts)")
    return families


def _save(store, ref: str, answers: dict[str, Any], prof: Profile, kids: list[Child]) -> dict[str, Any]:
    values = assessing.build(prof, answers, kids)
    record = assessing.save(store, ref, values)
    if not record["significant_harm"] and record["route"] == "early-help":
        for type_ in ("early-help", "panel"):
            record_consent(
                store, ref, type_=type_, status="given", date=None, by="parent", how="signed consent form",
                reason=None, member=None,
            )  # fmt: skip
    return record


def _narrate(tour: Tour, store, prof: Profile, ref: str, record: dict, siblings: str, referred: str) -> None:
    if record["significant_harm"]:
        tour.say(f"{ref}: a significant-harm indicator was ticked; the banner goes up at once:")
        names = assessing.names_of(store, ref)
        who = ", ".join(
            f"{c['member_id']} {names[c['member_id']]}" for c in record["children"] if c["significant_harm"]
        )
        tour.harm(
            prof, [i for x in record["indicators"] if (i := prof.indicator(x)) and i.significant_harm], who or None
        )
    if ref == siblings:
        ages = {c.member_id: c.age_text() for c in assessing.children(store, ref)}
        levels = ", ".join(f"{c['member_id']} ({ages[c['member_id']]}) {c['level_name']}" for c in record["children"])
        tour.say(f"{ref}: siblings at different levels: {levels}")
    if ref == referred:
        made = referrals.record(
            store, ref, to="front-door", members=None, date=None, reference="MARF-DEMO-0001",
            reason="Complex needs: the level routes to a referral to children's social care.",
        )  # fmt: skip
        tour.say(
            f"{ref}: {record['level_name']} routes to a referral, so the record is referral {made['id']} "
            f"to {prof.front_door['name']} ({', '.join(made['member_ids'])}), not a plan"
        )
