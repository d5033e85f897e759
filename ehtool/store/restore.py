"""Restores: putting a checked backup back into the live database, safe while others have it open.

A restore copies the backup INTO the live database through SQLite's online
backup API, inside SQLite's locking, so a process that has the database open
sees either the old content or the restored one, never a file swapped under
it. The content it replaces is first kept beside it as a checked copy (see
:mod:`ehtool.store.db_files`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ehtool.clock import utc_stamp
from ehtool.errors import Conflict, InvalidInput, NotFound, Refused
from ehtool.files import PRIVATE_FILE, ensure_private_dir
from ehtool.store import audit
from ehtool.store.connection import Store, _connect, check_location, current_actor, open_store
from ehtool.store.db_files import (
    _copy_to,
    _fsync_dir,
    _is_sqlite_file,
    _plain,
    _private_umask,
    _readonly,
    _remove_with_side_files,
    _same_file,
    _write_copy,
    integrity,
    is_regular_file,
    schema_damage,
)
from ehtool.store.migrations import REQUIRED_TABLES, latest_version, user_version

if TYPE_CHECKING:
    from ehtool.store.rows import CandidateInfo, RestoreResult


def inspect_candidate(path: Path) -> CandidateInfo:
    """Is ``path`` a database ehtool can restore? Raises NotFound, InvalidInput
    (not SQLite, damaged pages, not ehtool's) or Refused (a damaged schema, a
    newer schema, or an audit trail that fails the check ``db check`` makes:
    its chain and its append-only triggers). Opens it read-only."""
    path = Path(path).expanduser()
    if not path.exists():
        raise NotFound(f"No backup file at {path}.")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a backup file.")
    if not is_regular_file(path):
        raise InvalidInput(f"{path} is not an ordinary file (a device, a pipe or a socket); nothing was changed.")
    if not _is_sqlite_file(path):
        raise InvalidInput(f"{path} is not an SQLite database; nothing was changed.")
    try:
        conn = _readonly(path)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{path} could not be opened ({exc}); nothing was changed.") from None
    try:
        try:
            version = user_version(conn)
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            damage = schema_damage(exc)
            if damage:
                raise Refused(
                    f"{path} is not restored: {damage}; nothing was changed.",
                    hint="Restore an earlier backup; `ehtool db check --db BACKUP` reports on a backup.",
                ) from None
            raise InvalidInput(f"{path} could not be read ({exc}); nothing was changed.") from None
        problems = integrity(conn)
        if problems:
            raise InvalidInput(f"{path} fails SQLite's integrity check; nothing was changed.", problems=problems)
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing or version < 1:
            raise InvalidInput(
                f"{path} is not an ehtool database (no {', '.join(missing) or 'schema version'}); nothing was changed."
            )
        if version > latest_version():
            raise Refused(
                f"{path} was written by a newer ehtool (schema {version}; this ehtool knows up to "
                f"{latest_version()}); nothing was changed.",
                hint="Upgrade ehtool (pip install -U ehtool), then restore.",
            )
        try:
            chain, trail = audit.check_trail(Store(conn, path, current_actor()))
            last = conn.execute("SELECT at FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            trail = [f"audit trail could not be read ({exc})"]
        if trail:
            raise Refused(
                f"{path} is not restored: its audit trail fails the check, so it may have been "
                "tampered with; nothing was changed.",
                problems=trail,
                hint="Restore an earlier backup; `ehtool db check --db BACKUP` reports on a backup.",
            )
    finally:
        conn.close()
    return {
        "path": str(path),
        "bytes": path.stat().st_size,
        "schema_version": version,
        "page_size": page_size,
        "audit_ok": chain["ok"],
        "audit_entries": chain["entries"],
        "last_change_at": last[0] if last else None,
    }


def replaced_name(live: Path) -> Path:
    return Path(f"{live}.replaced-{utc_stamp()}")


def restore_database(live: Path, candidate: Path, *, allow_unsafe: bool = False) -> RestoreResult:
    """Put the content of ``candidate`` into the database at ``live``.

    The current content is first kept as ``<live>.replaced-YYYYMMDDTHHMMSSZ``
    (0600), copied while holding the write lock so no commit falls between the
    copy and the lock; then the candidate is written into the live database
    through the backup API, as one transaction under SQLite's locking, so a
    process with the database open is never left with a file swapped under
    it. A live file that is not readable SQLite at all (nobody can be using
    it) is moved aside instead. Afterwards the live database is checked,
    migrated if the backup is older, and the restore audited in it."""
    live, candidate = Path(live).expanduser(), Path(candidate).expanduser()
    info = inspect_candidate(candidate)
    if live.exists() and _same_file(live, candidate):
        raise InvalidInput(f"{candidate} is the database itself; nothing was changed.")
    check_location(live, allow_unsafe)
    ensure_private_dir(live.parent)
    concurrent = False
    replaced: Path | None = None
    source = _readonly(candidate)
    try:
        if not live.exists():
            _copy_to(source, live, numbered=False)
        else:
            live_conn = _open_live(live)
            if live_conn is None:
                replaced = _replace_unreadable(live, source)
            else:
                try:
                    replaced, concurrent = _restore_into(live_conn, live, source, info)
                    problems = integrity(live_conn)
                finally:
                    live_conn.close()
                if problems:
                    raise Refused(
                        "The restored database fails SQLite's integrity check.",
                        problems=problems,
                        hint=f"The database you replaced is kept at {replaced}; "
                        f"`ehtool db restore {replaced} --yes` puts it back.",
                    )
    finally:
        source.close()

    store = open_store(live, allow_unsafe=allow_unsafe)  # migrates a backup made by an older ehtool
    try:
        with store.tx():
            audit.record(store, "db.restore", entity="backup", entity_id=candidate.name)
        version = user_version(store.conn)
    finally:
        store.close()
    return {
        "db": str(live),
        "restored_from": str(candidate),
        "replaced": str(replaced) if replaced else None,
        "integrity": "ok",
        "schema_version": version,
        "backup_schema_version": info["schema_version"],
        "written_meanwhile": concurrent,
    }


def _open_live(live: Path) -> sqlite3.Connection | None:
    """The live database opened as ehtool opens it (WAL, busy timeout), or
    None when the file is not readable SQLite."""
    if not _is_sqlite_file(live):
        return None
    conn = None
    try:
        with _private_umask():
            conn = _connect(live)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.DatabaseError:
        if conn is not None:
            conn.close()
        return None


def _restore_into(
    live_conn: sqlite3.Connection, live: Path, source: sqlite3.Connection, info: CandidateInfo
) -> tuple[Path, bool]:
    # 1. Keep the current content. A second connection holds the write lock
    #    while the copy is read, so the copy is the newest committed state;
    #    PRAGMA data_version then tells whether anyone committed between
    #    releasing that lock and the restore taking it.
    guard = _plain(live)
    try:
        try:
            guard.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise Conflict(
                f"The database is busy ({exc}); nothing was changed.",
                hint="Try again when the other ehtool has finished.",
            ) from None
        try:
            replaced, _ = _copy_to(live_conn, replaced_name(live), numbered=True, check=False)
            before = live_conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise Refused(
                f"The current database could not be copied aside ({exc}); nothing was changed.",
                hint="Run `ehtool db check`; with every ehtool closed, move the file aside by hand and restore again.",
            ) from None
        finally:
            guard.execute("ROLLBACK")
    finally:
        guard.close()
    # 2. Write the candidate into the live database: one transaction, under
    #    SQLite's locks. A WAL database only takes pages of its own size.
    live_page = live_conn.execute("PRAGMA page_size").fetchone()[0]
    scratch = _resized_copy(source, live.parent, live_page) if info["page_size"] != live_page else None
    try:
        if scratch is not None:
            source = _readonly(scratch)
        try:
            source.backup(live_conn, pages=-1)
        except sqlite3.DatabaseError as exc:
            raise Refused(
                f"The backup could not be written into the database ({exc}); nothing was changed.",
                hint=f"The current content is also kept at {replaced}.",
            ) from None
        finally:
            if scratch is not None:
                source.close()
    finally:
        if scratch is not None:
            _remove_with_side_files(scratch)
    after = live_conn.execute("PRAGMA data_version").fetchone()[0]
    return replaced, before != after


def _resized_copy(source: sqlite3.Connection, folder: Path, page_size: int) -> Path:
    tmp, _ = _write_copy(source, folder, "restore", check=False)
    conn = _plain(tmp)
    try:
        conn.execute(f"PRAGMA page_size = {int(page_size)}")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return tmp


def _replace_unreadable(live: Path, source: sqlite3.Connection) -> Path:
    """The live file is not readable SQLite, so no process can be using it:
    write the candidate beside it, move the old file aside, rename into place."""
    tmp, _ = _write_copy(source, live.parent, live.name, check=True)
    try:
        stamp = replaced_name(live)
        replaced = stamp
        n = 1
        while replaced.exists() or replaced.is_symlink():
            n += 1
            replaced = Path(f"{stamp}-{n}")
        os.replace(live, replaced)
        os.chmod(replaced, PRIVATE_FILE)
        wal = Path(f"{live}-wal")
        if wal.exists():
            os.replace(wal, Path(f"{replaced}-wal"))
            os.chmod(Path(f"{replaced}-wal"), PRIVATE_FILE)
        for suffix in ("-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{live}{suffix}").unlink()
        os.replace(tmp, live)
    except BaseException:
        _remove_with_side_files(tmp)
        raise
    _fsync_dir(live.parent)
    return replaced
