"""The partnership's settings held in the database: threshold profile,
localities, protective marking, outcome framework."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ehtool.documents.frameworks import load_framework
from ehtool.documents.profiles import DEFAULT_PROFILE, list_profiles, load_profile
from ehtool.domain import validators as v
from ehtool.errors import InvalidInput
from ehtool.store import create_store, meta
from ehtool.store.families import open_levels_outside as meta_levels_outside

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def profile(store):
    """The partnership's profile, with the front door's contact as set for this database."""
    prof = load_profile(meta.get(store, "profile", DEFAULT_PROFILE))
    door = meta.get(store, "front_door")
    return with_front_door(prof, door) if door else prof


def with_front_door(prof, door: dict):
    """The profile with the front door's name and contact replaced where given."""
    merged = {**prof.front_door, **{k: v for k, v in door.items() if v}}
    return dataclasses.replace(prof, front_door=merged)


def organisation(store) -> str | None:
    """The organisation completing assessments, unless an assessment names another."""
    return meta.get(store, "organisation") or None


def front_door_warning(prof) -> str | None:
    """A sentence for a front door whose contact is still the bundled placeholder, else None."""
    if prof.front_door_configured:
        return None
    return (
        f"The front door's contact is not configured ({prof.front_door['name']}): the significant-harm "
        "banner cannot say whom to call. Set it with `ehtool settings front-door --contact TEXT`."
    )


def change(store, *, contact: str | None = None, door_name: str | None = None, organisation_name: str | None = None):
    """Change the front door's contact or name, or the organisation completing assessments (audited)."""
    values: dict = {}
    if contact is not None or door_name is not None:
        door = dict(meta.get(store, "front_door") or {})
        if contact is not None:
            door["contact"] = _setting_text(contact, "front door contact", 500)
        if door_name is not None:
            door["name"] = _setting_text(door_name, "front door name", 200)
        values["front_door"] = door
    if organisation_name is not None:
        values["organisation"] = _setting_text(organisation_name, "organisation", 200)
    if not values:
        raise InvalidInput("Nothing to change.", hint="Pass --contact, --name or --organisation.")
    meta.put(store, values, action="settings.change")
    return show(store)


def _setting_text(text: str, field: str, max_len: int) -> str:
    cleaned = v.clean_text(text, field=field, max_len=max_len)
    if not cleaned:
        raise InvalidInput(f"The {field} is empty.", hint=f"Give the {field} as text.")
    return cleaned


def show(store) -> dict:
    """The partnership's settings as this database holds them."""
    prof = profile(store)
    return {
        "profile": prof.id,
        "profile_name": prof.name,
        "front_door": dict(prof.front_door),
        "front_door_configured": prof.front_door_configured,
        "organisation": organisation(store),
        "localities": [loc["name"] for loc in localities(store)],
        "marking": marking(store),
        "framework": meta.get(store, "framework", "supporting_families"),
    }


def switch_profile(store, name: str) -> dict:
    """Move the partnership to another threshold profile (audited as ``profile.switch``).

    Earlier assessments keep the profile they were made under; the families' current levels
    stay as they are until they are assessed again, and those the new profile has no level
    for are counted (`warning`) so they can be reassessed."""
    new = load_profile(name)  # a bad name or file fails before anything changes
    ref = new.id if _is_bundled(name) else str(_abs(name))
    with store.tx():
        old = meta.get(store, "profile", DEFAULT_PROFILE)  # as stored: its file may be gone
        if ref == old:
            raise InvalidInput(f"The partnership already uses the {new.id!r} profile.", hint="Nothing to switch.")
        meta.put(store, {"profile": ref, "profile_version": new.version}, action="profile.switch")
        stranded = meta_levels_outside(store, {i for lv in new.levels for i in (lv.id, *lv.formerly)})
    return {
        **show(store),
        "previous_profile": old,
        "families_to_reassess": stranded,
        "warning": (
            f"{stranded} open famil{'ies have' if stranded != 1 else 'y has'} a level the {new.id!r} profile does "
            "not have: assess them again (`ehtool assess run`)."
            if stranded
            else None
        ),
    }


def localities(store) -> list[dict]:
    return meta.get(store, "localities", []) or []


def marking(store) -> str:
    return meta.get(store, "marking", DEFAULT_MARKING) or DEFAULT_MARKING


def framework(store):

    return load_framework(meta.get(store, "framework", "supporting_families"))


def init(
    path,
    *,
    profile_name: str,
    localities_override: list[str] | None,
    marking_text: str | None,
    allow_unsafe: bool = False,
    front_door_contact: str | None = None,
    organisation_name: str | None = None,
) -> dict:
    """Create the database and record the partnership's settings."""

    prof = load_profile(profile_name)  # fails before any file is created
    locs: list[dict[str, str]]
    if localities_override:
        locs = []
        for name in localities_override:
            text = v.clean_text(name, field="locality", max_len=120)
            if text and text.casefold() not in {loc["name"].casefold() for loc in locs}:
                locs.append({"id": _slug(text), "name": text})
    else:
        locs = [dict(loc) for loc in prof.localities]
    mark = v.clean_text(marking_text, field="marking", max_len=80) if marking_text else DEFAULT_MARKING
    extra: dict = {}
    if front_door_contact is not None:
        extra["front_door"] = {"contact": _setting_text(front_door_contact, "front door contact", 500)}
        prof = with_front_door(prof, extra["front_door"])
    if organisation_name is not None:
        extra["organisation"] = _setting_text(organisation_name, "organisation", 200)
    store = create_store(path, allow_unsafe=allow_unsafe)
    profile_ref = prof.id if _is_bundled(profile_name) else str(_abs(profile_name))
    meta.put(
        store,
        {
            "profile": profile_ref,
            "profile_version": prof.version,
            "localities": locs,
            "marking": mark,
            "framework": "supporting_families",
            **extra,
        },
        action="database.init",
    )
    return {
        "db": str(store.path),
        "profile": profile_ref,
        "profile_name": prof.name,
        "localities": [loc["name"] for loc in locs],
        "marking": mark,
        "front_door_configured": prof.front_door_configured,
        "warning": front_door_warning(prof),
        "store": store,
    }


def _is_bundled(name: str) -> bool:

    return name.lower() in {p["id"] for p in list_profiles()}


def _abs(name: str):

    return Path(name).expanduser().resolve()


def _slug(text: str) -> str:

    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "locality"
