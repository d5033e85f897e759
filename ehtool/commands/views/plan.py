"""How `plan show` looks on a terminal or in a pipe."""

from __future__ import annotations

from ehtool.term import output


def render_plan(plan: dict) -> None:
    words = plan.get("words") or {}
    name = words.get("plan_title") or "One Family Plan"
    title = f"{plan['id']}  {name} for {plan['family_id']}  (version {plan['version']}, {plan['status']})"
    output.emit_record(
        {**plan, **(plan.get("closing_summary") or {})},
        [
            ("lead_professional", words.get("lead_title") or "Lead professional"),
            ("key_worker_choice", "Family's choice of key worker"),
            ("review_date", "Review date"),
            ("working_well", "Working well"),
            ("worries", "Worries"),
            ("needs_to_happen", "Needs to happen"),
            ("family_voice", "Family's words"),
            ("child_voice", "Children's words"),
            ("contingency", "Contingency"),
            ("closed_reason", "Closed because"),
            ("closed_on", "Closed on"),
            ("what_changed", "What changed"),
            ("what_helped", "What helped"),
            ("family_says", "What the family says now"),
        ],
        title=title,
    )
    if plan.get("share_with"):
        output.line("Shared with: " + ", ".join(plan["share_with"]))
    if plan.get("team"):
        output.emit_table(
            plan["team"],
            [("name", "Name"), ("agency", "Agency"), ("role", "Role"), ("contact", "Contact")],
            title="Team Around the Family",
        )
    _render_outcomes(plan)
    _render_actions(plan)
    _render_reviews(plan)


def _outcome_rows(plan: dict) -> list[dict]:
    """One row per outcome: its baseline, latest score, target and signed change."""
    progress = {p["outcome"]: p for p in plan.get("progress", [])}
    rows = []
    for o in plan.get("outcomes", []):
        p = progress.get(o["id"], {})
        rows.append(
            {
                "id": o["id"],
                "area": o["area"],
                "description": o["description"],
                "baseline": o.get("baseline"),
                "latest": p.get("latest"),
                "target": o.get("target"),
                "change": (f"{p['change']:+d}" if p.get("change") is not None else ""),
            }
        )
    return rows


def _render_outcomes(plan: dict) -> None:
    """The Outcomes table (or a hint on adding one when there are none)."""
    output.emit_table(
        _outcome_rows(plan),
        [
            ("id", "#"),
            ("area", "Area"),
            ("description", "Outcome"),
            ("baseline", "Baseline"),
            ("latest", "Latest"),
            ("target", "Target"),
            ("change", "Change"),
        ],
        title="Outcomes",
        empty="No outcomes yet: `ehtool plan outcome add`.",
    )


def _render_actions(plan: dict) -> None:
    """The Actions table, every outcome's actions together, if there are any."""
    actions = [{**a, "outcome": o["id"]} for o in plan.get("outcomes", []) for a in o["actions"]]
    if actions:
        output.emit_table(
            actions,
            [("id", "#"), ("what", "Action"), ("who", "Who"), ("due", "By"), ("status", "Status")],
            title="Actions",
        )


def _render_reviews(plan: dict) -> None:
    """The Reviews table (who attended, the scores given), if there are any."""
    if plan.get("reviews"):
        output.emit_table(
            [
                {
                    **r,
                    "attended": ", ".join(r["attended"]),
                    "scores": ", ".join(f"{k}={val}" for k, val in r["scores"].items()),
                }
                for r in plan["reviews"]
            ],
            [
                ("date", "Reviewed"),
                ("attended", "Attended"),
                ("scores", "Scores"),
                ("notes", "Notes"),
                ("next_review_date", "Next"),
            ],
            title="Reviews",
        )
