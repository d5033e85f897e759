"""The database file: opening it without side effects, checking it, and checked copies of it.

Shared by :mod:`~ehtool.store.backup`, :mod:`~ehtool.store.db_check` and
:mod:`~ehtool.store.restore`.

Copies go through SQLite's online backup API, never a file copy: a file copy of
a database in WAL mode misses whatever is still in the ``-wal`` file, and can
catch a page half-written. The copy is made in ONE backup step, i.e. from one
read snapshot. In WAL mode a reader never blocks a writer, so nobody is
starved; a copy made in several steps would instead start again from the
beginning each time another process commits between two steps, and with a
busy writer might never finish.

A copy is written under a temporary name (0600 from creation) in the
destination folder, checked (``integrity_check`` and ``quick_check``) and only
then given its name, without overwriting anything: a failed check leaves no
file.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from ehtool.errors import Conflict, Refused
from ehtool.files import PRIVATE_FILE, ensure_private_dir
from ehtool.store.connection import BUSY_TIMEOUT_MS, SQLITE_MAGIC
from ehtool.store.migrations import user_version

_SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
_MAX_PROBLEMS = 20


# -- small helpers ---------------------------------------------------------
@contextlib.contextmanager
def _private_umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _plain(path: Path) -> sqlite3.Connection:
    """A connection that changes nothing on open (no journal mode switch, no migration)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + quote(str(Path(path).absolute())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
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


def schema_damage(exc: sqlite3.DatabaseError) -> str | None:
    """The problem to report when SQLite could not parse the database's schema
    (the CREATE statements kept in ``sqlite_master``: edited, or a table,
    index or trigger whose text no longer makes sense), else None. SQLite reads
    the schema on a connection's first statement, so the first query fails."""
    text = str(exc)
    if "malformed database schema" not in text:
        return None
    return f"the database's schema is damaged (SQLite: {text})"


def is_regular_file(path: Path) -> bool:
    """An ordinary file (following a symlink), never a FIFO or device that a read would block on."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _is_sqlite_file(path: Path) -> bool:
    """Starts with SQLite's header. Opened without blocking and checked to be an
    ordinary file first, so a FIFO or a device is never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


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
            raise Refused(
                "The copy failed SQLite's integrity check, so nothing was written: the database itself may be damaged.",
                hint="Run `ehtool db check`; an earlier backup can be put back with `ehtool db restore`.",
                problems=problems,
            )
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
    raise Conflict(
        f"{dest} already exists; it was not overwritten.", hint="Choose a new file name, or use --dir for dated names."
    )


def _copy_to(source: sqlite3.Connection, dest: Path, *, numbered: bool, check: bool = True) -> tuple[Path, int]:
    tmp, version = _write_copy(source, dest.parent, dest.name, check=check)
    try:
        return _place(tmp, dest, numbered=numbered), version
    except BaseException:
        _remove_with_side_files(tmp)
        raise
