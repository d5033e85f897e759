"""The rows behind `ehtool due`: a handful of queries over the whole database,
never one per family. The rules themselves live in :mod:`ehtool.domain.due`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.domain.consent import EARLY_HELP
from ehtool.domain.due import DONE_ACTION_STATUSES, Rows
from ehtool.store import consent
from ehtool.store.retention import computed_due

if TYPE_CHECKING:
    from ehtool.store.connection import Store

_OPEN_FAMILIES = (
    "SELECT id, locality, lead, level, level_assessed_on, referral_date, created_at FROM families WHERE status = 'open'"
)

_OPEN_PLANS = """
SELECT p.id, p.family_id, p.review_date, json_extract(p.content, '$.lead_professional') AS lead_professional
FROM plans p JOIN families f ON f.id = p.family_id
WHERE p.status = 'open' AND f.status = 'open'
"""

# One row per action of an open plan that is not finished and has a due date before the day asked about.
_ACTIONS = f"""
SELECT p.id AS plan_pk, p.family_id,
       json_extract(a.value, '$.id') AS action_id, json_extract(a.value, '$.what') AS what,
       json_extract(a.value, '$.due') AS due, json_extract(a.value, '$.status') AS status
FROM plans p JOIN families f ON f.id = p.family_id,
     json_each(p.content, '$.outcomes') o, json_each(o.value, '$.actions') a
WHERE p.status = 'open' AND f.status = 'open'
  AND json_type(a.value) = 'object'
  AND json_extract(a.value, '$.due') IS NOT NULL AND json_extract(a.value, '$.due') < :on
  AND COALESCE(json_extract(a.value, '$.status'), 'not-started')
      NOT IN ({", ".join(f"'{s}'" for s in sorted(DONE_ACTION_STATUSES))})
ORDER BY p.family_id, o.key, a.key
"""

_LATEST_ASSESSMENTS = """
SELECT id, family_id, assessed_on, started_on, level, significant_harm FROM (
    SELECT a.id, a.family_id, a.assessed_on, a.started_on, a.level, a.significant_harm,
           ROW_NUMBER() OVER (PARTITION BY a.family_id ORDER BY a.assessed_on DESC, a.id DESC) AS rn
    FROM assessments a JOIN families f ON f.id = a.family_id
    WHERE f.status = 'open' AND a.completed_on IS NOT NULL
) WHERE rn = 1
"""

# Assessments still open that already indicate significant harm: the front door cannot wait for completion.
_OPEN_HARM = """
SELECT a.id, a.family_id, a.started_on AS assessed_on, a.started_on, a.level, a.significant_harm
FROM assessments a JOIN families f ON f.id = a.family_id
WHERE f.status = 'open' AND a.completed_on IS NULL AND a.significant_harm = 1
"""

_UNDECIDED = """
SELECT i.panel_id, i.item, i.family_id, i.decision, p.date, p.locality AS panel_locality
FROM panel_items i JOIN panels p ON p.id = i.panel_id JOIN families f ON f.id = i.family_id
WHERE f.status = 'open' AND (i.decision IS NULL OR i.decision = '') AND p.date < :on
ORDER BY p.date, p.id, i.item
"""

# Items deferred to a next sitting that is not scheduled yet.
_WAITING = """
SELECT i.panel_id, i.item, i.family_id, p.date, p.kind, p.locality AS panel_locality
FROM panel_effects e JOIN panel_items i ON i.id = e.item_id JOIN panels p ON p.id = i.panel_id
JOIN families f ON f.id = i.family_id
WHERE e.outcome = 'waiting' AND e.effect = 'carry' AND f.status = 'open'
ORDER BY p.date, p.id, i.item
"""

# Each open family's latest allocation at panel (the day the plan's clock starts).
_ALLOCATED = """
SELECT e.family_id, MAX(e.applied_on) AS date
FROM panel_effects e JOIN families f ON f.id = e.family_id
WHERE e.effect = 'allocate' AND e.outcome = 'applied' AND f.status = 'open'
GROUP BY e.family_id
"""

_MEETINGS = """
SELECT m.family_id, MAX(m.offered_on) AS offered_on
FROM family_meetings m JOIN families f ON f.id = m.family_id
WHERE f.status = 'open' GROUP BY m.family_id
"""

_REFERRALS = """
SELECT r.family_id, r.date, r.outcome, r.outcome_date
FROM referrals r JOIN families f ON f.id = r.family_id
WHERE f.status = 'open'
"""


def gather(store: Store, on: dt.date) -> Rows:
    """Everything the due rules need as of ``on``, in twelve queries. The rows are
    plain dicts, the shapes :class:`ehtool.domain.due.Rows` describes."""
    params = {"on": on.isoformat()}
    families = [{**r, "ref": fam.family_ref(r["id"])} for r in store.all(_OPEN_FAMILIES)]
    plans = [{**r, "ref": fam.plan_ref(r["id"])} for r in store.all(_OPEN_PLANS)]
    actions = [{**r, "plan_ref": fam.plan_ref(r["plan_pk"])} for r in store.all(_ACTIONS, params)]
    assessments = [
        {**r, "ref": fam.assessment_ref(r["id"]), "significant_harm": bool(r["significant_harm"])}
        for r in store.all(_LATEST_ASSESSMENTS)
    ]
    open_harm = [
        {**r, "ref": fam.assessment_ref(r["id"]), "significant_harm": True, "open": True} for r in store.all(_OPEN_HARM)
    ]
    consents = consent.current_for_open_families(store, EARLY_HELP)
    panel_items = [{**r, "panel_ref": fam.panel_ref(r["panel_id"])} for r in store.all(_UNDECIDED, params)]
    referrals = store.all(_REFERRALS)
    return Rows(
        families=families,
        plans=plans,
        actions=actions,
        assessments=assessments,
        open_harm=open_harm,
        consents=consents,
        panel_items=panel_items,
        panel_waiting=[{**r, "panel_ref": fam.panel_ref(r["panel_id"])} for r in store.all(_WAITING)],
        allocations=store.all(_ALLOCATED),
        meetings=store.all(_MEETINGS),
        referrals=referrals,
        retention=retention_rows(store, on),
    )


def family_columns(store: Store) -> set[str]:
    return {r["name"] for r in store.all("PRAGMA table_info(families)")}


def retention_rows(store: Store, on: dt.date) -> list[dict[str, Any]]:
    """Closed families past their retention date (computed now from the retention
    policy and the members, so never stale) and not under legal hold."""

    rows = computed_due(store, on)
    if not rows:
        return []
    leads = {
        r["family_id"]: r["lead_professional"]
        for r in store.all(
            "SELECT family_id, json_extract(content, '$.lead_professional') AS lead_professional FROM plans "
            "WHERE status = 'open'"
        )
    }
    return [
        {
            "id": r["id"],
            "locality": r["locality"],
            "lead": r["lead"],
            "status": r["status"],
            "retain_until": r["computed"],
            "legal_hold": r["legal_hold"],
            "lead_professional": leads.get(r["id"]),
            "ref": fam.family_ref(r["id"]),
        }
        for r in rows
    ]
