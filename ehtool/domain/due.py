"""What needs attention as of a day: the rules behind `ehtool due`.

Pure domain code: plain rows in (read by ``ehtool.store.due``), plain dicts out.
No I/O, no terminal libraries.

Every item has the same keys (:data:`KEYS`): ``family_id``, ``category``, ``what``
(a plain sentence with references and action text, never a person's name),
``date`` (ISO: the last day that was still on time; for significant harm, the
assessment date), ``days`` (``on - date`` in days: positive = overdue by,
negative = due in, 0 = due today), ``overdue`` (``on`` is after ``date``;
always true for significant harm), ``lead`` (the open plan's lead professional,
else the family's lead) and ``locality``.

The rules (T = the day asked about, W = ``within`` days, settings from the
partnership's threshold profile):

* ``significant-harm``: an open family whose latest assessment flags significant
  harm and who has an open plan, or has no referral recorded since that
  assessment (a panel ``step-up`` decision or a plan closed ``stepped-up`` on or
  after the assessment date). Always overdue; listed first.
* ``review-overdue``: an open plan whose ``review_date`` is before T.
* ``review-due``: an open plan whose ``review_date`` is T or within W days after T.
* ``action-overdue``: a plan action (open plan) not ``done``/``dropped`` whose
  ``due`` is before T; one item per action.
* ``no-assessment``: no assessment at all, and T is more than
  ``days_to_assessment`` days after the referral (``referral_date``, else the
  London date of ``created_at``).
* ``no-plan``: the latest assessment is at an early help rung (neither the lowest
  nor the top rung, and not flagged significant harm), there is no open plan,
  and T is more than ``days_to_plan`` days after the referral.
* ``assessment-stale``: the latest assessment is more than
  ``assessment_valid_days`` days old.
* ``consent-renew``: the family's current early-help consent (the latest
  family-level decision) is ``given`` and T is within W days of, or past,
  ``consent date + consent_valid_days``.
* ``panel-undecided``: a panel item with no decision whose sitting was before T.
* ``retention-due``: a family (open or closed) whose ``retain_until`` is before T
  and which is not under legal hold (from :func:`ehtool.store.due.retention_rows`,
  empty until the schema has those columns).

Families that are closed appear only as ``retention-due``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from ehtool.domain.validators import as_date, london_date

if TYPE_CHECKING:
    from ehtool.domain.profile_schema import Level

KEYS = ("family_id", "category", "what", "date", "days", "overdue", "lead", "locality")


class DueItem(TypedDict):
    """One thing that needs attention (the keys are :data:`KEYS`, in that order)."""

    family_id: str
    category: str
    what: str
    date: str
    days: int
    overdue: bool
    lead: str | None
    locality: str | None


# In the order a coordinator should look at them (also the tie-break order).
CATEGORIES = (
    "significant-harm",
    "review-overdue",
    "action-overdue",
    "no-assessment",
    "no-plan",
    "panel-undecided",
    "assessment-stale",
    "consent-renew",
    "review-due",
    "retention-due",
)
CATEGORY_HELP = {
    "significant-harm": "latest assessment indicates possible significant harm and the family still has an open "
    "plan or no referral recorded",
    "review-overdue": "plan review date has passed",
    "review-due": "plan review date is within the window",
    "action-overdue": "plan action not done or dropped, past its due date",
    "no-assessment": "no assessment, more than days_to_assessment after referral",
    "no-plan": "assessed at an early help rung, no open plan, more than days_to_plan after referral",
    "assessment-stale": "latest assessment older than assessment_valid_days",
    "consent-renew": "early-help consent older than consent_valid_days, or within the window of that",
    "panel-undecided": "panel item with no decision after its sitting date",
    "retention-due": "retention period ended and no legal hold",
}
DEFAULT_WITHIN = 14
STEP_UP_DECISIONS = frozenset({"step-up"})
STEP_UP_PLAN_CLOSURES = frozenset({"stepped-up"})
DONE_ACTION_STATUSES = frozenset({"done", "dropped"})
_ACTION_TEXT_MAX = 120


@dataclass
class Rows:
    """What the store reads for the rules (see ``ehtool.store.due.gather``).

    families: open families {id, ref, locality, lead, referral_date, created_at}
    plans: open plans of open families {id, ref, family_id, review_date, lead_professional}
    actions: their actions not done/dropped with a due date
        {plan_ref, family_id, action_id, what, due, status}
    assessments: each open family's latest assessment {ref, family_id, assessed_on, level, significant_harm}
    consents: each open family's latest family-level early-help decision {family_id, status, date}
    panel_items: undecided items for open families {family_id, panel_ref, item, date, panel_locality}
    referrals: recorded referrals to the front door {family_id, date} (panel step-up decisions and
        plans closed stepped-up)
    retention: families past retention without legal hold {id, ref, locality, lead, status, retain_until,
        lead_professional}
    """

    families: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    panel_items: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    retention: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    days_to_assessment: int = 20
    days_to_plan: int = 30
    assessment_valid_days: int = 182
    consent_valid_days: int = 365

    @classmethod
    def from_profile(cls, settings: Mapping[str, int]) -> Settings:
        defaults = cls()
        return cls(**{k: int(settings.get(k) or getattr(defaults, k)) for k in cls.__dataclass_fields__})


def referral_start(family: Mapping[str, Any]) -> dt.date | None:
    """When the clock starts: the referral date, else the date the family was registered."""
    return as_date(family.get("referral_date")) or london_date(family.get("created_at"))


def _one_line(text: object, limit: int = _ACTION_TEXT_MAX) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _item(
    family_ref: str,
    category: str,
    what: str,
    date: dt.date,
    on: dt.date,
    *,
    lead: str | None,
    locality: str | None,
    overdue: bool | None = None,
) -> DueItem:
    days = (on - date).days
    return {
        "family_id": family_ref,
        "category": category,
        "what": what,
        "date": date.isoformat(),
        "days": days,
        "overdue": bool(days > 0 if overdue is None else overdue),
        "lead": lead or None,
        "locality": locality or None,
    }


def compute(
    rows: Rows,
    on: dt.date,
    *,
    within: int = DEFAULT_WITHIN,
    settings: Settings | None = None,
    early_help_levels: Iterable[str] = (),
    level_names: Mapping[str, str] | None = None,
) -> list[DueItem]:
    """Every due item as of ``on``, sorted (see :func:`sort_items`).

    ``early_help_levels``: the level ids at an early help rung (neither the lowest
    nor the top rung of the profile); ``level_names``: level id -> display name."""
    due = _DueRun.of(
        rows,
        on,
        within=within,
        settings=settings or Settings(),
        early_help_levels=early_help_levels,
        level_names=level_names or {},
    )
    for fid, f in due.families.items():
        _family_items(due, fid, f)
    _action_items(due, rows.actions)
    _panel_items(due, rows.panel_items)
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
    consent: dict[int, dict[str, Any]]
    referred: dict[int, list[dt.date]]
    items: list[DueItem] = field(default_factory=list)

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
        referred: dict[int, list[dt.date]] = {}
        for r in rows.referrals:
            d = as_date(r.get("date"))
            if d:
                referred.setdefault(r["family_id"], []).append(d)
        return cls(
            on=on,
            horizon=on + dt.timedelta(days=within),
            settings=settings,
            early=set(early_help_levels),
            level_names=level_names,
            families=families,
            plans={p["family_id"]: p for p in rows.plans if p["family_id"] in families},
            latest={a["family_id"]: a for a in rows.assessments},
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
    """The rules about one open family: significant harm, assessment, plan, consent and review."""
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
    if assessment is not None and assessment.get("significant_harm"):
        _significant_harm(due, fid, assessment, plan)
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
        _assessment_items(due, fid, assessment, plan, start, since)
    _consent_renew(due, fid)
    if plan is not None:
        _review(due, fid, plan)


def _significant_harm(due: _DueRun, fid: int, assessment: Mapping[str, Any], plan: Mapping[str, Any] | None) -> None:
    """``significant-harm``: still an open plan, or no referral since the assessment."""
    assessed = as_date(assessment["assessed_on"])
    if assessed is None:
        return
    has_referral = any(d >= assessed for d in due.referred.get(fid, ()))
    if plan is not None or not has_referral:
        why = (
            f"an early help plan ({plan['ref']}) is still open"
            if plan is not None
            else "no referral to the front door is recorded"
        )
        due.add(
            fid,
            "significant-harm",
            f"Assessment {assessment['ref']} indicates possible significant harm and {why}: "
            "contact the front door now.",
            assessed,
            overdue=True,
        )


def _assessment_items(
    due: _DueRun,
    fid: int,
    assessment: Mapping[str, Any],
    plan: Mapping[str, Any] | None,
    start: dt.date | None,
    since: str,
) -> None:
    """``no-plan`` and ``assessment-stale`` for a family with an assessment."""
    settings = due.settings
    level = str(assessment.get("level") or "")
    if plan is None and not assessment.get("significant_harm") and level in due.early and start is not None:
        deadline = start + dt.timedelta(days=settings.days_to_plan)
        if due.on > deadline:
            due.add(
                fid,
                "no-plan",
                f"Assessed at {due.level_names.get(level, level)} ({assessment['ref']}) "
                f"with no open plan ({since}; expected within {settings.days_to_plan} days).",
                deadline,
            )
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


def _panel_items(due: _DueRun, panel_items: Iterable[Mapping[str, Any]]) -> None:
    """``panel-undecided``: panel items with no decision after their sitting."""
    for p in panel_items:
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


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Significant harm first; then overdue before not; then by date (oldest first),
    family, category and sentence, so the order is stable."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(
        items,
        key=lambda i: (
            i["category"] != "significant-harm",
            not i["overdue"],
            i["date"],
            i["family_id"],
            order.get(i["category"], len(order)),
            i["what"],
        ),
    )


def matches_locality(
    item_locality: str | None, wanted: str | None, localities: Sequence[Mapping[str, str]] = ()
) -> bool:
    """Case-insensitive; a configured locality's id also matches its name."""
    if not wanted:
        return True
    if not item_locality:
        return False
    key = wanted.strip().casefold()
    names = {key}
    for loc in localities:
        if key in (str(loc.get("id", "")).casefold(), str(loc.get("name", "")).casefold()):
            names.add(str(loc.get("name", "")).casefold())
            names.add(str(loc.get("id", "")).casefold())
    return item_locality.strip().casefold() in names


def known_locality(wanted: str, localities: Sequence[Mapping[str, str]], seen: Iterable[str | None]) -> bool:
    """Whether ``wanted`` names a configured locality or one a family is recorded in."""
    key = wanted.strip().casefold()
    names = {str(loc.get(k, "")).casefold() for loc in localities for k in ("id", "name")}
    names |= {str(s).strip().casefold() for s in seen if s}
    return key in names


def matches_lead(item_lead: str | None, wanted: str | None) -> bool:
    """Case-insensitive substring of the lead professional."""
    if not wanted:
        return True
    if not item_lead:
        return False
    return wanted.strip().casefold() in item_lead.casefold()


def select(
    items: Iterable[DueItem],
    *,
    locality: str | None = None,
    lead: str | None = None,
    localities: Sequence[Mapping[str, str]] = (),
) -> list[DueItem]:
    return [
        i
        for i in items
        if matches_locality(i.get("locality"), locality, localities) and matches_lead(i.get("lead"), lead)
    ]


def by_lead(items: Iterable[DueItem]) -> list[tuple[str | None, list[DueItem]]]:
    """Items grouped by lead professional: groups with significant harm first, then
    by name (case-insensitive), the unassigned last; items keep their order."""
    groups: dict[str, tuple[str | None, list[DueItem]]] = {}
    for i in items:
        lead = i.get("lead") or None
        key = (lead or "").strip().casefold()
        groups.setdefault(key, (lead, []))[1].append(i)
    return sorted(
        groups.values(),
        key=lambda g: (
            not any(i["category"] == "significant-harm" for i in g[1]),
            g[0] is None,
            (g[0] or "").casefold(),
        ),
    )


def when(item: DueItem) -> str:
    """'3 days overdue', 'due today', 'due in 5 days' (for the table)."""
    days = item["days"]
    if item["category"] == "significant-harm":
        return "now"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} overdue"
    if days == 0:
        return "due today"
    return f"due in {-days} day{'s' if days != -1 else ''}"


def early_help_level_ids(levels: Sequence[Level]) -> list[str]:
    """Level ids between the lowest and the top rung (objects with ``.id``, lowest first)."""
    return [lv.id for lv in list(levels)[1:-1]]
