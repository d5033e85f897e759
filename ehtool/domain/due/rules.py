"""The due rules: :func:`compute` finds every item as of a day (the rules are listed
in :mod:`ehtool.domain.due`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ehtool.domain.due.inputs import (
    DEFAULT_WITHIN,
    DONE_ACTION_STATUSES,
    Referred,
    Rows,
    Settings,
    referral_start,
)
from ehtool.domain.due.items import DueItem, _item, _one_line, sort_items
from ehtool.domain.due.panels import allocated_items, family_group_items, panel_items, waiting_items
from ehtool.domain.validators import as_date


def compute(
    rows: Rows,
    on: dt.date,
    *,
    within: int = DEFAULT_WITHIN,
    settings: Settings | None = None,
    early_help_levels: Iterable[str] = (),
    level_names: Mapping[str, str] | None = None,
    referral_levels: Iterable[str] = (),
    plan_beside_referral: bool = False,
) -> list[DueItem]:
    """Every due item as of ``on``, sorted (see :func:`sort_items`).

    ``early_help_levels`` and ``referral_levels``: the level ids that route to early help
    (a plan) and to a referral (a referral record); ``level_names``: level id -> display
    name; ``plan_beside_referral``: may a plan stay open beside a referral."""
    due = _DueRun.of(
        rows,
        on,
        within=within,
        settings=settings or Settings(),
        early_help_levels=early_help_levels,
        level_names=level_names or {},
    )
    due.referral = set(referral_levels)
    due.plan_beside_referral = plan_beside_referral
    for fid, f in due.families.items():
        _family_items(due, fid, f)
    _action_items(due, rows.actions)
    panel_items(due, rows.panel_items)
    waiting_items(due, rows.panel_waiting)
    allocated_items(due, rows.allocations)
    family_group_items(due, rows.meetings)
    _retention_items(due, rows.retention)
    return sort_items(due.items)


@dataclass
class _DueRun:
    """One run of :func:`compute`: the day asked about, the settings, the rows indexed
    by family id, and the items found so far."""

    on: dt.date
    horizon: dt.date
    settings: Settings
    early: set[str]
    level_names: Mapping[str, str]
    families: dict[int, dict[str, Any]]
    plans: dict[int, dict[str, Any]]
    latest: dict[int, dict[str, Any]]
    open_harm: dict[int, dict[str, Any]]
    consent: dict[int, dict[str, Any]]
    referred: dict[int, list[Referred]]
    items: list[DueItem] = field(default_factory=list)
    referral: set[str] = field(default_factory=set)
    plan_beside_referral: bool = False

    def referrals_since(self, fid: int, day: dt.date) -> list[Referred]:
        return [r for r in self.referred.get(fid, ()) if r.date >= day]

    @classmethod
    def of(
        cls,
        rows: Rows,
        on: dt.date,
        *,
        within: int,
        settings: Settings,
        early_help_levels: Iterable[str],
        level_names: Mapping[str, str],
    ) -> _DueRun:
        """Index the rows by family id (plans only of the open families)."""
        families = {f["id"]: f for f in rows.families}
        referred: dict[int, list[Referred]] = {}
        for r in rows.referrals:
            d = as_date(r.get("date"))
            if d:
                back = as_date(r.get("outcome_date")) if r.get("outcome") == "stepped-down" else None
                referred.setdefault(r["family_id"], []).append(Referred(d, back))
        return cls(
            on=on,
            horizon=on + dt.timedelta(days=within),
            settings=settings,
            early=set(early_help_levels),
            level_names=level_names,
            families=families,
            plans={p["family_id"]: p for p in rows.plans if p["family_id"] in families},
            latest={a["family_id"]: a for a in rows.assessments},
            open_harm={a["family_id"]: a for a in rows.open_harm},
            consent={c["family_id"]: c for c in rows.consents},
            referred=referred,
        )

    def lead_of(self, fid: int) -> str | None:
        """The open plan's lead professional, else the family's lead."""
        plan = self.plans.get(fid)
        if plan and plan.get("lead_professional"):
            plan_lead: str = plan["lead_professional"]
            return plan_lead
        lead: str | None = (self.families.get(fid) or {}).get("lead")
        return lead

    def add(self, fid: int, category: str, what: str, date: dt.date, *, overdue: bool | None = None) -> None:
        """Record an item for an open family."""
        f = self.families[fid]
        self.items.append(
            _item(
                f["ref"],
                category,
                what,
                date,
                self.on,
                lead=self.lead_of(fid),
                locality=f.get("locality"),
                overdue=overdue,
            )
        )


def _family_items(due: _DueRun, fid: int, f: Mapping[str, Any]) -> None:
    """The rules about one open family: significant harm, assessment, referral, plan, consent and review."""
    plan = due.plans.get(fid)
    assessment = due.latest.get(fid)
    start = referral_start(f)
    # A referral date that does not parse: the clock starts at registration (or, without that, not at all).
    referred = as_date(f.get("referral_date"))
    since = (
        f"referral on {referred.isoformat()}"
        if referred is not None
        else f"registered on {start.isoformat()}"
        if start is not None
        else ""
    )
    if assessment is None and start is not None:
        deadline = start + dt.timedelta(days=due.settings.days_to_assessment)
        if due.on > deadline:
            due.add(
                fid,
                "no-assessment",
                f"No assessment yet ({since}; expected within {due.settings.days_to_assessment} days).",
                deadline,
            )
    if assessment is not None:
        _routed_items(due, fid, f, assessment, plan, start, since)
        _stale(due, fid, assessment)
    harm = due.open_harm.get(fid)
    if harm is not None and (assessment is None or not assessment.get("significant_harm")):
        started = as_date(harm.get("started_on"))
        if started is not None:
            _significant_harm(due, fid, harm, plan, started, due.referrals_since(fid, started))
    _consent_renew(due, fid)
    if plan is not None:
        _review(due, fid, plan)


def _routed_items(
    due: _DueRun,
    fid: int,
    f: Mapping[str, Any],
    assessment: Mapping[str, Any],
    plan: Mapping[str, Any] | None,
    start: dt.date | None,
    since: str,
) -> None:
    """What the family's level routes to: a referral record (``significant-harm``,
    ``referral-due``) or a plan (``no-plan``). A referral that came back stepped down
    brings the family back to early help, and the plan's clock starts that day."""
    assessed = as_date(assessment.get("assessed_on"))
    if assessed is None:
        return
    # a referral made while the assessment was under way counts (the banner said to refer at once)
    referrals = due.referrals_since(fid, as_date(assessment.get("started_on")) or assessed)
    back = max((r.stepped_down_on for r in referrals if r.stepped_down_on), default=None)
    if back is not None:
        start, since = back, f"stepped down from social care on {back.isoformat()}"
    level = str(f.get("level") or assessment.get("level") or "")
    if assessment.get("significant_harm") and back is None:
        _significant_harm(due, fid, assessment, plan, assessed, referrals)
    elif level in due.referral and back is None:
        _referral_due(due, fid, assessment, plan, assessed, referrals, level)
    elif level in due.early and plan is None and start is not None:
        deadline = start + dt.timedelta(days=due.settings.days_to_plan)
        if due.on > deadline:
            due.add(
                fid,
                "no-plan",
                f"Assessed at {due.level_names.get(level, level)} ({assessment['ref']}) "
                f"with no open plan ({since}; expected within {due.settings.days_to_plan} days).",
                deadline,
            )


def _significant_harm(
    due: _DueRun,
    fid: int,
    assessment: Mapping[str, Any],
    plan: Mapping[str, Any] | None,
    assessed: dt.date,
    referrals: list[Referred],
) -> None:
    """``significant-harm``: no referral recorded since the assessment, or an early help plan still open."""
    if plan is not None or not referrals:
        why = (
            f"an early help plan ({plan['ref']}) is still open"
            if plan is not None
            else "no referral to the front door is recorded"
        )
        due.add(
            fid,
            "significant-harm",
            f"{'Open assessment' if assessment.get('open') else 'Assessment'} {assessment['ref']} indicates "
            f"possible significant harm and {why}: "
            "contact the front door now.",
            assessed,
            overdue=True,
        )


def _referral_due(
    due: _DueRun,
    fid: int,
    assessment: Mapping[str, Any],
    plan: Mapping[str, Any] | None,
    assessed: dt.date,
    referrals: list[Referred],
    level: str,
) -> None:
    """``referral-due``: a level that routes to a referral, and no referral recorded since the
    assessment (expected within ``days_to_referral``), or a plan open beside it where the
    profile does not continue plans beside a referral."""
    name = due.level_names.get(level, level)
    deadline = assessed + dt.timedelta(days=due.settings.days_to_referral)
    if not referrals:
        due.add(
            fid,
            "referral-due",
            f"Assessed at {name} ({assessment['ref']}), which routes to a referral: record the referral to the "
            f"front door (expected within {due.settings.days_to_referral} days).",
            deadline,
        )
    elif plan is not None and not due.plan_beside_referral:
        due.add(
            fid,
            "referral-due",
            f"Plan {plan['ref']} is still open beside the referral at {name}: this profile does not continue "
            "plans beside a referral; close the plan (stepped-up) or record the referral's outcome.",
            max(deadline, referrals[-1].date),
        )


def _stale(due: _DueRun, fid: int, assessment: Mapping[str, Any]) -> None:
    """``assessment-stale``: the latest assessment is older than the profile allows."""
    settings = due.settings
    assessed = as_date(assessment.get("assessed_on"))
    if assessed is not None:
        expires = assessed + dt.timedelta(days=settings.assessment_valid_days)
        if due.on > expires:
            due.add(
                fid,
                "assessment-stale",
                f"Latest assessment {assessment['ref']} ({assessed.isoformat()}) "
                f"is out of date (older than {settings.assessment_valid_days} days).",
                expires,
            )


def _consent_renew(due: _DueRun, fid: int) -> None:
    """``consent-renew``: given consent past, or within the window of, its validity."""
    c = due.consent.get(fid)
    if c is None or c.get("status") != "given":
        return
    given = as_date(c.get("date"))
    if given is None:
        return
    renew_by = given + dt.timedelta(days=due.settings.consent_valid_days)
    if renew_by <= due.horizon:
        state = "needs renewing" if due.on > renew_by else "is due for renewal"
        due.add(
            fid,
            "consent-renew",
            f"Consent to early help given on {given.isoformat()} {state} "
            f"(valid for {due.settings.consent_valid_days} days).",
            renew_by,
        )


def _review(due: _DueRun, fid: int, plan: Mapping[str, Any]) -> None:
    """``review-overdue`` or ``review-due`` for an open plan."""
    review = as_date(plan.get("review_date"))
    if review is None:
        return
    if due.on > review:
        due.add(fid, "review-overdue", f"Review of plan {plan['ref']} is overdue.", review)
    elif review <= due.horizon:
        due.add(fid, "review-due", f"Review of plan {plan['ref']} is due.", review)


def _action_items(due: _DueRun, actions: Iterable[Mapping[str, Any]]) -> None:
    """``action-overdue``: one item per open plan action past its due date."""
    for a in actions:
        fid = a["family_id"]
        if fid not in due.families or fid not in due.plans or a.get("plan_ref") != due.plans[fid]["ref"]:
            continue
        if str(a.get("status") or "not-started") in DONE_ACTION_STATUSES:
            continue
        when_due = as_date(a.get("due"))
        if when_due is not None and due.on > when_due:
            due.add(
                fid,
                "action-overdue",
                f"Action {a.get('action_id') or '?'} of plan {a['plan_ref']} is overdue: {_one_line(a.get('what'))}",
                when_due,
            )


def _retention_items(due: _DueRun, retention: Iterable[Mapping[str, Any]]) -> None:
    """``retention-due``: families (open or closed) past retention without a legal hold."""
    for r in retention:
        until = as_date(r.get("retain_until"))
        if until is None or r.get("legal_hold") or not due.on > until:
            continue
        state = "closed" if r.get("status") == "closed" else "still open"
        due.items.append(
            _item(
                r["ref"],
                "retention-due",
                f"Retention period ended on {until.isoformat()} and there is no legal hold (family "
                f"{state}): review the record for destruction.",
                until,
                due.on,
                lead=r.get("lead_professional") or r.get("lead"),
                locality=r.get("locality"),
            )
        )
