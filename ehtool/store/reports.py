"""The SQL behind `ehtool report`: fetch what the board measures need, then
hand it to :func:`ehtool.domain.reporting.compute` (the arithmetic, no SQL there).

Everything is read in a handful of queries (no query per family), limited to
one locality when asked. Plan outcomes and review scores are unpacked from
their JSON with SQLite's ``json_each``, so plan documents are never loaded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import (
        HistoryEntry,
        ReportAssessment,
        ReportData,
        ReportFamily,
        ReportMember,
        ReportOutcome,
        ReportPlan,
        ReportReview,
        ReportScore,
        ReportStepDown,
    )

HISTORY_ACTIONS = ("family.add", "family.close", "family.reopen", "family.edit")


def _scope(locality: str | None) -> tuple[str, tuple[str, ...]]:
    if locality:
        return " AND f.locality = ? COLLATE NOCASE", (locality,)
    return "", ()


def fetch(store: Store, *, end: str, locality: str | None = None) -> ReportData:
    """The rows for families (of ``locality``, if given), as of ``end`` (ISO date).

    Returns ``families``, ``assessments`` (on or before ``end``), ``members``,
    ``plans`` (with the review date they were written with), ``outcomes``
    (plan_id, outcome_id, area, baseline), ``reviews`` and ``scores`` (reviews
    held on or before ``end``), and ``history``: family id -> its family.add /
    close / reopen / referral-date edit audit entries, for families that were
    ever reopened (the only ones whose episodes the families row cannot tell)."""
    where, params = _scope(locality)
    families = store.all(
        "SELECT f.id, f.locality, f.postcode, f.language, f.interpreter, f.referral_date, f.created_at, f.status,"
        f" f.closed_on FROM families f WHERE 1 = 1{where} ORDER BY f.id",
        params,
    )
    assessments = store.all(
        "SELECT a.family_id, a.id, a.assessed_on, a.level, a.movement FROM assessments a"
        f" JOIN families f ON f.id = a.family_id WHERE a.completed_on IS NOT NULL AND a.assessed_on <= ?{where}",
        (end, *params),
    )
    step_downs = _step_downs(store, end, where, params)
    members = store.all(
        f"SELECT m.family_id, m.ethnicity FROM members m JOIN families f ON f.id = m.family_id WHERE 1 = 1{where}",
        params,
    )
    plans = store.all(
        "SELECT p.id, p.family_id, p.status, p.created_at, p.closed_on, p.closed_reason, p.review_date,"
        " json_extract(v.content, '$.review_date') AS first_review_date"
        " FROM plans p JOIN families f ON f.id = p.family_id"
        f" LEFT JOIN plan_versions v ON v.plan_id = p.id AND v.version = 1 WHERE 1 = 1{where}",
        params,
    )
    outcomes = store.all(
        "SELECT p.id AS plan_id, json_extract(o.value, '$.id') AS outcome_id, json_extract(o.value, '$.area') AS area,"
        " json_extract(o.value, '$.baseline') AS baseline"
        " FROM plans p JOIN families f ON f.id = p.family_id, json_each(p.content, '$.outcomes') o"
        f" WHERE json_valid(p.content){where}",
        params,
    )
    reviews = store.all(
        "SELECT r.plan_id, r.id, r.date, r.next_review_date,"
        " json_extract(v.content, '$.review_date') AS version_review_date"
        " FROM plan_reviews r JOIN plans p ON p.id = r.plan_id JOIN families f ON f.id = p.family_id"
        " LEFT JOIN plan_versions v ON v.plan_id = r.plan_id AND v.version = r.plan_version"
        f" WHERE r.date <= ?{where}",
        (end, *params),
    )
    scores = store.all(
        "SELECT r.plan_id, r.id AS review_id, r.date, s.key AS outcome_id, s.value AS score"
        " FROM plan_reviews r JOIN plans p ON p.id = r.plan_id JOIN families f ON f.id = p.family_id,"
        f" json_each(r.scores) s WHERE r.date <= ? AND json_valid(r.scores){where}",
        (end, *params),
    )
    history: dict[int, list[HistoryEntry]] = {}
    rows = store.all(
        "SELECT a.family_id, a.action, a.at, v.data FROM audit a LEFT JOIN audit_values v ON v.audit_id = a.id"
        " WHERE a.family_id IN (SELECT family_id FROM audit WHERE action = 'family.reopen')"
        f" AND a.action IN ({', '.join('?' * len(HISTORY_ACTIONS))}) ORDER BY a.family_id, a.id",
        HISTORY_ACTIONS,
    )
    for r in rows:
        values: Any
        try:
            values = json.loads(r["data"]) if r["data"] else None
        except ValueError:
            values = None
        history.setdefault(r["family_id"], []).append(
            {"action": r["action"], "at": r["at"], "values": values if isinstance(values, dict) else None}
        )
    return {
        "families": cast("list[ReportFamily]", families),
        "assessments": cast("list[ReportAssessment]", assessments),
        "step_downs": step_downs,
        "members": cast("list[ReportMember]", members),
        "plans": cast("list[ReportPlan]", plans),
        "outcomes": cast("list[ReportOutcome]", outcomes),
        "reviews": cast("list[ReportReview]", reviews),
        "scores": cast("list[ReportScore]", scores),
        "history": history,
    }


def _step_downs(store: Store, end: str, where: str, params: tuple[Any, ...]) -> list[ReportStepDown]:
    """Referrals that came back stepped down from social care on or before ``end``."""
    rows = store.all(
        "SELECT r.family_id, r.id, r.outcome_date, r.stepped_down_to FROM referrals r"
        " JOIN families f ON f.id = r.family_id"
        f" WHERE r.outcome = 'stepped-down' AND r.outcome_date <= ?{where}",
        (end, *params),
    )
    return cast("list[ReportStepDown]", rows)
