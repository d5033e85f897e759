"""Threshold profile validation's tools: the problem collector with its typed getters,
and the check of keys that name a level."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from ehtool.domain.profile_schema.model import Level


def _suggest(word: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), list(options), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collects problems while building the profile's parts."""

    def __init__(self, source: str, text: str | None):
        self.source = source
        self.problems: list[str] = []
        self._lines = text.splitlines() if text else None
        self._index: dict[tuple[str, str], int] | None = None

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}" if place else message)

    def place(self, table: str, index: int, item: Any) -> str:
        """``indicators[12] (id "edu-x", line 140)``: 1-based block number, id and line."""
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, (str, int)) or isinstance(ident, bool):
            return f"{table}[{index}]"
        extra = f'id "{ident}"'
        line = self._line_of(table, ident)
        if line:
            extra += f", line {line}"
        return f"{table}[{index}] ({extra})"

    def _line_of(self, table: str, ident: Any) -> int | None:
        """The line of ``id = "..."`` inside a ``[[table]]`` block (one scan, done lazily)."""
        if not self._lines:
            return None
        if self._index is None:
            self._index = {}
            current = None
            id_line = re.compile(r"""^\s*id\s*=\s*["']?([^"'#]*?)["']?\s*(#.*)?$""")
            for number, line in enumerate(self._lines, start=1):
                stripped = line.strip()
                if stripped.startswith("["):
                    current = stripped.strip("[] ")
                elif current and (m := id_line.match(line)):
                    self._index.setdefault((current, m.group(1)), number)
        return self._index.get((table, str(ident)))

    # -- small typed getters ---------------------------------------------------------
    def text(self, place: str, table: dict[str, Any], key: str, required: bool = True, default: str = "") -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(place, f'"{key}" is missing')
            return default
        if _is_int(value) or isinstance(value, float):
            return str(value)  # forgiving: version = 1, id = 2
        if not isinstance(value, str):
            self.add(place, f'"{key}" must be text, not {type(value).__name__}')
            return default
        if required and not value.strip():
            self.add(place, f'"{key}" is empty')
        return value.strip()

    def unknown_keys(self, place: str, table: dict[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.add(place, f'unknown key "{key}"{_suggest(key, allowed)}; allowed: {", ".join(sorted(allowed))}')

    def table_list(self, data: dict[str, Any], key: str, required: bool) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, f"missing: add at least one [[{key}]] block")
            return []
        if not isinstance(value, list):
            self.add(key, f"must be a list of [[{key}]] blocks")
            return []
        out: list[tuple[int, dict[str, Any]]] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.add(f"{key}[{index}]", f"must be a table (a [[{key}]] block)")
            else:
                out.append((index, item))
        return out


class _LevelRefs:
    """The valid levels' ranks and top level, for checking the keys that name a level."""

    def __init__(self, c: _Checker, levels: list[Level]) -> None:
        self.c = c
        self.rank = {lv.id: lv.rank for lv in levels}
        self.top_id = levels[-1].id if levels else None
        self.level_list = ", ".join(self.rank)

    def ref(self, place: str, table: dict[str, Any], key: str) -> str | None:
        """``table[key]`` if it names a level, else None (the problem recorded)."""
        value = table.get(key)
        if value is None:
            self.c.add(place, f'"{key}" is missing')
            return None
        ref = str(value) if (_is_int(value) or isinstance(value, str)) else None
        if ref is None:
            self.c.add(place, f'"{key}" must be a level id (text), not {type(value).__name__}')
        elif ref not in self.rank:
            self.c.add(place, f'{key} "{ref}" is not one of the profile\'s levels ({self.level_list})')
            return None
        return ref
