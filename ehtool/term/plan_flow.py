"""The interactive `plan new`: asks for each part of the plan; nothing is saved
until the coordinator confirms. Uses only ``ehtool.term.prompts``."""

from __future__ import annotations

from typing import Any

from ehtool.errors import Cancelled
from ehtool.term import prompts


def _optional(message: str) -> str | None:
    answer = prompts.text(message + " (enter to skip)", multiline=False)
    return answer.strip() or None


def _score(message: str) -> int | None:
    while True:
        answer = prompts.text(message + " 0-10 (enter to skip)").strip()
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)


def _with_default(message: str, default: str | None) -> str | None:
    """A question whose answer defaults to what is already recorded (enter keeps it)."""
    if not default:
        return _optional(message)
    shown = default if len(default) <= 60 else default[:59] + "…"
    answer = prompts.text(f"{message} (enter to keep: {shown})", multiline=False).strip()
    return answer or default


def _proposed(needs: dict, areas: list[dict]) -> list[dict[str, Any]]:
    """Each outcome the assessment proposes, kept, edited or dropped by the coordinator."""
    names = {a["id"]: a["name"] for a in areas}
    kept = []
    for proposal in needs.get("outcomes") or []:
        choice = prompts.select(
            f"From the assessment, {names.get(proposal['area'], proposal['area'])}: {proposal['description']}",
            [("keep", "Keep this outcome"), ("edit", "Edit what we want to achieve"), ("drop", "Drop it")],
            default="keep",
        )
        if choice == "drop":
            continue
        outcome = dict(proposal)
        if choice == "edit":
            outcome["description"] = ""
            while not outcome["description"].strip():
                outcome["description"] = prompts.text("What do we want to achieve?", default=proposal["description"])
        outcome["baseline"] = _score("Score now")
        outcome["target"] = _score("Target score")
        kept.append(outcome)
    return kept


def ask_new_plan(areas: list[dict], needs: dict | None = None) -> dict:
    """The plan, question by question, starting from ``needs`` (what the latest assessment
    proposes: outcomes, the family's lead, the family's and the children's words)."""
    prompts.require_terminal("Starting a plan interactively", "--from FILE (JSON, TOML or YAML)")
    needs = needs or {}
    plan: dict = {"team": [], "outcomes": [], "share_with": []}
    lead = _with_default("Lead professional:", needs.get("lead_professional")) or ""
    while not lead.strip():
        lead = prompts.text("Lead professional:")
    plan["lead_professional"] = lead
    plan["key_worker_choice"] = _optional("The family's choice of key worker, if they were offered one:")
    plan["working_well"] = _optional("What is working well?")
    plan["worries"] = _optional("What are we worried about?")
    plan["needs_to_happen"] = _optional("What needs to happen?")
    plan["family_voice"] = _with_default("The family's own words:", needs.get("family_voice"))
    plan["child_voice"] = _with_default("The children's own words:", needs.get("child_voice"))
    while prompts.confirm("Add someone to the Team Around the Family?", default=not plan["team"]):
        name = prompts.text("Name:")
        if name.strip():
            plan["team"].append(
                {
                    "name": name,
                    "agency": _optional("Agency:"),
                    "role": _optional("Role:"),
                    "contact": _optional("Contact:"),
                }
            )
    plan["outcomes"] = _proposed(needs, areas)
    while prompts.confirm("Add an outcome?", default=not plan["outcomes"]):
        area = prompts.select("Outcome area:", [(a["id"], a["name"]) for a in areas])
        description = ""
        while not description.strip():
            description = prompts.text("What do we want to achieve?")
        outcome: dict[str, Any] = {
            "area": area,
            "description": description,
            "baseline": _score("Score now"),
            "target": _score("Target score"),
            "actions": [],
        }
        while prompts.confirm("Add an action for this outcome?", default=not outcome["actions"]):
            what = prompts.text("What will be done?")
            if what.strip():
                outcome["actions"].append(
                    {"what": what, "who": _optional("Who?"), "due": _optional("By when (YYYY-MM-DD)?")}
                )
        plan["outcomes"].append(outcome)
    plan["contingency"] = _optional("Contingency: what happens if things don't improve?")
    plan["review_date"] = _optional("Review date (YYYY-MM-DD; enter for the usual interval)")
    share = _optional("Shared with which agencies? (comma-separated)")
    plan["share_with"] = [s.strip() for s in (share or "").split(",") if s.strip()]
    summary = (
        f"{len(plan['outcomes'])} outcome(s), {sum(len(o['actions']) for o in plan['outcomes'])} action(s), "
        f"{len(plan['team'])} in the team."
    )
    if not prompts.confirm(f"Save this plan? ({summary})", default=True):
        raise Cancelled("Not saved.")
    return plan


def ask_closing_summary() -> dict[str, str | None]:
    """The plan's closing summary, each part skippable."""
    return {
        "what_changed": _optional("Closing summary: what changed?"),
        "what_helped": _optional("What helped?"),
        "family_says": _optional("What does the family say now?"),
    }


def ask_review(plan: dict, default_next: str) -> dict:
    """The interactive review: attendance, a score per outcome, actions done, notes, next date."""
    prompts.require_terminal("Recording a review", "--score OUTCOME=SCORE, --attended, --done, --notes")
    attended = prompts.text("Who attended? (comma-separated)")
    scores: dict[str, int] = {}
    for o in plan.get("outcomes", []):
        base = f" (baseline {o['baseline']}, target {o['target']})" if o.get("baseline") is not None else ""
        score = _score(f"Outcome {o['id']}: {o['description']}{base}. Score now")
        if score is not None:
            scores[o["id"]] = score
    open_actions = [
        (a["id"], f"{a['id']} {a['what']}")
        for o in plan.get("outcomes", [])
        for a in o["actions"]
        if a["status"] not in ("done", "dropped")
    ]
    done = prompts.checkbox("Which actions are done?", open_actions) if open_actions else []
    notes = _optional("What did the review find?")
    nxt = prompts.text(f"Next review date (enter for {default_next})").strip() or None
    review = {
        "attended": [a.strip() for a in attended.split(",") if a.strip()],
        "scores": scores,
        "done": done,
        "notes": notes,
        "next_review": nxt,
    }
    if not prompts.confirm(f"Save this review? ({len(scores)} score(s), {len(done)} action(s) done)", default=True):
        raise Cancelled("Not saved.")
    return review
