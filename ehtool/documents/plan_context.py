"""Building the context a One Family Plan template gets, from a family and a plan.

The shape is documented in :mod:`ehtool.documents.plans`. Plain Python: no Jinja,
no docx, no I/O beyond loading the outcome framework when an area name is needed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from ehtool import clock
from ehtool.documents.frameworks import load_framework
from ehtool.domain.validators.dates import age_label, as_date

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
DEFAULT_TITLE, DEFAULT_LEAD_TITLE = "One Family Plan", "Lead professional"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value if v not in (None, ""))
    return str(value)


def _score(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "y", "yes", "true", "on"}
    return bool(value)


def age_on(dob: Any, on: dt.date) -> str:
    """Age as shown on a plan: "7", or "4 months" under a year; "" if unknown (the templates' filter)."""
    return age_label(as_date(dob), on, style="plan")


def _records(value: Any) -> list[Mapping[str, Any]]:
    if not value:
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _score_records(value: Any) -> list[Mapping[str, Any]]:
    """Review scores as records: {"1": 6} becomes [{"outcome_id": "1", "score": 6}]."""
    if isinstance(value, Mapping):
        return [{"outcome_id": str(k), "score": v} for k, v in value.items()]
    return _records(value)


def _extras(source: Mapping[str, Any], known: dict[str, Any]) -> dict[str, Any]:
    """Keep keys a caller added beyond the documented ones (a partnership's template
    may use them), after the documented ones."""
    out = dict(known)
    for key, value in source.items():
        if key not in out:
            out[key] = value
    return out


@functools.cache
def _default_framework() -> Any:

    try:
        return load_framework()
    except Exception:  # pragma: no cover - a broken install: show ids instead
        return None


def plan_context(
    family: Mapping[str, Any],
    plan: Mapping[str, Any],
    *,
    marking: str = DEFAULT_MARKING,
    generated_on: dt.date | str | None = None,
    framework: Any = None,
    profile: Mapping[str, Any] | None = None,
    level: Mapping[str, Any] | None = None,
    consent: Sequence[Mapping[str, Any]] | None = None,
    steps: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The template context (see the module docstring) from a family and a plan.

    Missing keys get their empty value; an outcome's ``area_name`` comes from the
    outcome framework (default: Supporting Families) when not given; a member's
    ``age`` is worked out from ``dob`` on ``generated_on``; an outcome's
    ``latest_score`` (if not given) is its score at the latest review.
    """
    today = as_date(generated_on) or clock.today()
    fam = _family_context(family, today, _text(plan.get("id")))
    fw = _framework_for(plan, framework)
    outcomes_in = _records(plan.get("outcomes"))
    # ehtool stores a review's scores as {outcome id: score}; templates get records.
    reviews_in = [{**r, "scores": _score_records(r.get("scores"))} for r in _records(plan.get("reviews"))]
    outcomes = [_outcome_context(o, fw) for o in outcomes_in]
    by_id: dict[str, dict[str, Any]] = {}
    for out in outcomes:
        if out["id"]:
            by_id[out["id"]] = out
    reviews = [_review_context(r, by_id) for r in reviews_in]
    _fill_latest_scores(outcomes_in, outcomes, reviews_in, reviews)
    return {
        "marking": _text(marking) or DEFAULT_MARKING,
        "generated_on": today.isoformat(),
        "family": fam,
        "plan": _plan_part(plan, fam["id"], outcomes, reviews),
        "profile": dict(profile) if profile else None,
        "level": dict(level) if level else None,
        "consent": [
            {k: _text(c.get(k)) for k in ("type", "member_id", "status", "date", "given_by", "how")}
            for c in consent or []
        ],
        "steps": [{k: _text(s.get(k)) for k in ("date", "move", "detail")} for s in steps or []],
        "title": _text((profile or {}).get("plan_title")) or DEFAULT_TITLE,
        "lead_title": _text((profile or {}).get("lead_title")) or DEFAULT_LEAD_TITLE,
    }


def _family_context(family: Mapping[str, Any], today: dt.date, plan_id: str = "") -> dict[str, Any]:
    """The ``family`` part: its documented fields and its members (ages on ``today``)."""
    members = [
        _extras(
            m,
            {
                "id": _text(m.get("id")),
                "name": _text(m.get("name")),
                "role": _text(m.get("role")),
                "dob": _text(m.get("dob")),
                "age": _text(m.get("age")) if m.get("age") not in (None, "") else age_on(m.get("dob"), today),
                "due_date": _text(m.get("due_date")),
            },
        )
        for m in _records(family.get("members"))
    ]
    return _extras(
        family,
        {
            "id": _text(family.get("id")),
            "name": _text(family.get("name")),
            "address": _text(family.get("address")),
            "postcode": _text(family.get("postcode")),
            "locality": _text(family.get("locality")),
            "language": _text(family.get("language")),
            "interpreter": _bool(family.get("interpreter")),
            "members": members,
            "network": [
                {
                    "name": _text(p.get("name")),
                    "relationship": _text(p.get("relationship")),
                    "offer": _text(p.get("offer")),
                    "contact": _text(p.get("contact")),
                    "agreed": _bool(p.get("agreed")),
                }
                for p in _records(family.get("network"))
            ],
            "family_group": _family_group(family, plan_id),
        },
    )


def _family_group(family: Mapping[str, Any], plan_id: str) -> dict[str, Any] | None:
    """The latest family group decision-making meeting held for this plan (or linked to none): when,
    who came, the family's own plan. A meeting that belongs to an earlier plan is not this one's."""
    held = [m for m in _records(family.get("meetings")) if m.get("held_on") and m.get("plan_id") in (None, "", plan_id)]
    if not held:
        return None
    last = max(held, key=lambda m: str(m.get("held_on")))
    return {k: _text(last.get(k)) for k in ("held_on", "attended", "family_plan")}


def _framework_for(plan: Mapping[str, Any], framework: Any) -> Any:
    """The outcome framework for area names: the one given, else the default when an
    outcome has no ``area_name`` (None when none is needed)."""
    needs_framework = any(not o.get("area_name") for o in _records(plan.get("outcomes")))
    return framework if framework is not None else (_default_framework() if needs_framework else None)


def _area_name(o: Mapping[str, Any], fw: Any) -> str:
    """An outcome's area name: as given, else from the framework, else its area id."""
    if o.get("area_name"):
        return _text(o["area_name"])
    area = _text(o.get("area"))
    return fw.area_name(area) if fw is not None and area else area


def _outcome_context(o: Mapping[str, Any], fw: Any) -> dict[str, Any]:
    """One outcome with its actions."""
    actions = [
        _extras(
            a,
            {
                "id": _text(a.get("id")),
                "what": _text(a.get("what")),
                "who": _text(a.get("who")),
                "due": _text(a.get("due")),
                "status": _text(a.get("status")),
            },
        )
        for a in _records(o.get("actions"))
    ]
    return _extras(
        o,
        {
            "id": _text(o.get("id")),
            "area": _text(o.get("area")),
            "area_name": _area_name(o, fw),
            "description": _text(o.get("description")),
            "baseline": _score(o.get("baseline")),
            "target": _score(o.get("target")),
            "latest_score": _score(o.get("latest_score")),
            "actions": actions,
        },
    )


def _review_context(r: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One review, its scores filled in from the outcomes they score (``by_id``)."""
    scores = []
    for s in _records(r.get("scores")):
        outcome = by_id.get(_text(s.get("outcome_id") or s.get("outcome")), {})
        scores.append(
            _extras(
                s,
                {
                    "area_name": _text(s.get("area_name")) or outcome.get("area_name", ""),
                    "description": _text(s.get("description")) or outcome.get("description", ""),
                    "score": _score(s.get("score")),
                    "baseline": _score(s.get("baseline", outcome.get("baseline"))),
                    "target": _score(s.get("target", outcome.get("target"))),
                },
            )
        )
    return _extras(
        r,
        {
            "date": _text(r.get("date")),
            "attended": _text(r.get("attended")),
            "notes": _text(r.get("notes")),
            "next_review_date": _text(r.get("next_review_date")),
            "scores": scores,
        },
    )


def _fill_latest_scores(
    outcomes_in: list[Mapping[str, Any]],
    outcomes: list[dict[str, Any]],
    reviews_in: list[dict[str, Any]],
    reviews: list[dict[str, Any]],
) -> None:
    """latest_score not given: the outcome's score at the latest review that scored it."""
    for o_in, out in zip(outcomes_in, outcomes):
        if "latest_score" in o_in or not out["id"]:
            continue
        for r_in, r_out in zip(reversed(reviews_in), reversed(reviews)):
            hits = [
                s_out["score"]
                for s_in, s_out in zip(_records(r_in.get("scores")), r_out["scores"])
                if _text(s_in.get("outcome_id") or s_in.get("outcome")) == out["id"]
            ]
            if hits:
                out["latest_score"] = hits[-1]
                break


def _lead_text(lead: Any) -> Any:
    """The lead professional: a record becomes "name, role, agency, contact"."""
    if isinstance(lead, Mapping):
        lead = ", ".join(_text(lead.get(k)) for k in ("name", "role", "agency", "contact") if lead.get(k))
    return lead


def _version(version: Any) -> Any:
    """The plan version: a whole number (1 when not given), else as text."""
    try:
        return int(version) if version not in (None, "") else 1
    except (TypeError, ValueError):
        return _text(version)


def _plan_part(
    plan: Mapping[str, Any], family_id: str, outcomes: list[dict[str, Any]], reviews: list[dict[str, Any]]
) -> dict[str, Any]:
    """The ``plan`` part: its documented fields, with the outcomes and reviews built already."""
    share = plan.get("share_with")
    if isinstance(share, str):
        share = [s.strip() for s in share.split(",") if s.strip()]
    closed_reason = plan.get("closed_reason")
    return _extras(
        plan,
        {
            "id": _text(plan.get("id")),
            "family_id": _text(plan.get("family_id")) or family_id,
            "status": _text(plan.get("status")) or "open",
            "version": _version(plan.get("version")),
            "created_at": _text(plan.get("created_at")),
            "lead_professional": _text(_lead_text(plan.get("lead_professional"))),
            "team": [
                _extras(
                    t,
                    {k: _text(t.get(k)) for k in ("name", "agency", "role", "contact")},
                )
                for t in _records(plan.get("team"))
            ],
            "key_worker_choice": _text(plan.get("key_worker_choice")),
            "working_well": _text(plan.get("working_well")),
            "worries": _text(plan.get("worries")),
            "needs_to_happen": _text(plan.get("needs_to_happen")),
            "family_voice": _text(plan.get("family_voice")),
            "child_voice": _text(plan.get("child_voice")),
            "outcomes": outcomes,
            "contingency": _text(plan.get("contingency")),
            "review_date": _text(plan.get("review_date")),
            "share_with": [_text(s) for s in (share or []) if _text(s)],
            "reviews": reviews,
            "closed_reason": _text(closed_reason) if closed_reason not in (None, "") else None,
            "closing_summary": {
                k: _text((plan.get("closing_summary") or {}).get(k))
                for k in ("what_changed", "what_helped", "family_says")
            },
        },
    )
