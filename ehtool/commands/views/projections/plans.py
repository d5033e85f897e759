"""One Family Plans: every `plan` command, outcome areas, templates and rendering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick, pick_all
from ehtool.domain.plans import ACTION_KEYS, OUTCOME_KEYS, PLAN_KEYS, TEAM_KEYS

PLAN_META_KEYS = (
    "id",
    "family_id",
    "status",
    "version",
    "created_at",
    "updated_at",
    "closed_on",
    "closed_reason",
    "closed_note",
    "closing_summary",
)
REVIEW_KEYS = (
    "id",
    "date",
    "attended",
    "scores",
    "action_updates",
    "notes",
    "next_review_date",
    "plan_version",
    "recorded_by",
)
PROGRESS_KEYS = ("outcome", "area", "baseline", "latest", "target", "change", "improved")
AREA_KEYS = ("id", "name", "description")
TEMPLATE_KEYS = ("name", "format", "path", "source", "shadowed")
RENDER_SKIPPED_KEYS = ("family_id", "reason")


PLAN_NEEDS_KEYS = ("family_id", "assessment_id", "lead_professional", "family_voice", "child_voice", "outcomes")
PLAN_NEEDS_OUTCOME_KEYS = ("area", "description", "baseline", "target", "actions")


def plan_needs_json(result: Mapping[str, Any]) -> dict:
    """`plan needs --json`: a plan file to edit and load with `plan new --from`."""
    return {**pick(result, PLAN_NEEDS_KEYS), "outcomes": pick_all(result["outcomes"], PLAN_NEEDS_OUTCOME_KEYS)}


def plan_json(plan: Mapping[str, Any]) -> dict:
    """Every plan command's `--json`: the plan's bookkeeping, the plan file keys (as
    `plan new --from` reads them, outcomes, actions and team included), reviews and progress."""

    out = pick(plan, PLAN_META_KEYS)
    out.update({k: plan.get(k) for k in PLAN_KEYS})
    out["team"] = [{k: person.get(k) for k in TEAM_KEYS} for person in plan.get("team") or []]
    out["outcomes"] = [
        {
            **{k: o.get(k) for k in OUTCOME_KEYS},
            "actions": [{k: a.get(k) for k in ACTION_KEYS} for a in o.get("actions") or []],
        }
        for o in plan.get("outcomes") or []
    ]
    out["reviews"] = pick_all(plan["reviews"], REVIEW_KEYS)
    out["progress"] = pick_all(plan["progress"], PROGRESS_KEYS, bools=("improved",))
    return out


def areas_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return pick_all(rows, AREA_KEYS)


def templates_json(rows: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{**pick(r, TEMPLATE_KEYS, bools=("shadowed",)), "path": str(r["path"])} for r in rows]


def render_json(path, fmt: str) -> dict:
    return {"path": str(path), "format": fmt}


def render_all_json(result: Mapping[str, Any]) -> dict:
    return {"written": [str(p) for p in result["written"]], "skipped": pick_all(result["skipped"], RENDER_SKIPPED_KEYS)}
