"""Children, not only households (migration 7): per-child answers and results, an
assessment's start and completion, and referrals to the front door.

An assessment made before this migration becomes a household assessment: its
indicators become household answers affecting every child, it is complete on the day
it was assessed, and its level, override and explanation are kept as they were. A
database on the bundled London profile has its old level "2" renamed "2a", the level that
now carries ``formerly = ["2"]`` (the profile moved to the Pan-London levels 1, 2a, 2b, 3, 4).
"""

from __future__ import annotations

import sqlite3

from ehtool.store.ddl import run_script


def m007_children_and_referrals(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
    ALTER TABLE assessments ADD COLUMN started_on TEXT;
    ALTER TABLE assessments ADD COLUMN completed_on TEXT;
    ALTER TABLE assessments ADD COLUMN organisation TEXT;
    UPDATE assessments SET started_on = assessed_on, completed_on = assessed_on;
    CREATE INDEX assessments_open ON assessments(family_id) WHERE completed_on IS NULL;
    -- One row per answer: a child-level indicator names its child; a household
    -- indicator names each child it affects, or none (member_id NULL) for all of them.
    CREATE TABLE assessment_answers (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        indicator TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('child', 'household')),
        member_id INTEGER REFERENCES members(id) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX assessment_answers_unique
        ON assessment_answers(assessment_id, indicator, COALESCE(member_id, 0));
    CREATE INDEX assessment_answers_member ON assessment_answers(member_id) WHERE member_id IS NOT NULL;
    INSERT INTO assessment_answers (assessment_id, indicator, scope, member_id)
        SELECT DISTINCT a.id, j.value, 'household', NULL FROM assessments a, json_each(a.indicators) j;
    -- Each child's result in an assessment (none for a household assessment made before).
    CREATE TABLE assessment_children (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        level TEXT NOT NULL,
        computed_level TEXT NOT NULL,
        significant_harm INTEGER NOT NULL DEFAULT 0,
        indicators TEXT NOT NULL DEFAULT '[]',
        explanation TEXT NOT NULL DEFAULT '[]',
        child_view TEXT,
        override_direction TEXT CHECK (override_direction IN ('above', 'below')),
        override_reason TEXT,
        previous_level TEXT,
        movement TEXT CHECK (movement IN ('step-up', 'step-down')),
        PRIMARY KEY (assessment_id, member_id)
    );
    CREATE INDEX assessment_children_member ON assessment_children(member_id, assessment_id);
    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        family_id INTEGER NOT NULL REFERENCES families(id) ON DELETE CASCADE,
        to_service TEXT NOT NULL CHECK (to_service IN ('front-door', 'social-care', 'other-service')),
        date TEXT NOT NULL,
        reference TEXT,
        reason TEXT,
        level TEXT,
        outcome TEXT CHECK (outcome IN ('accepted', 'nfa', 'stepped-down', 'signposted', 'other')),
        outcome_date TEXT,
        outcome_note TEXT,
        stepped_down_to TEXT,
        recorded_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX referrals_family ON referrals(family_id, date, id);
    CREATE INDEX referrals_outcome ON referrals(outcome, outcome_date);
    -- The bundled London profile now has the Pan-London levels: its old "2" is "2a" (formerly = ["2"]).
    UPDATE families SET level = '2a'
        WHERE level = '2' AND (SELECT value FROM meta WHERE key = 'profile') = '"london"';
    UPDATE assessments SET level = '2a' WHERE level = '2' AND profile = 'london';
    UPDATE assessments SET computed_level = '2a' WHERE computed_level = '2' AND profile = 'london';
    UPDATE assessments SET previous_level = '2a' WHERE previous_level = '2' AND profile = 'london';
    CREATE TABLE referral_members (
        referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        PRIMARY KEY (referral_id, member_id)
    );
    """,
    )


MIGRATIONS = [m007_children_and_referrals]
