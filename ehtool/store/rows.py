"""The shapes of the rows the store hands out.

Two kinds: a ``...Record`` is a table's row as SQLite holds it (``SELECT *``:
integer keys, 0/1 flags, JSON still text), used inside the store and by the
services that need the raw values; a ``...Row`` is what a repository function
returns for display and JSON (references such as ``F000123`` for ids, flags as
booleans, JSON decoded). Keys are in the order the functions produce them.

Values decoded from JSON that the domain defines (a plan's outcomes, an
assessment's explanation steps) are ``dict[str, Any]``: their shape is the
domain's (:mod:`ehtool.domain.plans`, :mod:`ehtool.domain.thresholds`).
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

# {field: [old value, new value]}: what an edit changed (also the audit entry's values).
Changes = dict[str, list[Any]]


# -- families and members --------------------------------------------------------------


class FamilyRecord(TypedDict):
    """A row of ``families``, as stored."""

    id: int
    name: str
    name_key: str
    address: str | None
    postcode: str | None
    locality: str | None
    language: str | None
    interpreter: int
    referral_source: str | None
    referral_date: str | None
    referral_reason: str | None
    lead: str | None
    notes: str | None
    status: str
    closed_reason: str | None
    closed_on: str | None
    created_at: str
    updated_at: str
    level: str | None
    level_assessed_on: str | None
    legal_hold: int
    legal_hold_reason: str | None
    retain_until: str | None


class MemberRecord(TypedDict):
    """A row of ``members``, as stored."""

    id: int
    family_id: int
    name: str
    name_key: str
    role: str
    dob: str | None
    due_date: str | None
    gender: str | None
    ethnicity: str | None
    nhs_number: str | None
    upn: str | None
    school: str | None
    send: int
    ehcp: int
    young_carer: int
    created_at: str
    updated_at: str


class MemberRow(TypedDict):
    """A member as shown (:func:`ehtool.store.families.get_member`): references, flags as booleans."""

    id: str
    family_id: str
    name: str
    role: str
    dob: str | None
    due_date: str | None
    gender: str | None
    ethnicity: str | None
    nhs_number: str | None
    upn: str | None
    school: str | None
    send: bool
    ehcp: bool
    young_carer: bool
    created_at: str
    updated_at: str


class FamilyRow(TypedDict):
    """A family as shown (:func:`ehtool.store.families.get_family`), with its members unless asked not to."""

    id: str
    name: str
    address: str | None
    postcode: str | None
    locality: str | None
    language: str | None
    interpreter: bool
    referral_source: str | None
    referral_date: str | None
    referral_reason: str | None
    lead: str | None
    notes: str | None
    status: str
    closed_reason: str | None
    closed_on: str | None
    created_at: str
    updated_at: str
    level: str | None
    level_assessed_on: str | None
    legal_hold: int
    legal_hold_reason: str | None
    retain_until: str | None
    members: NotRequired[list[MemberRow]]


class FamilySummary(TypedDict):
    """A line of :func:`ehtool.store.families.list_families`."""

    id: str
    name: str
    postcode: str | None
    locality: str | None
    status: str
    lead: str | None
    referral_date: str | None
    level: str | None
    member_count: int


class FamilyDuplicate(TypedDict):
    """A possible duplicate family: its reference and why (never a name)."""

    id: str
    why: str


class MemberDuplicate(TypedDict):
    """A possible duplicate person: references and why (never a name)."""

    id: str
    family_id: str
    why: str


# -- assessments -----------------------------------------------------------------------


class AssessmentRow(TypedDict):
    """An assessment as shown (:func:`ehtool.store.assessments.get`)."""

    id: str
    family_id: str
    assessed_on: str
    profile: str
    profile_version: str | None
    indicators: list[str]
    computed_level: str
    level: str
    significant_harm: bool
    override_direction: str | None
    override_reason: str | None
    family_view: str | None
    child_view: str | None
    notes: str | None
    explanation: list[dict[str, Any]]
    previous_level: str | None
    movement: str | None
    assessor: str
    created_at: str


# -- consent ---------------------------------------------------------------------------


class ConsentRecord(TypedDict):
    """A row of ``consents``, as stored (:func:`ehtool.store.consent.current`)."""

    id: int
    family_id: int
    member_id: int | None
    type: str
    status: str
    date: str
    given_by: str | None
    how: str | None
    reason: str | None
    recorded_by: str
    recorded_at: str


class ConsentRow(TypedDict):
    """A ledger entry (:func:`ehtool.store.consent.ledger`): family and member as references."""

    id: int
    family_id: str
    member_id: str | None
    type: str
    status: str
    date: str
    given_by: str | None
    how: str | None
    reason: str | None
    recorded_by: str
    recorded_at: str


# -- plans -----------------------------------------------------------------------------


class PlanReview(TypedDict):
    """A recorded plan review."""

    id: int
    date: str
    attended: list[str]
    scores: dict[str, int]
    action_updates: list[dict[str, Any]]
    notes: str | None
    next_review_date: str | None
    plan_version: int
    recorded_by: str


class PlanRow(TypedDict):
    """A plan as the store returns it: its columns, the content document's keys
    (see :data:`ehtool.domain.plans.PLAN_KEYS`; each present when the document
    has it), its reviews, and ``_pk`` (the plans row's integer id, for the store)."""

    id: str
    family_id: str
    status: str
    version: int
    created_at: str
    updated_at: str
    closed_on: str | None
    closed_reason: str | None
    closed_note: str | None
    lead_professional: NotRequired[str | None]
    team: NotRequired[list[dict[str, Any]]]
    working_well: NotRequired[str | None]
    worries: NotRequired[str | None]
    needs_to_happen: NotRequired[str | None]
    family_voice: NotRequired[str | None]
    child_voice: NotRequired[str | None]
    outcomes: NotRequired[list[dict[str, Any]]]
    contingency: NotRequired[str | None]
    review_date: NotRequired[str | None]
    share_with: NotRequired[list[str]]
    _last_outcome: NotRequired[int]
    reviews: list[PlanReview]
    _pk: int


# -- panels ----------------------------------------------------------------------------


class PanelRecord(TypedDict):
    """A row of ``panels``, as stored (:func:`ehtool.store.panels.find`)."""

    id: int
    locality: str
    date: str
    chair: str | None
    created_at: str


class PanelRow(TypedDict):
    """A sitting as listed (:func:`ehtool.store.panels.list_panels`)."""

    id: str
    locality: str
    date: str
    chair: str | None
    items: int
    _pk: int


class PanelItemRecord(TypedDict):
    """A row of ``panel_items``, as stored."""

    id: int
    panel_id: int
    item: int
    family_id: int
    reason: str
    presenter: str | None
    notes: str | None
    consent_status: str | None
    no_consent_reason: str | None
    decision: str | None
    decision_notes: str | None
    actions: str | None
    allocated_to: str | None
    decided_on: str | None
    decided_by: str | None
    created_at: str


class PanelItemRow(TypedDict):
    """An agenda item (:func:`ehtool.store.panels.items`): ``family_id`` a reference, ``family_pk`` its id."""

    id: int
    panel_id: int
    item: int
    family_id: str
    reason: str
    presenter: str | None
    notes: str | None
    consent_status: str | None
    no_consent_reason: str | None
    decision: str | None
    decision_notes: str | None
    actions: str | None
    allocated_to: str | None
    decided_on: str | None
    decided_by: str | None
    created_at: str
    family_pk: int


class UndecidedItem(PanelItemRecord):
    """An undecided item with its sitting's date and locality
    (:func:`ehtool.store.panels.undecided_items_for_family`)."""

    date: str
    locality: str


class FamilyPanelItem(TypedDict):
    """A family's item on a sitting (:func:`ehtool.store.panels.items_for_family`)."""

    locality: str
    date: str
    item: int
    reason: str
    decision: str | None
    decision_notes: str | None
    actions: str | None
    allocated_to: str | None
    panel_id: str


# -- the audit trail -------------------------------------------------------------------


class AuditEntry(TypedDict):
    """An audit entry as read back (:func:`ehtool.store.audit.entries`), its values decoded."""

    id: int
    at: str
    actor: str
    kind: str
    action: str
    entity: str | None
    entity_id: str | None
    family_id: int | None
    fields: list[str]
    hash: str
    values: dict[str, Any] | None


class AuditHead(TypedDict):
    """The newest audit entry's id and hash."""

    id: int
    hash: str


class VerifyResult(TypedDict):
    """What :func:`ehtool.store.audit.verify` found."""

    ok: bool
    entries: int
    head: str | None
    broken_at: int | None
    reason: str | None


# -- retention -------------------------------------------------------------------------


class RetentionComputed(TypedDict):
    """A family's stored retention columns beside its computed retention date and the reason."""

    id: int
    status: str
    closed_on: str | None
    retain_until: str | None
    legal_hold: int
    legal_hold_reason: str | None
    locality: str | None
    lead: str | None
    computed: str | None
    why: str


class RetentionStatus(TypedDict):
    """One family's retention (:func:`ehtool.store.retention.status`)."""

    family_id: str
    status: str
    closed_on: str | None
    retain_until: str | None
    reason: str
    legal_hold: bool
    legal_hold_reason: str | None


# -- reports ---------------------------------------------------------------------------


class ReportFamily(TypedDict):
    id: int
    locality: str | None
    postcode: str | None
    language: str | None
    interpreter: int
    referral_date: str | None
    created_at: str
    status: str
    closed_on: str | None


class ReportAssessment(TypedDict):
    family_id: int
    id: int
    assessed_on: str
    level: str
    movement: str | None


class ReportMember(TypedDict):
    family_id: int
    ethnicity: str | None


class ReportPlan(TypedDict):
    id: int
    family_id: int
    status: str
    created_at: str
    closed_on: str | None
    closed_reason: str | None
    review_date: str | None
    first_review_date: str | None


class ReportOutcome(TypedDict):
    plan_id: int
    outcome_id: str | None
    area: str | None
    baseline: int | None


class ReportReview(TypedDict):
    plan_id: int
    id: int
    date: str
    next_review_date: str | None
    version_review_date: str | None


class ReportScore(TypedDict):
    plan_id: int
    review_id: int
    date: str
    outcome_id: str
    score: int | None


class HistoryEntry(TypedDict):
    """A family.add / close / reopen / edit audit entry of a reopened family."""

    action: str
    at: str
    values: dict[str, Any] | None


class ReportData(TypedDict):
    """Everything :func:`ehtool.store.reports.fetch` reads for the board report."""

    families: list[ReportFamily]
    assessments: list[ReportAssessment]
    members: list[ReportMember]
    plans: list[ReportPlan]
    outcomes: list[ReportOutcome]
    reviews: list[ReportReview]
    scores: list[ReportScore]
    history: dict[int, list[HistoryEntry]]


# -- the database file -----------------------------------------------------------------


class ForeignKeyProblem(TypedDict):
    table: str
    rowid: int | None
    parent: str


class DbCheckReport(TypedDict):
    """What ``ehtool db check`` reports (:func:`ehtool.store.db_check.check_database`)."""

    path: str
    mode: str
    mode_ok: bool
    bytes: int
    wal_bytes: int
    page_count: int | None
    page_size: int | None
    schema_version: int | None
    latest_schema: int
    integrity: list[str]
    foreign_keys: list[ForeignKeyProblem]
    audit: VerifyResult | None
    problems: list[str]
    warnings: list[str]
    ok: bool


class CandidateInfo(TypedDict):
    """A backup checked as fit to restore (:func:`ehtool.store.restore.inspect_candidate`)."""

    path: str
    bytes: int
    schema_version: int
    page_size: int
    audit_ok: bool
    audit_entries: int
    last_change_at: str | None


class RestoreResult(TypedDict):
    """What :func:`ehtool.store.restore.restore_database` did."""

    db: str
    restored_from: str
    replaced: str | None
    integrity: str
    schema_version: int
    backup_schema_version: int
    written_meanwhile: bool
