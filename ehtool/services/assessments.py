"""Threshold assessments: scoring an answers file for each child, starting and completing,
saving, listing and showing.

The interactive questionnaire is in :mod:`ehtool.term.questionnaire`; it hands
its values to :func:`save` here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.documents import inputs
from ehtool.documents.profiles import load_profile
from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.domain.assessments import ANSWER_KEYS, build
from ehtool.domain.children import Answers, Child, children_of
from ehtool.domain.thresholds import Profile, movement
from ehtool.errors import Conflict, InvalidInput, NotFound
from ehtool.services.settings import organisation as default_organisation
from ehtool.services.settings import profile as current_profile
from ehtool.store import assessments as repo
from ehtool.store import audit
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import AssessmentRow

_CHILD_KEYS = {"indicators", "child_view", "override"}
_HOUSEHOLD_KEYS = {"indicators", "affects"}


def read_answers(path: Path) -> dict:
    """An answers file (JSON or TOML), its shape checked; ids are checked against the family later."""
    path = Path(path)
    text = inputs.read_text(path, what="answers file")
    data = inputs.parse_structured(text, "toml" if path.suffix.lower() == ".toml" else "json", path.name)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: the answers must be an object (see the answers-file format in the README).")
    unknown = sorted(set(data) - ANSWER_KEYS)
    if unknown:
        raise InvalidInput(
            f"{path.name}: unknown key(s) {', '.join(unknown)}.", hint="Keys: " + ", ".join(sorted(ANSWER_KEYS)) + "."
        )
    if "indicators" in data and ("children" in data or "household" in data):
        raise InvalidInput(
            f"{path.name}: give either a flat 'indicators' list or 'children' and 'household', not both."
        )
    _ids(path.name, "indicators", data.get("indicators", []))
    _children_shape(path.name, data.get("children", {}))
    _household_shape(path.name, data.get("household", {}))
    _override_shape(path.name, "override", data.get("override"))
    _texts(path.name, data)
    return data


def _texts(name: str, data: dict) -> None:
    """The free-text and date values must be text (never a list or a table read as its repr)."""
    for key in ("family_view", "child_view", "notes", "organisation", "assessed_on", "started_on", "completed_on"):
        if key in data and not isinstance(data[key], str):
            raise InvalidInput(f"{name}: '{key}' must be text, not {type(data[key]).__name__}.")
    override = data.get("override")
    if isinstance(override, dict) and not isinstance(override.get("reason", ""), str):
        raise InvalidInput(f"{name}: 'override.reason' must be text.")


def _ids(name: str, where: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise InvalidInput(f"{name}: '{where}' must be a list of indicator ids.")


def _override_shape(name: str, where: str, value: Any) -> None:
    if value is not None and (not isinstance(value, dict) or "level" not in value):
        raise InvalidInput(f"{name}: '{where}' must be an object with 'level' and 'reason'.")


def _children_shape(name: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise InvalidInput(f"{name}: 'children' must map member references to their answers.")
    for member, answers in value.items():
        if not isinstance(answers, dict) or set(answers) - _CHILD_KEYS:
            raise InvalidInput(f"{name}: children.{member} must be an object with {', '.join(sorted(_CHILD_KEYS))}.")
        _ids(name, f"children.{member}.indicators", answers.get("indicators", []))
        if not isinstance(answers.get("child_view", ""), str):
            raise InvalidInput(f"{name}: children.{member}.child_view must be text.")
        _override_shape(name, f"children.{member}.override", answers.get("override"))


def _household_shape(name: str, value: Any) -> None:
    if not isinstance(value, dict) or set(value) - _HOUSEHOLD_KEYS:
        raise InvalidInput(f"{name}: 'household' must be an object with 'indicators' and 'affects'.")
    _ids(name, "household.indicators", value.get("indicators", []))
    affects = value.get("affects", {})
    if not isinstance(affects, dict) or not all(
        isinstance(ms, list) and all(isinstance(m, str) for m in ms) for ms in affects.values()
    ):
        raise InvalidInput(f"{name}: household.affects must map an indicator id to a list of member references.")


def children(store, family_ref: str, on: dt.date | None = None) -> list[Child]:
    """The family's children with their ages on ``on`` (default today)."""
    return children_of(repo.family_children(store, fam.parse_ref(family_ref)), on or v.today_london())


def _day(data: dict) -> dt.date:
    text = data.get("completed_on") or data.get("assessed_on") or data.get("started_on")
    return v.parse_date(text, field="assessment date") if text else v.today_london()


def run_scripted(store, family_ref: str, answers_path: Path, *, start: bool = False, organisation: str | None = None):
    """Score an answers file for the family's children and save it (open with ``start``)."""
    family_row(store, fam.parse_ref(family_ref))  # not found before reading answers
    data = read_answers(answers_path)
    if organisation:
        data["organisation"] = organisation
    data.setdefault("organisation", default_organisation(store))
    values = build(current_profile(store), data, children(store, family_ref, _day(data)), complete=not start)
    return save(store, family_ref, values)


def save(store, family_ref: str, values: dict) -> dict[str, Any]:
    profile = current_profile(store)
    aid = repo.save(store, fam.parse_ref(family_ref), values, movement_of=_movement(profile))
    return describe(profile, repo.get(store, aid))


def _movement(profile: Profile):
    return lambda a, b: movement(a, b, profile) if a and profile.level(a) else None


def complete(store, ref: str, *, answers_path: Path | None, on: str | None, organisation: str | None) -> dict[str, Any]:
    """Complete an open assessment: with a new answers file, or with the answers saved at its start."""
    aid = fam.parse_ref(ref, fam.ASSESSMENT_PREFIX, "assessment")
    current = repo.get(store, aid)
    if current["completed_on"]:
        raise Conflict(
            f"{current['id']} was completed on {current['completed_on']}.",
            hint="Start a new assessment with `ehtool assess run FAMILY_ID` to record a change.",
        )
    data = read_answers(answers_path) if answers_path else {**_saved_texts(current), **_saved_judgements(current)}
    data["started_on"] = current["started_on"]
    data["completed_on"] = on or data.get("completed_on") or v.today_london().isoformat()
    data["organisation"] = organisation or data.get("organisation") or current["organisation"]
    family = current["family_id"]
    kids = children(store, family, v.parse_date(data["completed_on"], field="completion date"))
    parsed = None if answers_path else _saved_answers(store, current)
    profile = current_profile(store)
    values = build(profile, data, kids, parsed=parsed)
    repo.complete(store, aid, values, movement_of=_movement(profile))
    return describe(profile, repo.get(store, aid))


def _saved_texts(current: AssessmentRow) -> dict[str, Any]:
    """The words saved when the assessment was started."""
    saved = {
        "family_view": current["family_view"],
        "child_view": current["child_view"],
        "notes": current["notes"],
        "organisation": current["organisation"],
    }
    return {k: text for k, text in saved.items() if text}


def _saved_judgements(current: AssessmentRow) -> dict[str, Any]:
    """The practitioner judgements saved when the assessment was started, as an answers file gives them."""
    out: dict[str, Any] = {}
    if current["override_direction"]:
        out["override"] = {"level": current["level"], "reason": current["override_reason"]}
    judged = {
        c["member_id"]: {"override": {"level": c["level"], "reason": c["override_reason"]}}
        for c in current["children"]
        if c["override_direction"]
    }
    if judged:
        out["children"] = judged
    return out


def _saved_answers(store, current: AssessmentRow) -> Answers:
    answers = Answers(child_views={c["member_id"]: c["child_view"] for c in current["children"] if c["child_view"]})
    for indicator, scope, member in repo.answers_of(store, fam.parse_ref(current["id"], fam.ASSESSMENT_PREFIX)):
        if scope == "child" and member:
            answers.children.setdefault(member, []).append(indicator)
        else:
            if indicator not in answers.household:
                answers.household.append(indicator)
            if member:
                answers.affects.setdefault(indicator, []).append(member)
    return answers


def describe(profile, row: AssessmentRow) -> dict[str, Any]:
    """A stored assessment with names and (for significant harm) the front door added."""
    record: dict[str, Any] = dict(row)
    level = profile.level(record["level"])
    computed = profile.level(record["computed_level"])
    record["level_name"] = level.name if level else record["level"]
    record["computed_level_name"] = computed.name if computed else record["computed_level"]
    record["pathway"] = level.pathway if level else None
    record["route"] = level.route if level else None
    record["front_door"] = dict(profile.front_door) if record["significant_harm"] else None
    record["front_door_configured"] = profile.front_door_configured
    record["override"] = (
        {"level": record["level"], "reason": record["override_reason"], "direction": record["override_direction"]}
        if record["override_direction"]
        else None
    )
    for child in record["children"]:
        found = profile.level(child["level"])
        child["level_name"] = found.name if found else child["level"]
    return record


def profile_for(store, family_ref: str) -> tuple[Profile, list[Child]]:
    """The partnership's profile and the family's children (for the interactive flow)."""
    family_row(store, fam.parse_ref(family_ref))
    return current_profile(store), children(store, family_ref)


def names_of(store, family_ref: str) -> dict[str, str]:
    """Member reference -> first name, for a terminal only."""
    return {c["id"]: str(c["name"]).split(" ")[0] for c in repo.family_children(store, fam.parse_ref(family_ref))}


def made_under(store, row: AssessmentRow):
    """The profile an assessment was made under (its level names), when that is a bundled profile other
    than the partnership's current one (after `profile switch`); else the current profile."""
    current = current_profile(store)
    made = row.get("profile")
    if not made or made == current.id:
        return current
    try:
        return load_profile(made)
    except (InvalidInput, NotFound):  # a partnership's own file, moved or renamed since
        return current


def list_for_family(store, family_ref: str) -> list[dict[str, Any]]:
    return [describe(made_under(store, r), r) for r in repo.for_family(store, fam.parse_ref(family_ref))]


def show_one(store, ref: str) -> dict[str, Any]:
    aid = fam.parse_ref(ref, fam.ASSESSMENT_PREFIX, "assessment")
    row = repo.get(store, aid)
    record = describe(made_under(store, row), row)
    with store.tx():
        audit.record(
            store,
            "assessment.show",
            kind="access",
            entity="assessment",
            entity_id=record["id"],
            family_id=fam.parse_ref(record["family_id"]),
        )
    return record
