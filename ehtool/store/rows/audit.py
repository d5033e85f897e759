"""The audit trail: entries, its head, and what verifying it found."""

from __future__ import annotations

from typing import Any, TypedDict


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
