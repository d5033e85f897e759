"""`ehtool db check`: everything about the database file, without changing it.

Mode, size, schema version (and whether SQLite can parse the schema at all),
SQLite's integrity and foreign-key checks, and the audit trail's hash chain and
append-only triggers (:func:`ehtool.store.audit.check_trail`, shared with
``db restore``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ehtool.errors import NotFound, Refused
from ehtool.files import PRIVATE_FILE
from ehtool.store import audit
from ehtool.store.connection import Store, check_location, current_actor
from ehtool.store.db_files import (
    _MAX_PROBLEMS,
    _is_sqlite_file,
    _plain,
    _private_umask,
    integrity,
    is_regular_file,
    schema_damage,
)
from ehtool.store.migrations import REQUIRED_TABLES, latest_version, user_version

if TYPE_CHECKING:
    from ehtool.store.rows import DbCheckReport


def check_database(path: Path, *, allow_unsafe: bool = False) -> DbCheckReport:
    """Everything `ehtool db check` reports. Opens the file without migrating
    it or changing its journal mode. ``problems`` make the check fail;
    ``warnings`` do not."""
    path = Path(path)
    _require_database_file(path, allow_unsafe)
    report = _new_report(path)
    problems, warnings = report["problems"], report["warnings"]
    if not report["mode_ok"]:
        warnings.append(
            f"the database file's mode is {report['mode']}, not 0600 (others may read it); "
            f"ehtool sets 0600 the next time it opens it, or run: chmod 600 {path}"
        )
    if not _is_sqlite_file(path):
        problems.append("the file is not an SQLite database")
        return report
    with _private_umask():
        conn = _plain(path)
    try:
        if not _check_contents(conn, path, report):
            return report
    finally:
        conn.close()
    report["ok"] = not problems
    return report


def _require_database_file(path: Path, allow_unsafe: bool) -> None:
    """Refuse a path that does not exist, is in an unsafe place, or is not an ordinary file."""
    if not path.exists() and not path.is_symlink():
        raise NotFound(f"No ehtool database at {path}.", hint="Point --db / EHTOOL_DB at the database to check.")
    check_location(path, allow_unsafe)
    if not is_regular_file(path):
        raise Refused(
            f"{path} is not an ordinary file (a folder, a device or a pipe), so it is not a database.",
            hint="Point --db / EHTOOL_DB at the database file to check.",
        )


def _new_report(path: Path) -> DbCheckReport:
    """The report before the database is opened: the file's mode and sizes, nothing checked yet."""
    st = path.stat()
    wal = Path(str(path) + "-wal")
    mode = st.st_mode & 0o777
    return {
        "path": str(path),
        "mode": f"{mode:04o}",
        "mode_ok": mode == PRIVATE_FILE,
        "bytes": st.st_size,
        "wal_bytes": wal.stat().st_size if wal.exists() else 0,
        "page_count": None,
        "page_size": None,
        "schema_version": None,
        "latest_schema": latest_version(),
        "integrity": [],
        "foreign_keys": [],
        "audit": None,
        "problems": [],
        "warnings": [],
        "ok": False,
    }


def _check_contents(conn: sqlite3.Connection, path: Path, report: DbCheckReport) -> bool:
    """Fill in the checks of the open database; False if it could not be read at all (``ok`` stays False)."""
    problems = report["problems"]
    try:
        report["page_count"] = conn.execute("PRAGMA page_count").fetchone()[0]
        report["page_size"] = conn.execute("PRAGMA page_size").fetchone()[0]
        report["schema_version"] = version = user_version(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        problems.append(schema_damage(exc) or f"the database could not be read ({exc})")
        return False
    _check_schema_version(report, version)
    report["integrity"] = integrity(conn) or ["ok"]
    if report["integrity"] != ["ok"]:
        problems.extend(f"integrity: {m}" for m in report["integrity"])
    _check_foreign_keys(conn, report)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        problems.append(f"not an ehtool database: no {', '.join(missing)} table(s)")
    else:
        _check_audit(conn, path, report)
    return True


def _check_schema_version(report: DbCheckReport, version: int) -> None:
    """A problem if the schema is newer than this ehtool knows, a warning if it is older."""
    if version > report["latest_schema"]:
        report["problems"].append(
            f"schema {version} is newer than this ehtool knows ({report['latest_schema']}); upgrade ehtool to use it"
        )
    elif version < report["latest_schema"]:
        report["warnings"].append(
            f"schema {version} is older than this ehtool's {report['latest_schema']}; "
            "it is upgraded (after a backup) the next time ehtool opens it"
        )


def _check_foreign_keys(conn: sqlite3.Connection, report: DbCheckReport) -> None:
    """Run SQLite's foreign-key check and report the rows pointing at a missing parent."""
    problems = report["problems"]
    try:
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        problems.append(f"foreign keys could not be checked ({exc})")
    else:
        report["foreign_keys"] = [{"table": r[0], "rowid": r[1], "parent": r[2]} for r in fk[:_MAX_PROBLEMS]]
        if fk:
            problems.append(
                f"foreign keys: {len(fk)} row(s) point at a missing parent "
                f"(first: {fk[0][0]} row {fk[0][1]} -> {fk[0][2]})"
            )


def _check_audit(conn: sqlite3.Connection, path: Path, report: DbCheckReport) -> None:
    """Check the audit trail's chain and append-only triggers (:func:`audit.check_trail`)."""
    try:
        report["audit"], trail = audit.check_trail(Store(conn, path, current_actor()))
    except sqlite3.DatabaseError as exc:
        report["problems"].append(f"audit trail could not be read ({exc})")
    else:
        report["problems"].extend(trail)
