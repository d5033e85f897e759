"""Panels that decide (migration 8): a kind for each sitting, items carried from one sitting
to the next, and the effects each decision had.

``panels`` and ``panel_items`` are rebuilt (SQLite cannot drop the old ``UNIQUE (locality,
date)``): a sitting is now unique by kind, locality and date, and every sitting made before
is a locality allocation panel. ``panel_items.carried_from`` points at the item a deferred
one was carried from. ``panel_effects`` holds what each decision changed, at most once per
item and effect, which is what keeps reading a workbook again from applying anything twice.
"""

from __future__ import annotations

import sqlite3

from ehtool.store.ddl import run_script


def m008_panel_kinds_and_effects(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    CREATE TABLE panels_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL DEFAULT 'locality',
        locality TEXT NOT NULL,
        date TEXT NOT NULL,
        chair TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (kind, locality, date)
    );
    INSERT INTO panels_new (id, kind, locality, date, chair, created_at)
        SELECT id, 'locality', locality, date, chair, created_at FROM panels;
    CREATE TABLE panel_items_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        panel_id INTEGER NOT NULL REFERENCES panels_new(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        presenter TEXT,
        notes TEXT,
        consent_status TEXT,
        no_consent_reason TEXT,
        decision TEXT,
        decision_notes TEXT,
        actions TEXT,
        allocated_to TEXT,
        decided_on TEXT,
        decided_by TEXT,
        created_at TEXT NOT NULL,
        carried_from INTEGER REFERENCES panel_items_new(id) ON DELETE SET NULL,
        UNIQUE (panel_id, item),
        UNIQUE (panel_id, family_id)
    );
    INSERT INTO panel_items_new (id, panel_id, item, family_id, reason, presenter, notes, consent_status,
        no_consent_reason, decision, decision_notes, actions, allocated_to, decided_on, decided_by, created_at)
        SELECT id, panel_id, item, family_id, reason, presenter, notes, consent_status, no_consent_reason,
        decision, decision_notes, actions, allocated_to, decided_on, decided_by, created_at FROM panel_items;
    DROP TABLE panel_items;
    DROP TABLE panels;
    ALTER TABLE panels_new RENAME TO panels;
    ALTER TABLE panel_items_new RENAME TO panel_items;
    CREATE INDEX panel_items_family ON panel_items(family_id);
    CREATE INDEX panel_items_carried_from ON panel_items(carried_from) WHERE carried_from IS NOT NULL;
    CREATE INDEX panels_locality_date ON panels(locality, date);
    -- What a decision changed: one row per item and effect. outcome: applied, skipped
    -- (with why in detail), or waiting (an item to carry with no next sitting yet).
    CREATE TABLE panel_effects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id INTEGER NOT NULL REFERENCES panel_items(id) ON DELETE CASCADE,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        effect TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'skipped', 'waiting')),
        detail TEXT,
        target TEXT,
        applied_on TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (item_id, effect)
    );
    CREATE INDEX panel_effects_family ON panel_effects(family_id, effect);
    CREATE INDEX panel_effects_waiting ON panel_effects(outcome) WHERE outcome = 'waiting';
    """,
    )


MIGRATIONS = [m008_panel_kinds_and_effects]
