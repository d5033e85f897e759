"""The first release's schema: families and members, the audit trail, assessments and
consent, plans, panels, retention, and the file's identity (migrations 1 to 6).

Each function is a named migration; :mod:`ehtool.store.migrations` applies them in order.
"""

from __future__ import annotations

import sqlite3

from ehtool.store.ddl import run_script


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


MIGRATIONS = [
    m001_create_families,
    m002_assessments_and_consent,
    m003_plans,
    m004_panels,
    m005_retention,
    m006_identity_and_identifier_indexes,
]
