"""Families First (migration 9): the family's network, family group decision-making, and the
summary a plan closes with.

``family_network``: people around the family who are not members of the household (name,
relationship, what they can offer, contact, whether they agreed to be part of the plan).
``family_meetings``: family group decision-making, offered (date, by whom), accepted or
declined, held (date, who came), and the family's own plan from it, linked to the plan.
"""

from __future__ import annotations

import sqlite3

from ehtool.store.ddl import run_script


def m009_family_network_and_meetings(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    CREATE TABLE family_network (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        relationship TEXT NOT NULL,
        offer TEXT,
        contact TEXT,
        agreed INTEGER NOT NULL DEFAULT 0 CHECK (agreed IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX family_network_family ON family_network(family_id);
    CREATE TABLE family_meetings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        offered_on TEXT NOT NULL,
        offered_by TEXT,
        source TEXT,
        response TEXT CHECK (response IN ('accepted', 'declined')),
        response_on TEXT,
        held_on TEXT,
        attended TEXT,
        family_plan TEXT,
        plan_id INTEGER REFERENCES plans(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX family_meetings_family ON family_meetings(family_id, offered_on);
    -- When a plan closes: what changed, what helped, what the family says now (JSON).
    ALTER TABLE plans ADD COLUMN closing_summary TEXT;
    """,
    )


MIGRATIONS = [m009_family_network_and_meetings]
