"""Running the threshold questionnaire: scripted (--answers FILE) or interactive.

The interactive flow asks domain by domain, shows the significant-harm banner
the moment such an indicator is ticked (not at the end), and saves only when
the coordinator confirms. Ctrl-C at any point saves nothing.
"""

from __future__ import annotations

from pathlib import Path

from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.documents import inputs
from ehtool.errors import InvalidInput

DOMAIN_TITLES = {
    "child-development": "Child's developmental needs",
    "parenting-capacity": "Parenting capacity",
    "family-environment": "Family and environmental factors",
}
ANSWER_KEYS = {"indicators", "family_view", "child_view", "notes", "override", "assessed_on"}


def read_answers(path: Path) -> dict:
    path = Path(path)
    text = inputs.read_text(path, what="answers file")
    data = inputs.parse_structured(text, "toml" if path.suffix.lower() == ".toml" else "json", path.name)
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: the answers must be an object with an 'indicators' list.")
    unknown = sorted(set(data) - ANSWER_KEYS)
    if unknown:
        raise InvalidInput(f"{path.name}: unknown key(s) {', '.join(unknown)}.",
                           hint="Keys: " + ", ".join(sorted(ANSWER_KEYS)) + ".")
    inds = data.get("indicators", [])
    if not isinstance(inds, list) or not all(isinstance(i, str) for i in inds):
        raise InvalidInput(f"{path.name}: 'indicators' must be a list of indicator ids.")
    override = data.get("override")
    if override is not None and (not isinstance(override, dict) or "level" not in override):
        raise InvalidInput(f"{path.name}: 'override' must be an object with 'level' and 'reason'.")
    return data


def build(profile, answers: dict, *, today=None) -> dict:
    """Evaluate answers against the profile; returns the values to save."""
    from ehtool.domain.thresholds import check_override, evaluate

    result = evaluate(profile, answers.get("indicators", []))
    values = {
        "assessed_on": (v.parse_date(answers["assessed_on"], field="assessed_on")
                        if answers.get("assessed_on") else (today or v.today_london())).isoformat(),
        "profile": profile.id,
        "profile_version": profile.version,
        "indicators": result.indicators,
        "computed_level": result.level,
        "level": result.level,
        "significant_harm": result.significant_harm,
        "override_direction": None,
        "override_reason": None,
        "explanation": result.explanation,
    }
    for key in ("family_view", "child_view", "notes"):
        text = answers.get(key)
        values[key] = v.clean_text(text, field=key, max_len=10000, multiline=True) or None if text else None
    override = answers.get("override")
    if override:
        reason = v.clean_text(override.get("reason") or "", field="override reason", max_len=2000, multiline=True)
        direction = check_override(profile, result, str(override["level"]), reason)
        chosen = profile.resolve_level(str(override["level"]))
        if direction != "same":
            values["level"] = chosen.id
            values["override_direction"] = direction
            values["override_reason"] = reason
            values["explanation"] = values["explanation"] + [{
                "kind": "judgement", "id": None, "level": chosen.id,
                "text": f"Practitioner judgement: {chosen.name} ({direction} the threshold result). Reason: {reason}",
            }]
    return values


def save(store, family_ref: str, values: dict) -> dict:
    from ehtool.services.settings import profile as current_profile
    from ehtool.store import assessments as repo
    from ehtool.domain.thresholds import movement

    profile = current_profile(store)
    fid = fam.parse_ref(family_ref)
    aid = repo.save(store, fid, values, movement_of=lambda a, b: movement(a, b, profile) if a and profile.level(a) else None)
    return describe(profile, repo.get(store, aid))


def describe(profile, record: dict) -> dict:
    """Add names and (for significant harm) the front door to a stored assessment."""
    level = profile.level(record["level"])
    computed = profile.level(record["computed_level"])
    record["level_name"] = level.name if level else record["level"]
    record["computed_level_name"] = computed.name if computed else record["computed_level"]
    record["pathway"] = level.pathway if level else None
    record["front_door"] = dict(profile.front_door) if record["significant_harm"] else None
    record["override"] = ({"level": record["level"], "reason": record["override_reason"],
                           "direction": record["override_direction"]} if record["override_direction"] else None)
    return record


def run_scripted(store, family_ref: str, answers_path: Path) -> dict:
    from ehtool.services.settings import profile as current_profile
    from ehtool.store.families import family_row

    family_row(store, fam.parse_ref(family_ref))  # not found before reading answers
    values = build(current_profile(store), read_answers(answers_path))
    return save(store, family_ref, values)


def run_interactive(store, family_ref: str, *, on_harm, show_result) -> dict:
    """The questionnaire. ``on_harm(profile, indicators)`` shows the banner at
    once; ``show_result(profile, values)`` shows the result before confirming."""
    from ehtool.term import prompts
    from ehtool.errors import Cancelled
    from ehtool.services.settings import profile as current_profile
    from ehtool.store.families import family_row

    prompts.require_terminal("The threshold questionnaire", "--answers FILE (JSON or TOML with 'indicators')")
    profile = current_profile(store)
    family_row(store, fam.parse_ref(family_ref))
    chosen: list[str] = []
    warned = False
    for domain, title in DOMAIN_TITLES.items():
        inds = [i for i in profile.indicators if i.domain == domain]
        if not inds:
            continue
        choices = [(i.id, f"{_sub(i.subdomain)}: {i.text}  [{profile.level(i.level).name}]"
                    + (f" ({i.age_band})" if getattr(i, "age_band", None) else "")) for i in inds]
        picked = prompts.checkbox(f"{title}: which apply?", choices,
                                  instruction="(space to tick, enter when done; enter alone if none apply)")
        chosen.extend(picked)
        harm = [profile.indicator(i) for i in picked if profile.indicator(i).significant_harm]
        if harm and not warned:
            on_harm(profile, harm)
            warned = True
    family_view = prompts.text("The family's view, in their words (enter to skip):")
    child_view = prompts.text("The child's own words (enter to skip):")
    answers = {"indicators": chosen, "family_view": family_view, "child_view": child_view}
    values = build(profile, answers)
    show_result(profile, values)
    if prompts.confirm("Record a different level from your own professional judgement?", default=False):
        levels = [(l.id, l.name) for l in profile.levels]
        if values["significant_harm"]:
            levels = [(profile.top.id, profile.top.name)]
        level = prompts.select("Your judgement:", levels, default=values["level"])
        reason = ""
        while not reason.strip():
            reason = prompts.text("Why does your judgement differ? (required)")
        answers["override"] = {"level": level, "reason": reason}
        values = build(profile, answers)
        show_result(profile, values)
    if not prompts.confirm("Save this assessment?", default=True):
        raise Cancelled("Not saved.")
    return save(store, family_ref, values)


def _sub(name: str) -> str:
    return (name or "").replace("-", " ").capitalize()


def list_for_family(store, family_ref: str) -> list[dict]:
    from ehtool.services.settings import profile as current_profile
    from ehtool.store import assessments as repo

    profile = current_profile(store)
    return [describe(profile, r) for r in repo.for_family(store, fam.parse_ref(family_ref))]


def show_one(store, ref: str) -> dict:
    from ehtool.services.settings import profile as current_profile
    from ehtool.store import assessments as repo

    aid = fam.parse_ref(ref, "A", "assessment")
    record = describe(current_profile(store), repo.get(store, aid))
    from ehtool.store import audit

    with store.tx():
        audit.record(store, "assessment.show", kind="access", entity="assessment", entity_id=record["id"],
                     family_id=fam.parse_ref(record["family_id"]))
    return record
