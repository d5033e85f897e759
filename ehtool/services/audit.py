"""Reading the audit trail: who did what, when; and checking the trail has not been edited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ehtool.domain.families import family_ref, parse_ref
from ehtool.store import audit as repo

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import AuditHead, VerifyResult

GENESIS = repo.GENESIS


def entries(store: Store, *, family: str | None, action: str | None, limit: int | None) -> list[dict[str, Any]]:
    """Entries oldest first, about one family (a reference) and of one action if asked."""
    rows = repo.entries(store, family_id=parse_ref(family) if family else None, limit=limit, action=action)
    out: list[dict[str, Any]] = []
    for r in rows:
        entry: dict[str, Any] = dict(r)
        entry["family_id"] = family_ref(r["family_id"]) if r["family_id"] else None
        out.append(entry)
    return out


def verify(store: Store, *, expected_head: str | None) -> VerifyResult:
    """Recompute the hash chain (and compare the newest hash with one stored elsewhere)."""
    return repo.verify(store, expected_head=expected_head)


def head(store: Store) -> AuditHead | None:
    """The newest entry's id and hash (None for an empty trail)."""
    return repo.head(store)
