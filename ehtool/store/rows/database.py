"""The database file: checking it, and restoring it from a backup."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from ehtool.store.rows.audit import VerifyResult


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
