"""What a panel decision does: its effect (:mod:`ehtool.domain.decisions`), applied in the
transaction that records the decision, audited as the decision's effect.

Each effect is applied at most once per agenda item (``panel_effects`` holds one row per
item and effect), so reading the same workbook again, or recording the same decision twice,
changes nothing. An effect that cannot apply is recorded as skipped with the reason (a
closed family is not allocated; ``--keep-open`` keeps a signposted family open). Each
effect is described by a dict: ``effect``, ``outcome`` (applied, skipped, waiting or
already), ``what`` (a sentence with references, never a family member's name) and
``target`` (the reference of what it made or changed, or None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.domain import referrals as referral_rules
from ehtool.domain import validators as v
from ehtool.services.consent import status_of
from ehtool.services.families import set_lead
from ehtool.services.referrals import member_ids, stepped_down_to
from ehtool.services.settings import organisation
from ehtool.store import families as families_repo
from ehtool.store import meetings as meetings_repo
from ehtool.store import panel_effects as repo
from ehtool.store import panels as panels_repo
from ehtool.store import referrals as referrals_repo
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.domain.decisions import Decision
    from ehtool.domain.profile_schema import Profile

OPEN_REFERRAL_TARGETS = ("front-door", "social-care")


def service_name(store) -> str:
    """Who a family is allocated to when the panel names no one: the organisation, else the service."""
    return organisation(store) or "Early help service"


@dataclass
class _Effect:
    """One decision's effect on one item: what it needs, and how it is recorded."""

    store: Any
    profile: Profile
    panel: Mapping[str, Any]
    item: dict[str, Any]
    decision: Decision
    values: Mapping[str, Any]
    keep_open: bool
    write: bool
    predicted: dict[int, int] | None = None

    @property
    def fid(self) -> int:
        return int(self.item["family_pk"])

    @property
    def ref(self) -> str:
        return panels_repo.item_ref(self.panel["id"], self.item["item"])

    @property
    def day(self) -> str:
        """The effect's date: the sitting's, or today when a decision is recorded ahead of its sitting
        (a referral or a closure is never dated in the future)."""
        return min(str(self.panel["date"]), v.today_london().isoformat())

    def done(self, outcome: str, what: str, *, target: str | None = None, detail: str | None = None) -> dict:
        if self.write:
            repo.record(
                self.store, self.item, self.decision.effect, outcome, on=self.day, detail=detail or what, target=target
            )
        return {"effect": self.decision.effect, "outcome": outcome, "what": what, "target": target}


def apply(
    store,
    profile: Profile,
    panel: Mapping[str, Any],
    item: dict[str, Any],
    decision: Decision,
    values: Mapping[str, Any],
    changed: list[str] | set[str],
    *,
    keep_open: bool = False,
    write: bool = True,
    predicted: dict[int, int] | None = None,
) -> list[dict[str, Any]]:
    """The effect of recording ``decision`` on ``item`` (``values`` as recorded after the change,
    ``changed`` the fields that changed); written when ``write``, else only described (a dry run
    shares ``predicted``, the next item number foreseen for each sitting, across its rows).

    An effect applied before is not applied again ("already"), except that a new Allocated to
    re-applies an allocation or a step-down; one skipped before is looked at afresh. An item
    waiting for the next sitting stops waiting when the panel records another decision."""
    effect = decision.effect
    recorded = repo.of_item(store, item["id"])
    waiting = recorded.get("carry")
    if write and waiting is not None and waiting["outcome"] == "waiting" and effect != "carry":
        # the panel changed its mind: the item no longer waits for the next sitting
        repo.record(store, item, "carry", "skipped", on=waiting["applied_on"], detail=f"replaced by {decision.id}")
    if effect == "none":
        return []
    before = recorded.get(effect)
    again = effect in ("allocate", "step-down") and "allocated_to" in changed
    if before is not None and before["outcome"] == "applied" and not again:
        return [
            {
                "effect": effect,
                "outcome": "already",
                "what": f"already done when the decision was first recorded: {before['detail']}",
                "target": before["target"],
            }
        ]
    if before is not None and before["outcome"] == "waiting":
        return [{"effect": effect, "outcome": "waiting", "what": before["detail"], "target": None}]
    e = _Effect(store, profile, panel, item, decision, values, keep_open, write, predicted)
    return [_HANDLERS[effect](e)]


def _closed(e: _Effect, doing: str) -> dict | None:
    if family_row(e.store, e.fid)["status"] == "closed":
        return e.done("skipped", f"{fam.family_ref(e.fid)} is closed, so it was not {doing} (reopen it first).")
    return None


def _allocate(e: _Effect) -> dict:
    skipped = _closed(e, "allocated")
    if skipped:
        return skipped
    lead = v.clean_text(e.values.get("allocated_to") or service_name(e.store), field="lead professional", max_len=120)
    if e.write:
        set_lead(e.store, e.fid, lead)  # the family's lead, and its open plan's
    days = e.profile.settings["days_to_plan"]
    return e.done(
        "applied",
        f"lead professional of {fam.family_ref(e.fid)} is {lead}; a plan is due within {days} days",
        target=fam.family_ref(e.fid),
    )


def _open_referral(e: _Effect) -> dict[str, Any] | None:
    open_ones = [
        r
        for r in referrals_repo.for_family(e.store, e.fid)
        if r["outcome"] is None and r["to"] in OPEN_REFERRAL_TARGETS
    ]
    return open_ones[-1] if open_ones else None


def _step_up(e: _Effect) -> dict:
    skipped = _closed(e, "referred")
    if skipped:
        return skipped
    existing = _open_referral(e)
    if existing is not None:
        return e.done(
            "skipped",
            f"referral {existing['id']} of {existing['date']} is still open; no second referral recorded",
            target=existing["id"],
        )
    door = e.profile.front_door.get("name") or "the front door"
    target = None
    if e.write:
        values = {"to_service": "front-door", "date": e.day, "reason": f"Stepped up at panel {e.ref}."}
        rid = referrals_repo.record(e.store, e.fid, values, member_ids(e.store, e.fid, None))
        target = fam.referral_ref(rid)
    return e.done("applied", f"referral to the front door ({door}) recorded on {e.day}", target=target)


def _step_down(e: _Effect) -> dict:
    receiving = e.values.get("allocated_to") or service_name(e.store)
    what = f"stepped down to {receiving}"
    existing = _open_referral(e)
    target = None
    if existing is not None and existing["date"] <= e.day:
        target = existing["id"]
        what += f"; referral {existing['id']} recorded as {referral_rules.STEPPED_DOWN_NOTE}"
        if e.write:
            level = stepped_down_to(e.store, existing, None)
            values = {
                "outcome": "stepped-down",
                "outcome_date": e.day,
                "outcome_note": f"Stepped down at panel {e.ref}.",
                "stepped_down_to": level,
            }
            referrals_repo.set_outcome(
                e.store, fam.parse_ref(existing["id"], fam.REFERRAL_PREFIX, "referral"), values, family_level=level
            )
    return e.done("applied", what, target=target, detail=f"stepped down to {receiving}")


def _close(e: _Effect) -> dict:
    ref = fam.family_ref(e.fid)
    if e.keep_open:
        return e.done("skipped", f"{ref} kept open (--keep-open)")
    if family_row(e.store, e.fid)["status"] == "closed":
        return e.done("skipped", f"{ref} was already closed")
    if e.write:
        families_repo.set_status(e.store, e.fid, "closed", e.decision.label, e.day)
    return e.done("applied", f"{ref} closed on {e.day}: {e.decision.label}", target=ref)


def _carry(e: _Effect) -> dict:
    kind = e.panel["kind"]
    # the next sitting after this one that has not already been held
    yesterday = (v.today_london() - dt.timedelta(days=1)).isoformat()
    after = max(str(e.panel["date"]), yesterday)
    nxt = panels_repo.next_sitting(e.store, kind, e.panel["locality"], after, inclusive=False)
    if nxt is None:
        found = e.profile.panel_kind(kind)
        name = found.name if found else f"{kind} panel"
        return e.done(
            "waiting", f"waits for the next {name} for {e.panel['locality']} (none is scheduled after {after})"
        )
    target = carry_to(e.store, e.item, nxt, write=e.write, predicted=e.predicted)
    return e.done("applied", f"carried to {nxt['date']}'s sitting as {target}", target=target)


def carry_to(
    store,
    item: Mapping[str, Any],
    sitting: Mapping[str, Any],
    *,
    write: bool = True,
    predicted: dict[int, int] | None = None,
) -> str:
    """Put ``item``'s family on ``sitting``'s agenda, carried from ``item`` (or link the item
    already there); returns the new item's reference. The carried item keeps the reason,
    presenter, notes and any reason for discussing the family without consent, and its consent
    to be discussed is read afresh (it may have changed since)."""
    agenda = panels_repo.items(store, sitting["id"])
    there = next((i for i in agenda if i["family_pk"] == item["family_pk"]), None)
    if there is not None:
        if write and there["carried_from"] is None:
            panels_repo.link_carried(store, there["id"], item["id"])
        return panels_repo.item_ref(sitting["id"], there["item"])
    if not write:
        foreseen = predicted if predicted is not None else {}
        number = foreseen.get(sitting["id"], max((i["item"] for i in agenda), default=0)) + 1
        foreseen[sitting["id"]] = number
        return panels_repo.item_ref(sitting["id"], number)
    keep = {k: item.get(k) for k in ("reason", "presenter", "notes", "no_consent_reason")}
    consent = status_of(store, item["family_pk"], "panel")
    keep["consent_status"] = f"{consent['status']} {consent['date']}" if consent else "not recorded"
    number = panels_repo.add_item(store, sitting["id"], item["family_pk"], keep, carried_from=item["id"])
    return panels_repo.item_ref(sitting["id"], number)


def carry_waiting(store, sitting: Mapping[str, Any]) -> list[str]:
    """Carry every item waiting for a sitting like this one (same kind and locality, an earlier
    sitting) onto it; returns the new items' references. Inside the scheduling transaction."""
    carried = []
    for row in repo.waiting(store, sitting["kind"], sitting["locality"], sitting["date"]):
        target = carry_to(store, row, sitting)
        detail = f"carried to {sitting['date']}'s sitting as {target}"
        repo.record(store, row, "carry", "applied", on=row["panel_date"], detail=detail, target=target)
        carried.append(target)
    return carried


def _family_group(e: _Effect) -> dict:
    skipped = _closed(e, "offered family group decision-making")
    if skipped:
        return skipped
    current = meetings_repo.latest_open(e.store, e.fid)
    if current is not None:
        return e.done(
            "skipped",
            f"family group decision-making was already offered on {current['offered_on']}",
            target=current["id"],
        )
    target = None
    if e.write:
        values = {"offered_on": e.day, "offered_by": e.panel.get("chair"), "source": e.ref}
        target = fam.meeting_ref(meetings_repo.offer(e.store, e.fid, values))
    return e.done("applied", f"family group decision-making offered on {e.day}", target=target)


_HANDLERS: dict[str, Callable[[_Effect], dict]] = {
    "allocate": _allocate,
    "step-up": _step_up,
    "step-down": _step_down,
    "close": _close,
    "carry": _carry,
    "family-group-conference": _family_group,
}
