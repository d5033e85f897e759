"""Schema changes, only through named migrations applied when the store opens.

Each migration is a function ``mNNN_what_it_does(db)`` registered with
sqlite-utils' :class:`Migrations` and ends by setting ``PRAGMA user_version``
to its number, so opening an up-to-date database costs one PRAGMA and never
imports sqlite-utils. A database whose ``user_version`` is newer than this
ehtool is refused, never modified. Before migrating a database that already
holds data, a backup copy is written beside it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.errors import Refused
from ehtool.files import PRIVATE_FILE

if TYPE_CHECKING:
    from ehtool.store.connection import Store

MIGRATION_SET = "ehtool"
# Tables every ehtool database has had since the first migration.
REQUIRED_TABLES = ("meta", "families", "members", "audit", "audit_values")
Migration = Callable[[sqlite3.Connection], None]
_REGISTRY: list[tuple[int, Migration]] = []  # (number, function), in order


def migration(fn: Migration) -> Migration:
    number = int(fn.__name__[1:4])
    _REGISTRY.append((number, fn))
    return fn


@migration
def m001_create_families(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE families (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        address TEXT,
        postcode TEXT,
        locality TEXT,
        language TEXT,
        interpreter INTEGER NOT NULL DEFAULT 0,
        referral_source TEXT,
        referral_date TEXT,
        referral_reason TEXT,
        lead TEXT,
        notes TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_reason TEXT,
        closed_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX families_postcode ON families(postcode);
    CREATE INDEX families_name_key ON families(name_key);
    CREATE INDEX families_locality_status ON families(locality, status);
    CREATE INDEX families_lead ON families(lead);
    CREATE TABLE members (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('child', 'parent', 'carer', 'other-adult', 'unborn')),
        dob TEXT,
        due_date TEXT,
        gender TEXT,
        ethnicity TEXT,
        nhs_number TEXT,
        upn TEXT,
        school TEXT,
        send INTEGER NOT NULL DEFAULT 0,
        ehcp INTEGER NOT NULL DEFAULT 0,
        young_carer INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX members_family ON members(family_id);
    CREATE INDEX members_dob ON members(dob);
    CREATE INDEX members_name_key ON members(name_key);
    -- The audit trail: append-only and hash-chained. Personal values of a
    -- change live in audit_values, which a lawful purge may delete; the
    -- chain covers their digest, so verification still passes afterwards.
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('change', 'access')),
        action TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        family_id INTEGER,
        fields TEXT NOT NULL DEFAULT '[]',
        values_digest TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_family ON audit(family_id);
    CREATE TABLE audit_values (
        audit_id INTEGER PRIMARY KEY,
        family_id INTEGER,
        data TEXT NOT NULL
    );
    CREATE INDEX audit_values_family ON audit_values(family_id);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    """,
    )


@migration
def m002_assessments_and_consent(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    ALTER TABLE families ADD COLUMN level TEXT;
    ALTER TABLE families ADD COLUMN level_assessed_on TEXT;
    CREATE INDEX families_level ON families(level);
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        assessed_on TEXT NOT NULL,
        profile TEXT NOT NULL,
        profile_version TEXT,
        indicators TEXT NOT NULL,
        computed_level TEXT NOT NULL,
        level TEXT NOT NULL,
        significant_harm INTEGER NOT NULL DEFAULT 0,
        override_direction TEXT CHECK (override_direction IN ('above', 'below', 'same')),
        override_reason TEXT,
        family_view TEXT,
        child_view TEXT,
        notes TEXT,
        explanation TEXT NOT NULL,
        previous_level TEXT,
        movement TEXT CHECK (movement IN ('step-up', 'step-down')),
        assessor TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX assessments_family ON assessments(family_id, assessed_on, id);
    CREATE TABLE consents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        member_id INTEGER REFERENCES members(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('given', 'refused', 'withdrawn', 'lawful-basis')),
        date TEXT NOT NULL,
        given_by TEXT,
        how TEXT,
        reason TEXT,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX consents_family ON consents(family_id, type, date, id);
    """,
    )


@migration
def m003_plans(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        review_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_on TEXT,
        closed_reason TEXT,
        closed_note TEXT
    );
    CREATE UNIQUE INDEX plans_one_open ON plans(family_id) WHERE status = 'open';
    CREATE INDEX plans_family ON plans(family_id, id);
    CREATE INDEX plans_review ON plans(status, review_date);
    CREATE TABLE plan_versions (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        change TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, version)
    );
    CREATE TABLE plan_reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        attended TEXT NOT NULL DEFAULT '[]',
        scores TEXT NOT NULL DEFAULT '{}',
        action_updates TEXT NOT NULL DEFAULT '[]',
        notes TEXT,
        next_review_date TEXT,
        plan_version INTEGER NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX plan_reviews_plan ON plan_reviews(plan_id, date);
    """,
    )


@migration
def m004_panels(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    CREATE TABLE panels (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        locality TEXT NOT NULL,
        date TEXT NOT NULL,
        chair TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (locality, date)
    );
    CREATE TABLE panel_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
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
        UNIQUE (panel_id, item),
        UNIQUE (panel_id, family_id)
    );
    CREATE INDEX panel_items_family ON panel_items(family_id);
    """,
    )


@migration
def m005_retention(conn: sqlite3.Connection) -> None:
    # retain_until is derived (closure date, the children's dates, the policy in
    # meta 'retention'): ehtool.store.retention.refresh_all recomputes it.
    run_script(
        conn,
        """
    ALTER TABLE families ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE families ADD COLUMN legal_hold_reason TEXT;
    ALTER TABLE families ADD COLUMN retain_until TEXT;
    CREATE INDEX families_retain_until ON families(status, retain_until);
    """,
    )


@migration
def m006_identity_and_identifier_indexes(conn: sqlite3.Connection) -> None:
    # application_id marks the file as ehtool's, so no other SQLite file is
    # ever taken for one; the identifier indexes serve the duplicate checks
    # (the same NHS number or UPN on two people).
    conn.execute("PRAGMA application_id = 1162368049")  # 0x45485431, "EHT1"
    run_script(
        conn,
        """
    CREATE INDEX members_nhs_number ON members(nhs_number) WHERE nhs_number IS NOT NULL;
    CREATE INDEX members_upn ON members(upn) WHERE upn IS NOT NULL;
    """,
    )


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one (``executescript`` would COMMIT the
    surrounding transaction and break the migration's atomicity)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            conn.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError("incomplete SQL statement in migration")


def latest_version() -> int:
    return max(n for n, _ in _REGISTRY)


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def refuse_newer(version: int, path: Path) -> None:
    latest = latest_version()
    if version > latest:
        raise Refused(
            f"The database {path} was written by a newer ehtool (schema {version}; "
            f"this ehtool knows up to {latest}). It has not been changed.",
            hint="Upgrade ehtool (pip install -U ehtool) to use it.",
        )


def migrate(store: Store) -> list[str]:
    """Bring ``store`` up to date; return the names of migrations applied."""
    conn = store.conn
    current = user_version(conn)
    latest = latest_version()
    if current == latest:
        return []
    refuse_newer(current, store.path)
    if current > 0:
        backup_before_migration(store, current)
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for number, fn in _REGISTRY:
        migrations(name=fn.__name__)(_stamped(fn, number))
    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    conn.execute("BEGIN IMMEDIATE")  # one migrator at a time
    try:
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
        conn.commit()
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    return pending


def _stamped(fn: Migration, number: int) -> Callable[[Any], None]:
    """``fn`` as sqlite-utils calls a migration (with its untyped ``Database``),
    then stamped with its number."""

    def run(db: Any) -> None:
        fn(db.conn)
        db.conn.execute(f"PRAGMA user_version = {number}")

    run.__name__ = fn.__name__
    return run


def backup_before_migration(store: Store, version: int) -> Path:
    dest = Path(f"{store.path}.schema{version}.bak")
    old = os.umask(0o077)
    try:
        target = sqlite3.connect(str(dest))
        try:
            store.conn.backup(target)
        finally:
            target.close()
    finally:
        os.umask(old)
    os.chmod(dest, PRIVATE_FILE)
    return dest
