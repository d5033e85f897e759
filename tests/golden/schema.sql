-- user_version 9
-- application_id 1162368049
-- index assessment_answers_member
CREATE INDEX assessment_answers_member ON assessment_answers(member_id) WHERE member_id IS NOT NULL;
-- index assessment_answers_unique
CREATE UNIQUE INDEX assessment_answers_unique
        ON assessment_answers(assessment_id, indicator, COALESCE(member_id, 0));
-- index assessment_children_member
CREATE INDEX assessment_children_member ON assessment_children(member_id, assessment_id);
-- index assessments_family
CREATE INDEX assessments_family ON assessments(family_id, assessed_on, id);
-- index assessments_open
CREATE INDEX assessments_open ON assessments(family_id) WHERE completed_on IS NULL;
-- index audit_family
CREATE INDEX audit_family ON audit(family_id);
-- index audit_values_family
CREATE INDEX audit_values_family ON audit_values(family_id);
-- index consents_family
CREATE INDEX consents_family ON consents(family_id, type, date, id);
-- index families_lead
CREATE INDEX families_lead ON families(lead);
-- index families_level
CREATE INDEX families_level ON families(level);
-- index families_locality_status
CREATE INDEX families_locality_status ON families(locality, status);
-- index families_name_key
CREATE INDEX families_name_key ON families(name_key);
-- index families_postcode
CREATE INDEX families_postcode ON families(postcode);
-- index families_retain_until
CREATE INDEX families_retain_until ON families(status, retain_until);
-- index family_meetings_family
CREATE INDEX family_meetings_family ON family_meetings(family_id, offered_on);
-- index family_network_family
CREATE INDEX family_network_family ON family_network(family_id);
-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
-- index members_dob
CREATE INDEX members_dob ON members(dob);
-- index members_family
CREATE INDEX members_family ON members(family_id);
-- index members_name_key
CREATE INDEX members_name_key ON members(name_key);
-- index members_nhs_number
CREATE INDEX members_nhs_number ON members(nhs_number) WHERE nhs_number IS NOT NULL;
-- index members_upn
CREATE INDEX members_upn ON members(upn) WHERE upn IS NOT NULL;
-- index panel_effects_family
CREATE INDEX panel_effects_family ON panel_effects(family_id, effect);
-- index panel_effects_waiting
CREATE INDEX panel_effects_waiting ON panel_effects(outcome) WHERE outcome = 'waiting';
-- index panel_items_carried_from
CREATE INDEX panel_items_carried_from ON panel_items(carried_from) WHERE carried_from IS NOT NULL;
-- index panel_items_family
CREATE INDEX panel_items_family ON panel_items(family_id);
-- index panels_locality_date
CREATE INDEX panels_locality_date ON panels(locality, date);
-- index plan_reviews_plan
CREATE INDEX plan_reviews_plan ON plan_reviews(plan_id, date);
-- index plans_family
CREATE INDEX plans_family ON plans(family_id, id);
-- index plans_one_open
CREATE UNIQUE INDEX plans_one_open ON plans(family_id) WHERE status = 'open';
-- index plans_review
CREATE INDEX plans_review ON plans(status, review_date);
-- index referrals_family
CREATE INDEX referrals_family ON referrals(family_id, date, id);
-- index referrals_outcome
CREATE INDEX referrals_outcome ON referrals(outcome, outcome_date);
-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
-- table assessment_answers
CREATE TABLE assessment_answers (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        indicator TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('child', 'household')),
        member_id INTEGER REFERENCES members(id) ON DELETE CASCADE
    );
-- table assessment_children
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
-- table assessments
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
    , started_on TEXT, completed_on TEXT, organisation TEXT);
-- table audit
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
-- table audit_values
CREATE TABLE audit_values (
        audit_id INTEGER PRIMARY KEY,
        family_id INTEGER,
        data TEXT NOT NULL
    );
-- table consents
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
-- table families
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
    , level TEXT, level_assessed_on TEXT, legal_hold INTEGER NOT NULL DEFAULT 0, legal_hold_reason TEXT, retain_until TEXT);
-- table family_meetings
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
-- table family_network
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
-- table members
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
-- table meta
CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
-- table panel_effects
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
-- table panel_items
CREATE TABLE "panel_items" (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        panel_id INTEGER NOT NULL REFERENCES "panels"(id) ON DELETE CASCADE,
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
        carried_from INTEGER REFERENCES "panel_items"(id) ON DELETE SET NULL,
        UNIQUE (panel_id, item),
        UNIQUE (panel_id, family_id)
    );
-- table panels
CREATE TABLE "panels" (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL DEFAULT 'locality',
        locality TEXT NOT NULL,
        date TEXT NOT NULL,
        chair TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (kind, locality, date)
    );
-- table plan_reviews
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
-- table plan_versions
CREATE TABLE plan_versions (
        plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        content TEXT NOT NULL,
        change TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, version)
    );
-- table plans
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
    , closing_summary TEXT);
-- table referral_members
CREATE TABLE referral_members (
        referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        PRIMARY KEY (referral_id, member_id)
    );
-- table referrals
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
-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);
-- trigger audit_no_delete
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
-- trigger audit_no_update
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
