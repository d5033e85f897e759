"""The One Family Plan: its fields, validation, and the pure operations on it.

A plan's content is a document (the keys below, shared by `plan new --from`
and `plan show --json`). Outcomes get ids "1", "2"...; an outcome's actions
"1.1", "1.2"... Ids are never reused within a plan, so a coordinator can type
`ehtool plan action done F000123 2.1`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypedDict

from ehtool.domain import validators as v
from ehtool.domain.outcomes import area_key
from ehtool.errors import InvalidInput

TEXT_FIELDS = (
    "key_worker_choice",
    "working_well",
    "worries",
    "needs_to_happen",
    "family_voice",
    "child_voice",
    "contingency",
)
PLAN_KEYS = (
    "lead_professional",
    "key_worker_choice",
    "team",
    "working_well",
    "worries",
    "needs_to_happen",
    "family_voice",
    "child_voice",
    "outcomes",
    "contingency",
    "review_date",
    "share_with",
)
TEAM_KEYS = ("name", "agency", "role", "contact")
OUTCOME_KEYS = ("id", "area", "description", "baseline", "target", "actions")
ACTION_KEYS = ("id", "what", "who", "due", "status")
ACTION_STATUSES = ("not-started", "in-progress", "done", "dropped")
CLOSE_REASONS = {
    "needs-met": "Needs met",
    "stepped-up": "Stepped up to children's social care",
    "stepped-down": "Stepped down to universal services",
    "moved-away": "Family moved away",
    "consent-withdrawn": "Consent withdrawn",
    "other": "Other",
}
SHOW_ONLY = {
    "id",
    "family_id",
    "status",
    "version",
    "reviews",
    "created_at",
    "updated_at",
    "closed_on",
    "closed_reason",
    "closed_note",
    "closing_summary",
    "family",
    "level",
    "level_name",
    "progress",
    "assessment_id",  # `plan needs` names the assessment its proposals come from
}


class OutcomeProgress(TypedDict):
    """Distance travelled on one outcome (:func:`progress`)."""

    outcome: str
    area: str
    baseline: int | None
    latest: int | None
    target: int | None
    change: int | None
    improved: bool


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.items.append(f"{place}: {message}")

    def raise_if_any(self, what: str) -> None:
        if self.items:
            raise InvalidInput(
                f"{what}: {len(self.items)} problem{'s' if len(self.items) != 1 else ''}.",
                problems=self.items,
                hint="Fix the fields named and try again.",
            )


def _text(value: object, place: str, problems: Problems, *, max_len: int = 10000, multiline: bool = True) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        problems.add(place, "should be text")
        return None
    try:
        return v.clean_text(str(value), field=place, max_len=max_len, multiline=multiline) or None
    except InvalidInput as exc:
        problems.add(place, exc.message)
        return None


def _score(value: object, place: str, problems: Problems) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        problems.add(place, "should be a whole number from 0 to 10")
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        problems.add(place, f"{value!r} is not a whole number from 0 to 10")
        return None
    if not 0 <= n <= 10:
        problems.add(place, f"{n} is outside 0 to 10")
        return None
    return n


def _date(value: object, place: str, problems: Problems) -> str | None:
    if value in (None, ""):
        return None
    try:
        return v.parse_date(value, field=place).isoformat()
    except InvalidInput as exc:
        problems.add(place, exc.message)
        return None


def validate(data: object, *, areas: Collection[str], partial: bool = False) -> dict[str, Any]:
    """Check a plan document; return the cleaned content or raise listing every problem by field."""
    problems = Problems()
    if not isinstance(data, dict):
        raise InvalidInput("A plan must be an object with the plan's fields.")
    unknown = sorted(set(data) - set(PLAN_KEYS) - SHOW_ONLY)
    for key in unknown:
        problems.add(key, "is not a plan field (fields: " + ", ".join(PLAN_KEYS) + ")")
    out: dict[str, Any] = {}
    if "lead_professional" in data or not partial:
        out["lead_professional"] = _text(
            data.get("lead_professional"), "lead_professional", problems, max_len=120, multiline=False
        )
        if not out["lead_professional"] and not any(p.startswith("lead_professional") for p in problems.items):
            problems.add("lead_professional", "is required (the lead professional's name)")
    for key in TEXT_FIELDS:
        if key in data or not partial:
            out[key] = _text(data.get(key), key, problems)
    if "review_date" in data or not partial:
        out["review_date"] = _date(data.get("review_date"), "review_date", problems)
    if "team" in data or not partial:
        out["team"] = _team(data.get("team") or [], problems)
    if "share_with" in data or not partial:
        share = data.get("share_with") or []
        if not isinstance(share, list):
            problems.add("share_with", "should be a list of agency names")
            share = []
        out["share_with"] = [
            t
            for i, s in enumerate(share)
            if (t := _text(s, f"share_with[{i}]", problems, max_len=200, multiline=False))
        ]
    if "outcomes" in data or not partial:
        out["outcomes"] = _outcomes(data.get("outcomes") or [], areas, problems)
    problems.raise_if_any("The plan was not saved")
    return out


def _team(team: object, problems: Problems) -> list[dict[str, str | None]]:
    if not isinstance(team, list):
        problems.add("team", "should be a list of people")
        return []
    out = []
    for i, person in enumerate(team):
        place = f"team[{i}]"
        if not isinstance(person, dict):
            problems.add(place, "should be an object with name, agency, role, contact")
            continue
        for key in sorted(set(person) - set(TEAM_KEYS)):
            problems.add(f"{place}.{key}", "is not a team field (name, agency, role, contact)")
        member = {k: _text(person.get(k), f"{place}.{k}", problems, max_len=200, multiline=False) for k in TEAM_KEYS}
        if not member["name"]:
            problems.add(f"{place}.name", "is required")
        out.append(member)
    return out


def _outcomes(outcomes: object, areas: Collection[str], problems: Problems) -> list[dict[str, Any]]:
    if not isinstance(outcomes, list):
        problems.add("outcomes", "should be a list")
        return []
    out = []
    for i, o in enumerate(outcomes):
        place = f"outcomes[{i}]"
        if not isinstance(o, dict):
            problems.add(place, "should be an object with area, description, baseline, target, actions")
            continue
        for key in sorted(set(o) - set(OUTCOME_KEYS) - {"area_name", "latest_score"}):
            problems.add(f"{place}.{key}", "is not an outcome field (" + ", ".join(OUTCOME_KEYS) + ")")
        area = str(o.get("area") or "").strip()
        if isinstance(areas, Mapping):  # an area's earlier names and ids lead to its id
            area = areas.get(area_key(area), area)
        if area not in areas:
            problems.add(
                f"{place}.area",
                f"{area!r} is not an outcome area; see `ehtool plan areas`"
                if area
                else "is required; see `ehtool plan areas`",
            )
        outcome: dict[str, Any] = {
            "id": str(o["id"]) if o.get("id") not in (None, "") else None,
            "area": area,
            "description": _text(o.get("description"), f"{place}.description", problems, max_len=2000),
            "baseline": _score(o.get("baseline"), f"{place}.baseline", problems),
            "target": _score(o.get("target"), f"{place}.target", problems),
            "actions": [],
        }
        if not outcome["description"]:
            problems.add(f"{place}.description", "is required (what we want to achieve)")
        actions = o.get("actions") or []
        if not isinstance(actions, list):
            problems.add(f"{place}.actions", "should be a list")
            actions = []
        for j, a in enumerate(actions):
            outcome["actions"].append(_action(a, f"{place}.actions[{j}]", problems))
        out.append(outcome)
    return out


def _action(a: object, place: str, problems: Problems) -> dict[str, Any]:
    if not isinstance(a, dict):
        problems.add(place, "should be an object with what, who, due, status")
        return {}
    for key in sorted(set(a) - set(ACTION_KEYS)):
        problems.add(f"{place}.{key}", "is not an action field (what, who, due, status)")
    status = str(a.get("status") or "not-started").strip().casefold().replace(" ", "-")
    if status not in ACTION_STATUSES:
        problems.add(f"{place}.status", f"{status!r} is not one of {', '.join(ACTION_STATUSES)}")
    action = {
        "id": str(a["id"]) if a.get("id") not in (None, "") else None,
        "what": _text(a.get("what"), f"{place}.what", problems, max_len=2000),
        "who": _text(a.get("who"), f"{place}.who", problems, max_len=200, multiline=False),
        "due": _date(a.get("due"), f"{place}.due", problems),
        "status": status,
    }
    if not action["what"]:
        problems.add(f"{place}.what", "is required")
    return action


def number(content: Mapping[str, Any]) -> dict[str, Any]:
    """Give outcomes and actions ids where they have none (never reusing one)."""
    doc = copy.deepcopy(dict(content))
    used = {o["id"] for o in doc.get("outcomes", []) if o.get("id")}
    next_o = max([int(x) for x in used if x.isdigit()] + [doc.get("_last_outcome", 0)]) + 1
    for o in doc.get("outcomes", []):
        if not o.get("id"):
            o["id"] = str(next_o)
            next_o += 1
        last = max([int(a["id"].split(".")[1]) for a in o["actions"] if a.get("id") and "." in a["id"]] + [0])
        for a in o["actions"]:
            if not a.get("id"):
                last += 1
                a["id"] = f"{o['id']}.{last}"
    doc["_last_outcome"] = next_o - 1
    return doc


def public(content: Mapping[str, Any]) -> dict[str, Any]:
    """The document without internal bookkeeping keys."""
    return {k: val for k, val in content.items() if not k.startswith("_")}


def find_outcome(content: Mapping[str, Any], outcome_id: str) -> dict[str, Any]:
    """The outcome itself (not a copy: changing it changes ``content``)."""
    outcomes: list[dict[str, Any]] = content.get("outcomes", [])
    for o in outcomes:
        if o["id"] == str(outcome_id).strip():
            return o
    ids = ", ".join(o["id"] for o in outcomes) or "none yet"
    raise InvalidInput(f"No outcome {outcome_id!r} in this plan (outcomes: {ids}).")


def find_action(content: Mapping[str, Any], action_id: str) -> dict[str, Any]:
    """The action itself (not a copy: changing it changes ``content``)."""
    outcomes: list[dict[str, Any]] = content.get("outcomes", [])
    for o in outcomes:
        actions: list[dict[str, Any]] = o["actions"]
        for a in actions:
            if a["id"] == str(action_id).strip():
                return a
    ids = ", ".join(a["id"] for o in outcomes for a in o["actions"]) or "none yet"
    raise InvalidInput(
        f"No action {action_id!r} in this plan (actions: {ids}).",
        hint="`ehtool plan show FAMILY_ID` lists actions with their ids.",
    )


def default_review_date(today: dt.date, interval_days: int) -> str:
    return (today + dt.timedelta(days=interval_days)).isoformat()


def latest_scores(reviews: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """outcome id -> latest scored value across reviews (oldest to newest)."""
    scores: dict[str, int] = {}
    for r in sorted(reviews, key=lambda r: (r["date"], r["id"])):
        for oid, score in (r.get("scores") or {}).items():
            if score is not None:
                scores[oid] = score
    return scores


def progress(content: Mapping[str, Any], reviews: Iterable[Mapping[str, Any]]) -> list[OutcomeProgress]:
    """Distance travelled per outcome: baseline, latest score, target, change."""
    latest = latest_scores(reviews)
    out: list[OutcomeProgress] = []
    for o in content.get("outcomes", []):
        score = latest.get(o["id"])
        change = (score - o["baseline"]) if (score is not None and o.get("baseline") is not None) else None
        out.append(
            {
                "outcome": o["id"],
                "area": o["area"],
                "baseline": o.get("baseline"),
                "latest": score,
                "target": o.get("target"),
                "change": change,
                "improved": change is not None and change > 0,
            }
        )
    return out
