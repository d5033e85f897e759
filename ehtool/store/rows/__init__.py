"""The shapes of the rows the store hands out.

Two kinds: a ``...Record`` is a table's row as SQLite holds it (``SELECT *``:
integer keys, 0/1 flags, JSON still text), used inside the store and by the
services that need the raw values; a ``...Row`` is what a repository function
returns for display and JSON (references such as ``F000123`` for ids, flags as
booleans, JSON decoded). Keys are in the order the functions produce them.

Values decoded from JSON that the domain defines (a plan's outcomes, an
assessment's explanation steps) are ``dict[str, Any]``: their shape is the
domain's (:mod:`ehtool.domain.plans`, :mod:`ehtool.domain.thresholds`).

One module per subject (``families``, ``assessments``, ``consent``, ``plans``,
``panels``, ``audit``, ``retention``, ``reports``, ``database``); every shape is
importable from here.
"""

from ehtool.store.rows.assessments import AssessmentRow
from ehtool.store.rows.audit import AuditEntry, AuditHead, VerifyResult
from ehtool.store.rows.consent import ConsentRecord, ConsentRow
from ehtool.store.rows.database import CandidateInfo, DbCheckReport, ForeignKeyProblem, RestoreResult
from ehtool.store.rows.families import (
    Changes,
    FamilyDuplicate,
    FamilyRecord,
    FamilyRow,
    FamilySummary,
    MemberDuplicate,
    MemberRecord,
    MemberRow,
)
from ehtool.store.rows.panels import (
    FamilyPanelItem,
    PanelItemRecord,
    PanelItemRow,
    PanelRecord,
    PanelRow,
    UndecidedItem,
)
from ehtool.store.rows.plans import PlanReview, PlanRow
from ehtool.store.rows.reports import (
    HistoryEntry,
    ReportAssessment,
    ReportData,
    ReportFamily,
    ReportMember,
    ReportOutcome,
    ReportPlan,
    ReportReview,
    ReportScore,
    ReportStepDown,
)
from ehtool.store.rows.retention import RetentionComputed, RetentionStatus

__all__ = [
    "AssessmentRow",
    "AuditEntry",
    "AuditHead",
    "CandidateInfo",
    "Changes",
    "ConsentRecord",
    "ConsentRow",
    "DbCheckReport",
    "FamilyDuplicate",
    "FamilyPanelItem",
    "FamilyRecord",
    "FamilyRow",
    "FamilySummary",
    "ForeignKeyProblem",
    "HistoryEntry",
    "MemberDuplicate",
    "MemberRecord",
    "MemberRow",
    "PanelItemRecord",
    "PanelItemRow",
    "PanelRecord",
    "PanelRow",
    "PlanReview",
    "PlanRow",
    "ReportAssessment",
    "ReportData",
    "ReportFamily",
    "ReportMember",
    "ReportOutcome",
    "ReportPlan",
    "ReportReview",
    "ReportScore",
    "ReportStepDown",
    "RestoreResult",
    "RetentionComputed",
    "RetentionStatus",
    "UndecidedItem",
    "VerifyResult",
]
