"""Picking a record's named keys: what every projection is built from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def pick(record: Mapping[str, Any], keys: Iterable[str], *, bools: Iterable[str] = ()) -> dict:
    """``record`` restricted to ``keys`` (in that order); ``bools`` become true/false."""
    flags = set(bools)
    return {k: bool(record[k]) if k in flags else record[k] for k in keys}


def pick_all(records: Iterable[Mapping[str, Any]], keys: Iterable[str], *, bools: Iterable[str] = ()) -> list[dict]:
    keys = tuple(keys)
    return [pick(r, keys, bools=bools) for r in records]


def pick_or_none(record: Mapping[str, Any] | None, keys: Iterable[str]) -> dict | None:
    return None if record is None else pick(record, keys)
