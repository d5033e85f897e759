"""The partnership's settings held in the database: threshold profile,
localities, protective marking, outcome framework."""

from __future__ import annotations

import re
from pathlib import Path

from ehtool.documents.frameworks import load_framework
from ehtool.documents.profiles import DEFAULT_PROFILE, list_profiles, load_profile
from ehtool.domain import validators as v
from ehtool.store import create_store, meta

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def profile(store):

    return load_profile(meta.get(store, "profile", DEFAULT_PROFILE))


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
        },
        action="database.init",
    )
    return {
        "db": str(store.path),
        "profile": profile_ref,
        "profile_name": prof.name,
        "localities": [loc["name"] for loc in locs],
        "marking": mark,
        "store": store,
    }


def _is_bundled(name: str) -> bool:

    return name.lower() in {p["id"] for p in list_profiles()}


def _abs(name: str):

    return Path(name).expanduser().resolve()


def _slug(text: str) -> str:

    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "locality"
