"""Outcome frameworks: the outcome areas a One Family Plan's outcomes are tied to.

A framework is data (a TOML file), never code. ehtool bundles the national
Supporting Families framework (``ehtool/frameworks/supporting_families.toml``); a
partnership can copy it, change the wording, add areas, and load it by path::

    id = "supporting_families"          # optional; defaults to the file's name
    name = "Supporting Families outcomes framework"
    version = "2022-1"
    source = "..."                      # optional

    [[areas]]
    id = "education"                    # lowercase letters, digits, '-' or '_'
    name = "Getting a good education"
    description = "..."                 # optional

Plans store the area ``id``; documents show its ``name``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ehtool.errors import InvalidInput, NotFound

DEFAULT_FRAMEWORK = "supporting_families"

_AREA_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_AREA_KEYS = ("id", "name", "description")


def area_key(text: object) -> str:
    """How an outcome area's name or id is matched: case, surrounding space and "_"/"-" ignored."""
    return str(text).strip().casefold().replace("_", "-")


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    areas: list[dict[str, Any]]
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def ids(self) -> list[str]:
        return [a["id"] for a in self.areas]

    def __contains__(self, area_id: object) -> bool:
        return self._find(area_id) is not None

    def area_keys(self) -> dict[str, str]:
        """Every way a plan may name an area -> its id: the id exactly, forgivingly ("early_years",
        "Early-Years"), its name, and its ``aliases`` (earlier names and ids, so plans and files
        written before a rename still find it). An id wins over another area's name or alias."""
        out: dict[str, str] = {}
        for area in self.areas:
            for word in (area["name"], *(area.get("aliases") or ())):
                out.setdefault(area_key(word), area["id"])
        for area in self.areas:
            out[area_key(area["id"])] = out[area["id"]] = area["id"]
        return out

    def _find(self, key: object) -> dict[str, Any] | None:
        if not isinstance(key, str):
            return None
        keys = self.area_keys()
        found = keys.get(key) or keys.get(area_key(key))
        return next((a for a in self.areas if a["id"] == found), None)

    def area(self, area_id: str) -> dict[str, Any]:
        """The area with this id (or, forgivingly, this name). NotFound lists the ids."""
        found = self._find(area_id)
        if found is None:
            raise NotFound(
                f"No outcome area {area_id!r} in {self.name}.",
                hint="Outcome areas: " + ", ".join(self.ids),
            )
        return found

    def area_name(self, area_id: str, default: str | None = None) -> str:
        """The display name of an area; ``default`` (or the id itself) if unknown."""
        found = self._find(area_id)
        if found is None:
            return area_id if default is None else default
        name: str = found["name"]
        return name

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "areas": [dict(a) for a in self.areas],
        }


def framework_from_data(data: dict[str, Any], path: Path) -> Framework:
    """A framework from its parsed TOML, or InvalidInput naming every mistake."""
    problems: list[str] = []

    def text_field(where: str, value: Any, required: bool) -> str:
        if value is None:
            if required:
                problems.append(f"{where} is missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            problems.append(f"{where} must be text, not {type(value).__name__}")
            return ""
        text = str(value).strip()
        if required and not text:
            problems.append(f"{where} is empty")
        return text

    name = text_field("name", data.get("name"), required=True)
    version = text_field("version", data.get("version"), required=True)
    fw_id = text_field("id", data.get("id"), required=False) or path.stem
    source = text_field("source", data.get("source"), required=False)

    areas_raw = data.get("areas")
    areas: list[dict[str, Any]] = []
    if areas_raw is None:
        problems.append("areas is missing: add at least one [[areas]] table")
        areas_raw = []
    elif not isinstance(areas_raw, list):
        problems.append("areas must be a list of [[areas]] tables")
        areas_raw = []
    elif not areas_raw:
        problems.append("areas is empty: add at least one [[areas]] table")

    seen: dict[str, int] = {}
    for n, entry in enumerate(areas_raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"areas[{n}] must be a table with id and name")
            continue
        label = f"areas[{n}]"
        if isinstance(entry.get("id"), str) and entry["id"].strip():
            label += f" (id {entry['id'].strip()!r})"
        area_id = text_field(f"{label}: id", entry.get("id"), required=True)
        if area_id and not _AREA_ID.match(area_id):
            problems.append(f"{label}: id must be lowercase letters, digits, '-' or '_' (no spaces)")
        if area_id in seen:
            problems.append(f"{label}: id {area_id!r} is already used by areas[{seen[area_id]}]")
        elif area_id:
            seen[area_id] = n
        area = {
            "id": area_id,
            "name": text_field(f"{label}: name", entry.get("name"), required=True),
            "description": text_field(f"{label}: description", entry.get("description"), required=False),
        }
        # Keep any extra keys a partnership adds (codes, measures...), after ours.
        area.update({k: v for k, v in entry.items() if k not in _AREA_KEYS})
        areas.append(area)

    names = [a["name"].lower() for a in areas if a["name"]]
    for dup in sorted({x for x in names if names.count(x) > 1}):
        problems.append(f"area name {dup!r} is used more than once")

    if problems:
        raise InvalidInput(
            f"Outcome framework {path} is not valid ({len(problems)} problem{'' if len(problems) == 1 else 's'}).",
            problems=problems,
        )
    return Framework(id=fw_id, name=name, version=version, areas=areas, source=source, path=path)
