"""Backups, checks and restores of the database file, safe while others write.

Copies go through SQLite's online backup API, never a file copy: a file copy of
a database in WAL mode misses whatever is still in the ``-wal`` file, and can
catch a page half-written. The copy is made in ONE backup step, i.e. from one
read snapshot. In WAL mode a reader never blocks a writer, so nobody is
starved; a copy made in several steps would instead start again from the
beginning each time another process commits between two steps, and with a
busy writer might never finish.

A backup is written under a temporary name (0600 from creation) in the
destination folder, checked (``integrity_check`` and ``quick_check``) and only
then given its name, without overwriting anything: a failed check leaves no
file. A restore copies the backup INTO the live database through the same API,
inside SQLite's locking, so a process that has the database open sees either
the old content or the restored one, never a file swapped under it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from ehtool.errors import Conflict, InvalidInput, NotFound, Refused
from ehtool.files import PRIVATE_FILE, ensure_private_dir
from ehtool.store import audit
from ehtool.store.connection import BUSY_TIMEOUT_MS, Store, _connect, check_location, current_actor
from ehtool.store.migrations import latest_version, user_version

SQLITE_MAGIC = b"SQLite format 3\x00"
# ehtool-20260101T020000Z.db, or ehtool-20260101T020000Z-2.db for a second one in the same second.
BACKUP_NAME = re.compile(r"^ehtool-(\d{8}T\d{6}Z)(?:-(\d+))?\.db$")
DEFAULT_KEEP = 14
# Tables every ehtool database has had since the first migration.
REQUIRED_TABLES = ("meta", "families", "members", "audit", "audit_values")
_SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
_MAX_PROBLEMS = 20


def utc_stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def backup_name(stamp: str | None = None) -> str:
    return f"ehtool-{stamp or utc_stamp()}.db"


# -- small helpers ---------------------------------------------------------
@contextlib.contextmanager
def _private_umask():
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _plain(path: Path) -> sqlite3.Connection:
    """A connection that changes nothing on open (no journal mode switch, no migration)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + quote(str(Path(path).absolute())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _pragma_rows(conn: sqlite3.Connection, pragma: str) -> list[str]:
    """Messages of integrity_check / quick_check: ["ok"] when all is well."""
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}({_MAX_PROBLEMS})")]
    except sqlite3.DatabaseError as exc:
        return [f"the file could not be read ({exc})"]
    return rows or ["no result"]


def integrity(conn: sqlite3.Connection) -> list[str]:
    """Problems found by integrity_check then quick_check; empty when both say ok."""
    problems: list[str] = []
    for pragma in ("integrity_check", "quick_check"):
        rows = _pragma_rows(conn, pragma)
        if rows != ["ok"]:
            problems.extend(r for r in rows if r not in problems)
    return problems[:_MAX_PROBLEMS]


def _is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("",) + _SIDE_SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).absolute() == Path(b).absolute()


# -- writing a checked copy ---------------------------------------------------
def _write_copy(source: sqlite3.Connection, folder: Path, hint: str, *, check: bool) -> tuple[Path, int]:
    """Copy ``source`` to a new temporary 0600 file in ``folder`` (created 0700).

    One backup step, so the copy is one consistent snapshot. The copy is put in
    rollback-journal mode so it is a single self-contained file. With ``check``,
    a copy that fails integrity_check or quick_check is deleted and Refused.
    Returns (temporary path, schema version of the copy)."""
    ensure_private_dir(folder)
    with _private_umask():
        fd, name = tempfile.mkstemp(prefix=f".{hint}.", suffix=".part", dir=folder)
    os.fchmod(fd, PRIVATE_FILE)
    os.close(fd)
    tmp = Path(name)
    try:
        with _private_umask():
            target = _plain(tmp)
            try:
                source.backup(target, pages=-1)
                target.execute("PRAGMA journal_mode = DELETE")
                problems = integrity(target) if check else []
                version = user_version(target)
            finally:
                target.close()
        if problems:
            raise Refused("The copy failed SQLite's integrity check, so nothing was written: "
                          "the database itself may be damaged.",
                          hint="Run `ehtool db check`; an earlier backup can be put back with `ehtool db restore`.",
                          problems=problems)
        _fsync_file(tmp)
        os.chmod(tmp, PRIVATE_FILE)
    except BaseException:
        _remove_with_side_files(tmp)
        raise
    return tmp, version


def _place(tmp: Path, dest: Path, *, numbered: bool) -> Path:
    """Give ``tmp`` its final name without ever overwriting a file. With
    ``numbered``, a taken name becomes NAME-2.db, NAME-3.db...; otherwise Conflict."""
    candidates = [dest]
    if numbered:
        # Always after every name already used in this second, even if pruned
        # meanwhile, so the order of names stays the order of backups.
        stem, suffix = (dest.name[:-3], ".db") if dest.name.endswith(".db") else (dest.name, "")
        taken = re.compile(re.escape(stem) + r"(?:-(\d+))?" + re.escape(suffix) + "$")
        used = [int(m.group(1) or 1) for p in dest.parent.iterdir() if (m := taken.match(p.name))]
        first = max(used, default=0) + 1
        candidates = [dest.with_name(stem + (f"-{n}" if n > 1 else "") + suffix) for n in range(first, first + 1000)]
    for candidate in candidates:
        try:
            os.link(tmp, candidate)
        except FileExistsError:
            continue
        except OSError:  # a filesystem without hard links
            if candidate.exists():
                continue
            os.replace(tmp, candidate)
        else:
            tmp.unlink()
        _fsync_dir(candidate.parent)
        return candidate
    _remove_with_side_files(tmp)
    raise Conflict(f"{dest} already exists; it was not overwritten.",
                   hint="Choose a new file name, or use --dir for dated names.")


def _copy_to(source: sqlite3.Connection, dest: Path, *, numbered: bool, check: bool = True) -> tuple[Path, int]:
    tmp, version = _write_copy(source, dest.parent, dest.name, check=check)
    try:
        return _place(tmp, dest, numbered=numbered), version
    except BaseException:
        _remove_with_side_files(tmp)
        raise


# -- backup ------------------------------------------------------------------
def backup_database(store: Store, *, path: Path | None = None, folder: Path | None = None,
                    keep: int | None = None) -> dict:
    """Copy the open database to ``path`` (never overwritten), or to a dated
    ehtool-YYYYMMDDTHHMMSSZ.db in ``folder`` keeping the newest ``keep``.
    Audited as an access (the file name only). Returns
    {path, bytes, integrity, schema_version, removed}."""
    if (path is None) == (folder is None):
        raise ValueError("give exactly one of path and folder")
    if path is not None:
        path = Path(path).expanduser()
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder.", hint="Give a file name, or use --dir FOLDER for dated names.")
        if path.exists() or path.is_symlink():
            raise Conflict(f"{path} already exists; it was not overwritten.",
                           hint="Choose a new file name, or use --dir for dated names.")
        dest, numbered = path, False
    else:
        folder = Path(folder).expanduser()
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(f"{folder} is not a folder.")
        dest, numbered = folder / backup_name(), True
    final, version = _copy_to(store.conn, dest, numbered=numbered)
    with store.tx():
        audit.record(store, "db.backup", kind="access", entity="backup", entity_id=final.name)
    removed = prune(folder, keep, exclude=final) if folder is not None and keep else []
    return {"path": str(final), "bytes": final.stat().st_size, "integrity": "ok", "schema_version": version,
            "removed": removed}


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
    doomed = found[:max(0, len(found) - others_to_keep)]
    removed = []
    for _, entry in doomed:
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(str(entry))
    if removed:
        _fsync_dir(Path(folder))
    return removed


# -- check -------------------------------------------------------------------
def check_database(path: Path, *, allow_unsafe: bool = False) -> dict:
    """Everything `ehtool db check` reports. Opens the file without migrating
    it or changing its journal mode. ``problems`` make the check fail;
    ``warnings`` do not."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise NotFound(f"No ehtool database at {path}.",
                       hint="Point --db / EHTOOL_DB at the database to check.")
    check_location(path, allow_unsafe)
    st = path.stat()
    wal = Path(str(path) + "-wal")
    mode = st.st_mode & 0o777
    report = {
        "path": str(path), "mode": f"{mode:04o}", "mode_ok": mode == PRIVATE_FILE, "bytes": st.st_size,
        "wal_bytes": wal.stat().st_size if wal.exists() else 0, "page_count": None, "page_size": None,
        "schema_version": None, "latest_schema": latest_version(), "integrity": [], "foreign_keys": [],
        "audit": None, "problems": [], "warnings": [], "ok": False,
    }
    problems, warnings = report["problems"], report["warnings"]
    if not report["mode_ok"]:
        warnings.append(f"the database file's mode is {report['mode']}, not 0600 (others may read it); "
                        f"ehtool sets 0600 the next time it opens it, or run: chmod 600 {path}")
    if not _is_sqlite_file(path):
        problems.append("the file is not an SQLite database")
        return report
    with _private_umask():
        conn = _plain(path)
    try:
        try:
            report["page_count"] = conn.execute("PRAGMA page_count").fetchone()[0]
            report["page_size"] = conn.execute("PRAGMA page_size").fetchone()[0]
            report["schema_version"] = version = user_version(conn)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            problems.append(f"the database could not be read ({exc})")
            return report
        if version > report["latest_schema"]:
            problems.append(f"schema {version} is newer than this ehtool knows ({report['latest_schema']}); "
                            "upgrade ehtool to use it")
        elif version < report["latest_schema"]:
            warnings.append(f"schema {version} is older than this ehtool's {report['latest_schema']}; "
                            "it is upgraded (after a backup) the next time ehtool opens it")
        report["integrity"] = integrity(conn) or ["ok"]
        if report["integrity"] != ["ok"]:
            problems.extend(f"integrity: {m}" for m in report["integrity"])
        try:
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            problems.append(f"foreign keys could not be checked ({exc})")
        else:
            report["foreign_keys"] = [{"table": r[0], "rowid": r[1], "parent": r[2]} for r in fk[:_MAX_PROBLEMS]]
            if fk:
                problems.append(f"foreign keys: {len(fk)} row(s) point at a missing parent "
                                f"(first: {fk[0][0]} row {fk[0][1]} -> {fk[0][2]})")
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            problems.append(f"not an ehtool database: no {', '.join(missing)} table(s)")
        else:
            try:
                result = audit.verify(Store(conn, path, current_actor()))
            except sqlite3.DatabaseError as exc:
                problems.append(f"audit trail could not be read ({exc})")
            else:
                report["audit"] = result
                if not result["ok"]:
                    where = f" at entry {result['broken_at']}" if result["broken_at"] else ""
                    problems.append(f"audit trail broken{where}: {result['reason']}")
                if "audit_no_update" not in _triggers(conn) or "audit_no_delete" not in _triggers(conn):
                    problems.append("audit trail: its append-only triggers are missing")
    finally:
        conn.close()
    report["ok"] = not problems
    return report


def _triggers(conn: sqlite3.Connection) -> set[str]:
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    except sqlite3.DatabaseError:
        return set()


# -- restore -----------------------------------------------------------------
def inspect_candidate(path: Path) -> dict:
    """Is ``path`` a database ehtool can restore? Raises NotFound, InvalidInput
    (not SQLite, damaged, not ehtool's) or Refused (newer schema). Opens it read-only."""
    path = Path(path).expanduser()
    if not path.exists():
        raise NotFound(f"No backup file at {path}.")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a backup file.")
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
            raise InvalidInput(f"{path} could not be read ({exc}); nothing was changed.") from None
        problems = integrity(conn)
        if problems:
            raise InvalidInput(f"{path} fails SQLite's integrity check; nothing was changed.", problems=problems)
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing or version < 1:
            raise InvalidInput(f"{path} is not an ehtool database (no {', '.join(missing) or 'schema version'}); "
                               "nothing was changed.")
        if version > latest_version():
            raise Refused(f"{path} was written by a newer ehtool (schema {version}; this ehtool knows up to "
                          f"{latest_version()}); nothing was changed.",
                          hint="Upgrade ehtool (pip install -U ehtool), then restore.")
        try:
            chain = audit.verify(Store(conn, path, current_actor()))
            last = conn.execute("SELECT at FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(f"{path}: its audit trail could not be read ({exc}); nothing was changed.") from None
    finally:
        conn.close()
    return {"path": str(path), "bytes": path.stat().st_size, "schema_version": version, "page_size": page_size,
            "audit_ok": chain["ok"], "audit_entries": chain["entries"], "last_change_at": last[0] if last else None}


def replaced_name(live: Path) -> Path:
    return Path(f"{live}.replaced-{utc_stamp()}")


def restore_database(live: Path, candidate: Path, *, allow_unsafe: bool = False) -> dict:
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
                    raise Refused("The restored database fails SQLite's integrity check.", problems=problems,
                                  hint=f"The database you replaced is kept at {replaced}; "
                                       f"`ehtool db restore {replaced} --yes` puts it back.")
    finally:
        source.close()
    from ehtool.store.connection import open_store

    store = open_store(live, allow_unsafe=allow_unsafe)  # migrates a backup made by an older ehtool
    try:
        with store.tx():
            audit.record(store, "db.restore", entity="backup", entity_id=candidate.name)
        version = user_version(store.conn)
    finally:
        store.close()
    return {"db": str(live), "restored_from": str(candidate), "replaced": str(replaced) if replaced else None,
            "integrity": "ok", "schema_version": version, "backup_schema_version": info["schema_version"],
            "written_meanwhile": concurrent}


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


def _restore_into(live_conn: sqlite3.Connection, live: Path, source: sqlite3.Connection,
                  info: dict) -> tuple[Path, bool]:
    # 1. Keep the current content. A second connection holds the write lock
    #    while the copy is read, so the copy is the newest committed state;
    #    PRAGMA data_version then tells whether anyone committed between
    #    releasing that lock and the restore taking it.
    guard = _plain(live)
    try:
        try:
            guard.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise Conflict(f"The database is busy ({exc}); nothing was changed.",
                           hint="Try again when the other ehtool has finished.") from None
        try:
            replaced, _ = _copy_to(live_conn, replaced_name(live), numbered=True, check=False)
            before = live_conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise Refused(f"The current database could not be copied aside ({exc}); nothing was changed.",
                          hint="Run `ehtool db check`; with every ehtool closed, move the file aside by hand "
                               "and restore again.") from None
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
            raise Refused(f"The backup could not be written into the database ({exc}); nothing was changed.",
                          hint=f"The current content is also kept at {replaced}.") from None
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
