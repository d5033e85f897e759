"""What a plan takes from the rest of the family's record: outcomes proposed from the latest
assessment (per child for a child's own needs), the children's own words, and the family's moves
up and down the continuum for the plan's documents. Pure domain: no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def proposed_outcomes(needs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One proposed outcome per outcome area the assessment touched: per child for a child's own
    needs, once for the household's. ``needs``: one per answered indicator that has an outcome
    area, in the assessment's order: {area, text, member_id (None for the household), name (the
    child's first name, or None)}. The coordinator keeps, edits or drops each; scores and actions
    are theirs to add."""
    groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for n in needs:
        group = groups.setdefault((n["area"], n.get("member_id")), {"name": n.get("name"), "texts": []})
        if n["text"] not in group["texts"]:
            group["texts"].append(n["text"])
    out: list[dict[str, Any]] = []
    for (area, member), group in groups.items():
        who = f"{group['name'] or 'Child'} ({member})" if member else "The family"
        description = f"{who}: " + "; ".join(group["texts"])
        if len(description) > 1000:
            description = description[:999].rstrip() + "…"
        out.append({"area": area, "description": description, "baseline": None, "target": None, "actions": []})
    return out


VOICE_MAX = 10_000


def voices(children: Iterable[Mapping[str, Any]]) -> str | None:
    """The children's own words from an assessment, each with the child's first name: "Ada: ...; Ben: ..."."""
    said = [f"{c.get('name') or c['member_id']}: {c['child_view']}" for c in children if c.get("child_view")]
    text = "\n".join(said)
    if len(text) > VOICE_MAX:  # a plan's text field holds at most this; each child's words stay whole where they fit
        text = text[: VOICE_MAX - 1].rstrip() + "…"
    return text or None


def step_history(
    assessments: Iterable[Mapping[str, Any]],
    referrals: Iterable[Mapping[str, Any]],
    effects: Iterable[Mapping[str, Any]],
    level_name: Callable[[str], str],
) -> list[dict[str, str]]:
    """The family's moves up and down the continuum, oldest first, for the plan's documents: each
    ``{date, move (step-up, step-down, referral), detail}``, from assessments that moved the family,
    referrals to the front door (and a referral that came back stepped down), and panel decisions."""
    moves: list[dict[str, str]] = []
    for a in assessments:
        if a.get("movement") in ("step-up", "step-down"):
            moves.append(
                {
                    "date": a["assessed_on"],
                    "move": a["movement"],
                    "detail": f"assessed at {level_name(a['level'])} ({a['id']})",
                }
            )
    for r in referrals:
        moves.append({"date": r["date"], "move": "referral", "detail": f"referred to {r['to']} ({r['id']})"})
        if r.get("outcome") == "stepped-down" and r.get("outcome_date"):
            moves.append(
                {"date": r["outcome_date"], "move": "step-down", "detail": f"stepped down from social care ({r['id']})"}
            )
    for e in effects:
        if e.get("outcome") == "applied" and e.get("effect") in ("step-up", "step-down"):
            moves.append({"date": e["applied_on"], "move": e["effect"], "detail": f"panel {e['item']}: {e['detail']}"})
    return sorted(moves, key=lambda m: m["date"])
