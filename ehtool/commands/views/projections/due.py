"""`due`: what is coming up or overdue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehtool.commands.views.projections.picking import pick_all
from ehtool.domain.due import KEYS


def due_json(items: Iterable[Mapping[str, Any]]) -> list[dict]:
    """`due --json`: the same columns as `due --csv`."""

    return pick_all(items, KEYS, bools=("overdue",))
