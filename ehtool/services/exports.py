"""Every file ehtool hands over (plans, agendas, board reports, subject access
exports, backups) goes out through here: the file and its audit entry appear
together or not at all.

The slow part (rendering into a private temporary file beside the destination)
happens first, outside any lock. Then, in one write transaction, the audit entry
is appended and the files are renamed into place; if the transaction cannot start
(another writer holds the lock) or fails, the temporary files are removed and any
file already placed is taken away again. A new export is a document writer plus
one call to :func:`export`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.files import place, staging
from ehtool.store import audit

if TYPE_CHECKING:
    from ehtool.store.connection import Store

Writer = Callable[[Path], object]


@dataclass(frozen=True)
class Entry:
    """The audit entry an export is recorded with (an access, never a change)."""

    action: str
    entity: str
    entity_id: str | None = None
    family_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    fields: list[str] | None = None


def _record(store: Store, entry: Entry) -> None:
    audit.record(
        store,
        entry.action,
        kind="access",
        entity=entry.entity,
        entity_id=entry.entity_id,
        family_id=entry.family_id,
        fields=entry.fields,
        values=dict(entry.values) or None,
    )


def export(store: Store, entry: Entry, files: Sequence[tuple[Path, Writer]]) -> list[Path]:
    """Write each ``(destination, writer)`` and record ``entry``, as one unit.

    Each writer is called with a temporary path to write the whole file to. Returns
    the destinations written."""
    dests = [Path(dest) for dest, _ in files]
    with contextlib.ExitStack() as stack:
        staged = []
        for dest, write in files:
            tmp = stack.enter_context(staging(dest))
            write(tmp)
            staged.append((tmp, dest))
        # Leaving the ExitStack would fsync; do it now, before the lock is taken.
        stack.close()
        placed: list[Path] = []
        try:
            with store.tx():
                _record(store, entry)
                for tmp, dest in staged:
                    placed.append(place(tmp, dest))
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            for dest in placed:
                with contextlib.suppress(FileNotFoundError):
                    dest.unlink()
            raise
    return dests


def adopt(store: Store, entry: Entry, made: Path) -> Path:
    """Record ``entry`` for a file the store made itself (a backup), or remove the
    file if the entry cannot be written: never an unaudited copy left behind."""
    try:
        with store.tx():
            _record(store, entry)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            made.unlink()
        raise
    return made
