"""Backups of the database file, safe while others write, and pruning old ones.

A backup is a checked copy (see :mod:`ehtool.store.db_files`): made through
SQLite's online backup API in one step, written under a temporary name (0600
from creation), checked (``integrity_check`` and ``quick_check``) and only then
given its name, without overwriting anything: a failed check leaves no file.

Checks live in :mod:`ehtool.store.db_check` and restores in
:mod:`ehtool.store.restore`; their public names are importable from here too.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from ehtool.clock import utc_stamp
from ehtool.store.connection import SQLITE_MAGIC, Store
from ehtool.store.db_check import check_database
from ehtool.store.db_files import _copy_to, _fsync_dir, integrity
from ehtool.store.migrations import REQUIRED_TABLES
from ehtool.store.restore import inspect_candidate, replaced_name, restore_database

__all__ = [
    "BACKUP_NAME",
    "DEFAULT_KEEP",
    "REQUIRED_TABLES",
    "SQLITE_MAGIC",
    "backup_name",
    "check_database",
    "copy_database",
    "inspect_candidate",
    "integrity",
    "prune",
    "replaced_name",
    "restore_database",
    "utc_stamp",
]

# ehtool-20260101T020000Z.db, or ehtool-20260101T020000Z-2.db for a second one in the same second.
BACKUP_NAME = re.compile(r"^ehtool-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$")
DEFAULT_KEEP = 14


def backup_name(stamp: str | None = None) -> str:
    return f"ehtool-{stamp or utc_stamp()}.db"


def copy_database(store: Store, dest: Path, *, numbered: bool) -> tuple[Path, int]:
    """A checked copy of the open database at ``dest`` (a free numbered name beside it
    when ``numbered``); returns the file made and its schema version."""
    return _copy_to(store.conn, dest, numbered=numbered)


def prune(folder: Path, keep: int, *, exclude: Path | None = None) -> list[str]:
    """Delete the oldest ehtool-YYYYMMDDTHHMMSSZ.db files in ``folder`` so that
    ``keep`` remain (counting ``exclude``, the backup just made, which always
    stays). Nothing else in the folder is touched."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    found = []
    for entry in Path(folder).iterdir():
        match = BACKUP_NAME.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_file():
            continue
        if exclude is not None and entry.name == Path(exclude).name:
            continue
        found.append(((match.group(1), int(match.group(2) or 1)), entry))
    found.sort()
    others_to_keep = keep - 1 if exclude is not None else keep
    doomed = found[: max(0, len(found) - others_to_keep)]
    removed = []
    for _, entry in doomed:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(str(entry))
    if removed:
        _fsync_dir(Path(folder))
    return removed
