"""Opening a database: only ehtool's own files, read-only kept read-only, who did it,
permission denied said as such, and every folder ehtool makes is private."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from conftest import snapshot


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def raw_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


# -- 4. any SQLite file (or an empty one) is not an ehtool database ---------------------


@pytest.mark.parametrize(
    "command", [("family", "list"), ("family", "add", "--name", "Intruder family"), ("audit", "verify"), ("due",)]
)
def test_an_empty_file_is_refused_and_left_empty(run, tmp_path, command):
    db = tmp_path / "empty.db"
    db.touch()
    os.chmod(db, 0o600)
    r = run(*command, "--db", db) if command != ("due",) else run("--db", db, "due")
    assert r.code == 6, r.err
    assert "not an ehtool database" in r.err and "empty" in r.err
    assert db.stat().st_size == 0
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_another_programs_sqlite_file_is_not_migrated_or_switched_to_wal(run, tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(str(db))
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    os.chmod(db, 0o600)
    before = raw_bytes(db)
    for command in (("family", "list"), ("family", "add", "--name", "Intruder family"), ("audit", "verify")):
        r = run(*command, "--db", db)
        assert r.code == 6 and "not an ehtool database" in r.err, r.err
    assert raw_bytes(db) == before  # not even the journal mode changed
    assert sqlite3.connect(str(db)).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not list(tmp_path.glob("other.db.schema*.bak"))


def test_a_file_of_another_application_is_refused_even_with_our_tables(run, tmp_path, initdb):
    db = tmp_path / "lookalike.db"
    conn = sqlite3.connect(str(db))
    conn.execute("PRAGMA application_id = 42")
    conn.execute("PRAGMA user_version = 3")
    for t in ("meta", "families", "members", "audit", "audit_values"):
        conn.execute(f"CREATE TABLE {t} (x)")
    conn.commit()
    conn.close()
    before = raw_bytes(db)
    r = run("family", "list", "--db", db)
    assert r.code == 6 and "another application" in r.err
    assert raw_bytes(db) == before


def test_a_text_file_is_refused(run, tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("not a database at all\n")
    r = run("family", "list", "--db", db)
    assert r.code == 6 and "not an SQLite database" in r.err
    assert db.read_text() == "not a database at all\n"


def test_a_fifo_or_device_as_database_or_backup_is_refused_not_waited_on(run_proc, initdb, tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for args in (
        ("--db", fifo, "family", "list"),
        ("--db", fifo, "db", "check"),
        ("--db", "/dev/zero", "db", "check"),
        ("db", "restore", fifo, "--yes"),
    ):
        r = run_proc(*args, timeout=30)
        assert r.code in (4, 6) and "ordinary file" in r.err, (args, r.err)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_ehtool_databases_carry_their_application_id(initdb):
    conn = sqlite3.connect(str(initdb))
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x45485431


# -- 5. a deliberately read-only database stays read-only --------------------------------


def test_read_only_database_serves_reads_refuses_writes_and_stays_read_only(run, family, db_path):
    os.chmod(db_path, 0o400)
    before = snapshot(db_path)
    r = run("family", "list", "--json")
    assert r.code == 0 and [f["id"] for f in r.json] == [family]
    assert run("due", "--json").code == 0
    r = run("family", "add", "--name", "Another family")
    assert r.code == 7, r.err
    assert "read-only" in r.err and "Traceback" not in r.err
    r = run("member", "add", family, "--name", "New Person", "--role", "child", "--dob", "2020-01-01")
    assert r.code == 7
    r = run("family", "show", family)  # a view is recorded as access, which a read-only file cannot take
    assert r.code == 7 and "read-only" in r.err
    assert mode(db_path) == 0o400, "ehtool must never add write permission"
    for side in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if side.exists():
            assert mode(side) & 0o077 == 0
    assert snapshot(db_path) == before


def test_too_open_permissions_are_tightened_but_never_loosened(run, family, db_path):
    os.chmod(db_path, 0o644)
    assert run("family", "list").code == 0
    assert mode(db_path) == 0o600
    os.chmod(db_path, 0o440)
    assert run("family", "list").code == 0
    assert mode(db_path) == 0o400  # group read taken away, no write added


@contextlib.contextmanager
def as_user(uid: int):
    """Run the block as another user when we are root (root reads everything)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(uid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_database_the_user_cannot_read_says_permission_denied(run, family, db_path):
    folder = Path(tempfile.mkdtemp(prefix="ehtool-perm-", dir="/tmp"))
    try:
        os.chmod(folder, 0o755)
        db = folder / "theirs.db"
        db.write_bytes(db_path.read_bytes())
        os.chmod(db, 0o000)
        assert run("family", "list", "--db", db_path).code == 0  # every module loaded before changing user
        with as_user(65534):
            r = run("family", "list", "--db", db)
        assert r.code == 7, r.err
        assert "Permission denied" in r.err and "Traceback" not in r.err
    finally:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


# -- 14. who did it ---------------------------------------------------------------------


def test_ehtool_user_is_trimmed_and_the_login_recorded_beside_it(run, initdb, monkeypatch):
    from ehtool.store.connection import login_name

    monkeypatch.setenv("EHTOOL_USER", "  cron  ")
    assert run("family", "add", "--name", "Cronjob family").code == 0
    actor = run("audit", "--json").json[-1]["actor"]
    assert actor == ("cron" if login_name() == "cron" else f"cron (login {login_name()})")
    monkeypatch.setenv("EHTOOL_USER", login_name())
    assert run("family", "add", "--name", "Loginname family").code == 0
    assert run("audit", "--json").json[-1]["actor"] == login_name()


@pytest.mark.parametrize(
    "value, says",
    [("jo\x1b[31m", "control"), ("jo\nroot", "control"), ("jo\u202eevil", "control"), ("x" * 65, "65 characters")],
)
def test_ehtool_user_must_be_an_identity(run, initdb, monkeypatch, value, says):
    before = snapshot(initdb)
    monkeypatch.setenv("EHTOOL_USER", value)
    r = run("family", "add", "--name", "Forged family")
    assert r.code == 2, r.err
    assert "EHTOOL_USER" in r.err and says in r.err
    assert snapshot(initdb) == before


def test_a_busy_database_does_not_guess_who_holds_it():
    import io
    import sys

    from ehtool.cli import report_system_error

    err, sys.stderr = sys.stderr, io.StringIO()
    try:
        report_system_error(sqlite3.OperationalError("database is locked"))
        text = sys.stderr.getvalue()
    finally:
        sys.stderr = err
    assert "busy" in text and "another ehtool" not in text


# -- folders ehtool creates ----------------------------------------------------------------


def test_every_missing_parent_folder_ehtool_creates_is_private(run, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "umask", os.umask)  # restored after the test
    old = os.umask(0o022)
    try:
        db = tmp_path / "a" / "b" / "c" / "ehtool.db"
        assert run("--db", db, "init").code == 0
        for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
            assert mode(folder) == 0o700, folder
        out = tmp_path / "x" / "y" / "plan-exports"
        assert run("--db", db, "db", "backup", "--dir", out).code == 0
        for folder in (tmp_path / "x", tmp_path / "x" / "y", out):
            assert mode(folder) == 0o700, folder
    finally:
        os.umask(old)
