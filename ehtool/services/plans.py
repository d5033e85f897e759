"""What `ehtool plan ...` does: start, change, review, close and render One Family Plans."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ehtool.documents import inputs
from ehtool.documents.frameworks import load_framework
from ehtool.domain import families as fam
from ehtool.domain import plan_sources as sources
from ehtool.domain import plans as P
from ehtool.domain import validators as v
from ehtool.errors import InvalidInput, NotFound, Refused
from ehtool.services.assessments import made_under
from ehtool.services.consent import early_help_consent
from ehtool.services.families import set_lead
from ehtool.services.settings import framework, profile
from ehtool.store import assessments, audit, meetings
from ehtool.store import plans as repo
from ehtool.store.families import family_row


def read_plan_file(path: Path) -> dict:
    path = Path(path)
    text = inputs.read_text(path, what="plan file")
    data = inputs.parse_structured(text, inputs.structured_format(path), path.name)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: a plan file holds one object with the plan's fields.")
    return data


def _areas(store) -> dict[str, str]:
    """Every way a plan file may name an outcome area -> its id."""
    return framework(store).area_keys()


def check_can_start(store, fid: int) -> None:

    ref = fam.family_ref(fid)
    latest = assessments.latest(store, fid)
    if latest is None:
        raise Refused(
            f"{ref} has no assessment yet, so a plan cannot start.",
            hint=f"Run the questionnaire first: `ehtool assess run {ref}`.",
        )
    if latest["significant_harm"]:
        raise Refused(
            f"{ref}'s latest assessment ({latest['id']}) indicates possible significant harm: "
            "this family needs a referral to the front door, not an early help plan.",
            hint="Contact the front door now. If it decides early help is right, record a new assessment.",
        )
    if early_help_consent(store, ref) is None:
        raise Refused(
            f"{ref} has no consent to early help recorded, so a plan cannot start.",
            hint=f"Record it: `ehtool consent record {ref} --type early-help --status given --by ...`.",
        )


def new_plan(store, family_ref: str, data: dict) -> dict:

    fid = fam.parse_ref(family_ref)
    check_can_start(store, fid)  # before validating: the reason a plan cannot start comes first
    content = P.validate(data, areas=_areas(store))
    if not content.get("review_date"):
        content["review_date"] = P.default_review_date(
            v.today_london(), profile(store).settings.get("review_interval_days", 42)
        )
    with store.tx():  # checked again under the write lock: consent withdrawn meanwhile stops the plan
        check_can_start(store, fid)
        pk = repo.create(store, fid, P.number(content))
        set_lead(store, fid, content["lead_professional"])  # the plan's lead is the family's
        meetings.link_to_plan(store, fid, pk)  # the family's own plan from a meeting held before
    return show(store, family_ref, audit_access=False)


def needs(store, family_ref: str, *, audit_access: bool = True) -> dict[str, Any]:
    """What the latest assessment says the plan should work on: one proposed outcome per outcome
    area its answers touched (per child for a child's own needs), the children's and the family's
    own words, and the family's lead professional. Shaped as a plan file (`plan new --from`)."""
    fid = fam.parse_ref(family_ref)
    family = family_row(store, fid)
    latest = assessments.latest(store, fid)
    if latest is None:
        raise InvalidInput(
            f"{fam.family_ref(fid)} has no completed assessment to start a plan from.",
            hint=f"Assess the family first: `ehtool assess run {fam.family_ref(fid)}`.",
        )
    prof = made_under(store, latest)
    names = {c["id"]: str(c["name"]).split(" ")[0] for c in assessments.family_children(store, fid)}
    aid = fam.parse_ref(latest["id"], fam.ASSESSMENT_PREFIX, "assessment")
    found = []
    for indicator, scope, member in assessments.answers_of(store, aid):
        ind = prof.indicator(indicator)
        if ind is None or not ind.outcome_area:
            continue
        who = member if scope == "child" else None
        found.append({"area": ind.outcome_area, "text": ind.text, "member_id": who, "name": names.get(who or "")})
    children = [{**c, "name": names.get(c["member_id"])} for c in latest["children"]]
    if audit_access:  # the children's words and names were read: an access, like `assess show`
        with store.tx():
            audit.record(store, "plan.needs", kind="access", entity="assessment", entity_id=latest["id"], family_id=fid)
    return {
        "family_id": fam.family_ref(fid),
        "assessment_id": latest["id"],
        "lead_professional": family["lead"],
        "family_voice": latest.get("family_view"),
        "child_voice": sources.voices(children) or latest.get("child_view"),
        "outcomes": sources.proposed_outcomes(found),
    }


def show(store, family_ref: str, *, version: int | None = None, audit_access: bool = True) -> dict:

    fid = fam.parse_ref(family_ref)
    row = repo.open_plan(store, fid, required=False) or repo.latest_plan(store, fid)
    if row is None:
        family_row(store, fid)
        raise NotFound(
            f"{fam.family_ref(fid)} has no plan.", hint=f"Start one with `ehtool plan new {fam.family_ref(fid)}`."
        )
    plan: dict[str, Any] = dict(row)  # a new shape: a version's content laid over it, and the progress
    pk = plan.pop("_pk")
    if version is not None:
        snapshot = repo.version(store, pk, version)
        plan.update(snapshot)
        plan["version"] = version
    plan["progress"] = P.progress(plan, plan["reviews"])
    plan["words"] = dict(profile(store).words)  # what the partnership calls the plan and its lead (not in --json)
    if audit_access:
        with store.tx():
            audit.record(store, "plan.show", kind="access", entity="plan", entity_id=plan["id"], family_id=fid)
    return P.public(plan)


def edit(store, family_ref: str, changes: dict) -> dict:
    """Replace the given top-level fields (from flags or a file)."""

    if not changes:
        raise InvalidInput("Nothing to change.", hint="Pass fields to change, e.g. --worries '...', or --from FILE.")
    clean = P.validate(changes, areas=_areas(store), partial=True)
    fid = fam.parse_ref(family_ref)

    def mutate(content):
        fields = [k for k, val in clean.items() if content.get(k) != val]
        if "outcomes" in clean:
            clean["outcomes"] = P.number({**content, "outcomes": clean["outcomes"]})["outcomes"]
        return {
            **content,
            **clean,
            "_last_outcome": max(
                content.get("_last_outcome", 0), P.number({**content, **clean}).get("_last_outcome", 0)
            ),
        }, fields

    with store.tx():
        repo.update(store, fid, mutate, change="edited: " + ", ".join(sorted(clean)))
        if clean.get("lead_professional"):
            set_lead(store, fid, clean["lead_professional"])  # the plan's lead is the family's
    return show(store, family_ref, audit_access=False)


def add_outcome(store, family_ref: str, outcome: dict) -> dict:

    cleaned = P.validate({"outcomes": [outcome]}, areas=_areas(store), partial=True)["outcomes"][0]

    def mutate(content):
        content = P.number({**content, "outcomes": content["outcomes"] + [cleaned]})
        return content, ["outcomes"]

    repo.update(store, fam.parse_ref(family_ref), mutate, change="outcome added")
    return show(store, family_ref, audit_access=False)


def edit_outcome(store, family_ref: str, outcome_id: str, fields: dict) -> dict:

    areas = _areas(store)

    def mutate(content):
        o = P.find_outcome(content, outcome_id)
        merged = {**{k: o[k] for k in ("area", "description", "baseline", "target")}, **fields, "actions": o["actions"]}
        cleaned = P.validate({"outcomes": [merged]}, areas=areas, partial=True)["outcomes"][0]
        changed = [k for k in fields if o.get(k) != cleaned.get(k)]
        o.update({k: cleaned[k] for k in ("area", "description", "baseline", "target")})
        return content, (["outcomes"] if changed else [])

    repo.update(store, fam.parse_ref(family_ref), mutate, change=f"outcome {outcome_id} edited")
    return show(store, family_ref, audit_access=False)


def add_action(store, family_ref: str, outcome_id: str, action: dict) -> dict:

    problems = P.Problems()
    cleaned = P._action(action, "action", problems)
    problems.raise_if_any("The action was not added")

    def mutate(content):
        P.find_outcome(content, outcome_id)["actions"].append(cleaned)
        return P.number(content), ["outcomes"]

    repo.update(store, fam.parse_ref(family_ref), mutate, change=f"action added to outcome {outcome_id}")
    return show(store, family_ref, audit_access=False)


def update_action(store, family_ref: str, action_id: str, fields: dict) -> dict:

    def mutate(content):
        a = P.find_action(content, action_id)
        problems = P.Problems()
        cleaned = P._action(
            {**{k: a[k] for k in ("what", "who", "due", "status")}, **fields}, f"action {action_id}", problems
        )
        problems.raise_if_any(f"Action {action_id} was not changed")
        changed = [k for k in fields if a.get(k) != cleaned.get(k)]
        a.update({k: cleaned[k] for k in ("what", "who", "due", "status")})
        return content, (["outcomes"] if changed else [])

    repo.update(store, fam.parse_ref(family_ref), mutate, change=f"action {action_id} updated")
    return show(store, family_ref, audit_access=False)


def add_team_member(store, family_ref: str, person: dict) -> dict:

    problems = P.Problems()
    cleaned = P._team([person], problems)[0]
    problems.raise_if_any("The team member was not added")

    def mutate(content):
        return {**content, "team": content.get("team", []) + [cleaned]}, ["team"]

    repo.update(store, fam.parse_ref(family_ref), mutate, change="team member added")
    return show(store, family_ref, audit_access=False)


def review(
    store,
    family_ref: str,
    *,
    date: str | None,
    attended: list[str],
    scores: Mapping[str, object],
    done: list[str],
    notes: str | None,
    next_review: str | None,
) -> dict:

    fid = fam.parse_ref(family_ref)
    problems = P.Problems()
    when = v.parse_date(date, field="review date") if date else v.today_london()
    if when > v.today_london():
        problems.add("date", "a review cannot be recorded in the future")
    clean_scores = {}
    for oid, raw in scores.items():
        s = P._score(raw, f"score for outcome {oid}", problems)
        if s is not None:
            clean_scores[str(oid).strip()] = s
    notes = P._text(notes, "notes", problems)
    people = [t for a in attended if (t := P._text(a, "attended", problems, max_len=200, multiline=False))]
    nxt = P._date(next_review, "next review date", problems) if next_review else None
    problems.raise_if_any("The review was not recorded")
    if nxt is None:
        nxt = next_review_default(store, when.isoformat())
    elif nxt <= when.isoformat():
        raise InvalidInput("The next review date must be after the review.")
    review_row = {
        "date": when.isoformat(),
        "attended": people,
        "scores": clean_scores,
        "action_updates": [{"action": a, "status": "done"} for a in done],
        "notes": notes,
        "next_review_date": nxt,
    }

    def mutate(content):
        for oid in clean_scores:
            P.find_outcome(content, oid)
        for aid in done:
            P.find_action(content, aid)["status"] = "done"
        content["review_date"] = nxt
        return content, ["review_date"] + (["outcomes"] if done else [])

    repo.add_review(store, fid, review_row, mutate)
    return show(store, family_ref, audit_access=False)


def show_open(store, family_ref: str) -> dict:
    """The open plan, or NotFound saying there is none."""

    return P.public(repo.open_plan(store, fam.parse_ref(family_ref)))  # without _pk and the other "_" keys


def next_review_default(store, date: str | None) -> str:

    when = v.parse_date(date, field="review date") if date else v.today_london()
    return P.default_review_date(when, profile(store).settings.get("review_interval_days", 42))


CLOSING_KEYS = ("what_changed", "what_helped", "family_says")


def close(
    store, family_ref: str, reason: str, note: str | None, date: str | None, summary: Mapping[str, Any] | None = None
) -> dict:
    """Close the open plan with a reason, and its closing summary (``summary``: what changed, what
    helped, what the family says now; each optional)."""
    key = check_close(store, family_ref, reason, note)
    note = v.clean_text(note, field="note", max_len=2000, multiline=True) if note else None
    on = (v.parse_date(date, field="closure date") if date else v.today_london()).isoformat()
    said = {
        k: (v.clean_text(summary.get(k), field=k.replace("_", " "), max_len=4000, multiline=True) or None)
        if summary and summary.get(k)
        else None
        for k in CLOSING_KEYS
    }
    repo.close(store, fam.parse_ref(family_ref), key, note, on, said if any(said.values()) else None)
    return show(store, family_ref, audit_access=False)


def check_close(store, family_ref: str, reason: str, note: str | None) -> str:
    """The close reason's id, once the reason is valid and the family has an open plan to close."""

    key = (reason or "").strip().casefold().replace(" ", "-")
    if key not in P.CLOSE_REASONS:
        raise InvalidInput(
            f"reason {reason!r} is not one of: {', '.join(P.CLOSE_REASONS)}.",
            hint="With --reason other, say why with --note.",
        )
    if key == "other" and not (note or "").strip():
        raise InvalidInput("--reason other needs --note saying why.")
    repo.open_plan(store, fam.parse_ref(family_ref))  # NotFound: no open plan to close
    return key


def areas(store=None) -> list[dict]:
    if store is not None:
        fw = framework(store)
    else:
        fw = load_framework()
    return [{"id": a["id"], "name": a["name"], "description": a.get("description", "")} for a in fw.areas]


# -- documents -----------------------------------------------------------------------
