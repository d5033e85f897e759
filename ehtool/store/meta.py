"""Database-wide settings (the partnership's profile, localities, marking).

Each value is stored as JSON and comes back as whatever JSON it was (a profile
is an object, localities a list...): the settings are an open mapping, read
and checked by the services that own each key."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ehtool.store import audit

if TYPE_CHECKING:
    from ehtool.store.connection import Store


def get(store: Store, key: str, default: Any = None) -> Any:
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def get_all(store: Store) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in store.conn.execute("SELECT key, value FROM meta")}


def put(store: Store, values: Mapping[str, Any], *, action: str = "settings.change") -> None:
    with store.tx():
        old = get_all(store)
        changes = {k: [old.get(k), v] for k, v in values.items() if old.get(k) != v}
        for key, value in values.items():
            store.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        if changes:
            audit.record(store, action, entity="settings", values=changes)
