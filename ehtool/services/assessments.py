"""Threshold assessments: scoring an answers file, saving, listing and showing.

The interactive questionnaire is in :mod:`ehtool.term.questionnaire`; it hands
its answers to :func:`save` here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.documents import inputs
from ehtool.domain import families as fam
from ehtool.domain.assessments import build
from ehtool.domain.thresholds import movement
from ehtool.errors import InvalidInput
from ehtool.services.settings import profile as current_profile
from ehtool.store import assessments as repo
from ehtool.store import audit
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import AssessmentRow

ANSWER_KEYS = {"indicators", "family_view", "child_view", "notes", "override", "assessed_on"}


def read_answers(path: Path) -> dict:
    path = Path(path)
    text = inputs.read_text(path, what="answers file")
    data = inputs.parse_structured(text, "toml" if path.suffix.lower() == ".toml" else "json", path.name)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: the answers must be an object with an 'indicators' list.")
    unknown = sorted(set(data) - ANSWER_KEYS)
    if unknown:
        raise InvalidInput(
            f"{path.name}: unknown key(s) {', '.join(unknown)}.", hint="Keys: " + ", ".join(sorted(ANSWER_KEYS)) + "."
        )
    inds = data.get("indicators", [])
    if not isinstance(inds, list) or not all(isinstance(i, str) for i in inds):
        raise InvalidInput(f"{path.name}: 'indicators' must be a list of indicator ids.")
    override = data.get("override")
    if override is not None and (not isinstance(override, dict) or "level" not in override):
        raise InvalidInput(f"{path.name}: 'override' must be an object with 'level' and 'reason'.")
    return data


def save(store, family_ref: str, values: dict) -> dict[str, Any]:

    profile = current_profile(store)
    fid = fam.parse_ref(family_ref)
    aid = repo.save(
        store, fid, values, movement_of=lambda a, b: movement(a, b, profile) if a and profile.level(a) else None
    )
    return describe(profile, repo.get(store, aid))


def describe(profile, row: AssessmentRow) -> dict[str, Any]:
    """A stored assessment with names and (for significant harm) the front door added."""
    record: dict[str, Any] = dict(row)
    level = profile.level(record["level"])
    computed = profile.level(record["computed_level"])
    record["level_name"] = level.name if level else record["level"]
    record["computed_level_name"] = computed.name if computed else record["computed_level"]
    record["pathway"] = level.pathway if level else None
    record["front_door"] = dict(profile.front_door) if record["significant_harm"] else None
    record["override"] = (
        {"level": record["level"], "reason": record["override_reason"], "direction": record["override_direction"]}
        if record["override_direction"]
        else None
    )
    return record


def run_scripted(store, family_ref: str, answers_path: Path) -> dict:

    family_row(store, fam.parse_ref(family_ref))  # not found before reading answers
    values = build(current_profile(store), read_answers(answers_path))
    return save(store, family_ref, values)


def profile_for(store, family_ref: str):
    """The partnership's profile, once the family is known to exist (for the interactive flow)."""

    family_row(store, fam.parse_ref(family_ref))
    return current_profile(store)


def list_for_family(store, family_ref: str) -> list[dict[str, Any]]:

    profile = current_profile(store)
    return [describe(profile, r) for r in repo.for_family(store, fam.parse_ref(family_ref))]


def show_one(store, ref: str) -> dict[str, Any]:

    aid = fam.parse_ref(ref, fam.ASSESSMENT_PREFIX, "assessment")
    record = describe(current_profile(store), repo.get(store, aid))

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
