"""Database-wide settings (the partnership's profile, localities, marking)."""

from __future__ import annotations

import json

from ehtool.store import audit


def get(store, key: str, default=None):
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def get_all(store) -> dict:
    return {k: json.loads(v) for k, v in store.conn.execute("SELECT key, value FROM meta")}


def put(store, values: dict, *, action: str = "settings.change") -> None:
    with store.tx():
        old = get_all(store)
        changes = {k: [old.get(k), v] for k, v in values.items() if old.get(k) != v}
        for key, value in values.items():
            store.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (key, json.dumps(value, ensure_ascii=False)))
        if changes:
            audit.record(store, action, entity="settings", values=changes)
