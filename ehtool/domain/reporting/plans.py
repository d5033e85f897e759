"""The board report's plans: plans closed by reason, reviews held on time, and
progress on outcomes by area."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ehtool.domain.reporting.summaries import NOT_RECORDED, percent
from ehtool.domain.validators import as_date, london_date


def _plans_by_family(data: Mapping[str, Any], fams: Mapping[int, Any]) -> defaultdict[int, list[dict[str, Any]]]:
    """Each family's plans with their dates parsed, in the order they were started."""
    plans: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in data["plans"]:
        if p["family_id"] in fams:
            plans[p["family_id"]].append(
                dict(p, created=london_date(p["created_at"]), closed_on=as_date(p["closed_on"]))
            )
    for rows in plans.values():
        rows.sort(key=lambda p: (p["created"], p["id"]))
    return plans


def _by_plan(rows: Iterable[dict[str, Any]]) -> defaultdict[Any, list[dict[str, Any]]]:
    """Rows grouped by ``plan_id``, in their order."""
    grouped: defaultdict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[r["plan_id"]].append(r)
    return grouped


def _plans_closed(
    plans: Mapping[int, list[dict[str, Any]]], close_reasons: Mapping[str, str], start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Plans closed in the period by reason: the configured reasons first, then any others."""
    reasons: Counter[str] = Counter()
    for fam_plans in plans.values():
        for p in fam_plans:
            if p["closed_on"] is not None and start <= p["closed_on"] <= end:
                reasons[p["closed_reason"] or NOT_RECORDED] += 1
    reason_rows = [{"reason": k, "label": label, "count": reasons.pop(k, 0)} for k, label in close_reasons.items()]
    reason_rows += [{"reason": k, "label": k, "count": n} for k, n in sorted(reasons.items())]
    return reason_rows


def _review_counts(
    data: Mapping[str, Any], plans: Mapping[int, list[dict[str, Any]]], start: dt.date, end: dt.date
) -> Counter[str]:
    """Review due dates in the period: on_time / late / not_held."""
    review_counts: Counter[str] = Counter()
    reviews = _by_plan(data["reviews"])
    for fam_plans in plans.values():
        for p in fam_plans:
            _reviews_due(
                p, sorted(reviews.get(p["id"], []), key=lambda r: (r["date"], r["id"])), start, end, review_counts
            )
    return review_counts


def _progress(
    data: Mapping[str, Any],
    plans: Mapping[int, list[dict[str, Any]]],
    areas: Sequence[Mapping[str, str]],
    start: dt.date,
    end: dt.date,
) -> list[dict[str, Any]]:
    """Per outcome area: families scored, and improved, on their latest plan open in the period."""
    scores = _by_plan(data["scores"])
    outcomes = _by_plan(data["outcomes"])
    improved: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    for fam_plans in plans.values():
        active = [p for p in fam_plans if p["created"] <= end and (p["closed_on"] is None or p["closed_on"] >= start)]
        if active:
            plan = max(active, key=lambda p: p["id"])
            for area, moves in _score_changes(scores.get(plan["id"], []), outcomes.get(plan["id"], [])).items():
                scored[area] += 1
                improved[area] += sum(moves) > 0
    area_rows = [{"area": a["id"], "name": a["name"]} for a in areas]
    area_rows += [{"area": x, "name": x} for x in sorted(set(scored) - {a["id"] for a in areas})]
    return [
        dict(
            r,
            scored=scored[r["area"]],
            improved=improved[r["area"]],
            improved_percent=percent(improved[r["area"]], scored[r["area"]]),
        )
        for r in area_rows
    ]


def _score_changes(scores: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> defaultdict[str, list[Any]]:
    """A plan's outcomes with a baseline and a score, by area: latest score - baseline."""
    latest = {}
    for s in sorted(scores, key=lambda s: (s["date"], s["review_id"])):
        if isinstance(s["score"], (int, float)):
            latest[str(s["outcome_id"])] = s["score"]
    change: defaultdict[str, list[Any]] = defaultdict(list)
    for o in outcomes:
        if o["area"] and isinstance(o["baseline"], (int, float)) and str(o["outcome_id"]) in latest:
            change[o["area"]].append(latest[str(o["outcome_id"])] - o["baseline"])
    return change


def _reviews_due(
    plan: Mapping[str, Any], held: Sequence[Mapping[str, Any]], start: dt.date, end: dt.date, counts: Counter[str]
) -> None:
    """Count the plan's review due dates in the period as on_time / late / not_held
    (a review with no date cannot be judged: the due date it answers is not counted)."""
    due = as_date(plan["first_review_date"]) or (as_date(plan["review_date"]) if not held else None)
    for n in range(len(held) + 1):
        if due is None or due > end or (plan["closed_on"] is not None and plan["closed_on"] <= due):
            return
        if n == len(held):
            counts["not_held"] += due >= start
            return
        review = held[n]
        held_on = as_date(review["date"])
        if due >= start and held_on is not None:
            counts["on_time" if held_on <= due else "late"] += 1
        due = as_date(review["next_review_date"]) or as_date(review["version_review_date"])
