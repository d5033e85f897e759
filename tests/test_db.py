"""`ehtool db backup | check | restore`: real files, real processes, real SQLite locking."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot

BACKUP_RE = re.compile(r"^ehtool-\d{8}T\d{6}Z(-\d+)?\.db$")

# A writer in its own process: registers families through the store API until
# told to stop (a file appears), then prints how many it registered.
WRITER = """
import sys, pathlib
from ehtool.services.families import add_family
from ehtool.store import open_store
db, stop, limit = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
store = open_store(db)
n = 0
while n < limit and (n < 5 or not stop.exists()):
    add_family(store, {"name": f"Writer family {n}", "postcode": "CR0 1AB"}, allow_duplicate=True)
    n += 1
    if n == 5:
        print("started", flush=True)
store.close()
print(n, flush=True)
"""


def mode(path) -> int:
    return os.stat(path).st_mode & 0o777


def families(run, db) -> list[dict]:
    r = run("family", "list", "--db", db, "--json")
    assert r.code == 0, r.err
    return r.json


def integrity_ok(path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def corrupt(path: Path) -> None:
    """Flip bytes in the families table's root page (the page area, not the header)."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'families'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert root > 1
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        page = bytearray(fh.read(64))
        fh.seek((root - 1) * size)
        fh.write(bytes(b ^ 0xFF for b in page))


def writer(db: Path, stop: Path, limit: int = 100_000) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(stop), str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line == "started", proc.stderr.read()
    return proc


def backup_to(run, dest) -> dict:
    r = run("db", "backup", dest, "--json")
    assert r.code == 0, r.err
    return r.json


# -- backup ------------------------------------------------------------------
def test_backup_is_private_checked_and_holds_the_same_families(run, family, initdb, tmp_path):
    dest = tmp_path / "copies" / "nightly.db"
    result = backup_to(run, dest)
    assert result["path"] == str(dest)
    assert result["integrity"] == "ok" and result["removed"] == []
    assert result["bytes"] == dest.stat().st_size > 0
    from ehtool.store.migrations import latest_version

    assert result["schema_version"] == latest_version()
    assert mode(dest) == 0o600 and mode(dest.parent) == 0o700
    assert integrity_ok(dest)
    assert sorted(os.listdir(dest.parent)) == ["nightly.db"]  # no temporary or side files left
    assert families(run, dest) == families(run, initdb)
    # audited in the live database, by file name only
    entry = run("audit", "--action", "db.backup", "--json").json[-1]
    assert entry["kind"] == "access" and entry["entity_id"] == "nightly.db"
    assert entry["values"] is None and entry["family_id"] is None


def test_backup_prints_the_path_and_never_overwrites(run, initdb, tmp_path):
    dest = tmp_path / "b.db"
    r = run("db", "backup", dest)
    assert r.code == 0 and r.out.strip() == str(dest)
    before = dest.read_bytes()
    r = run("db", "backup", dest)
    assert r.code == 5 and "already exists" in r.err
    assert dest.read_bytes() == before
    assert run("db", "backup", dest, "--dir", tmp_path).code == 2
    assert run("db", "backup", tmp_path / "c.db", "--keep", "3").code == 2


def test_default_folder_is_ehtool_home_backups(run, initdb, ehtool_env):
    r = run("db", "backup", "--json")
    assert r.code == 0, r.err
    path = Path(r.json["path"])
    assert path.parent == ehtool_env / "backups" and BACKUP_RE.match(path.name)
    assert mode(path.parent) == 0o700 and mode(path) == 0o600


def test_keep_rotates_only_ehtool_backups(run, initdb, tmp_path):
    folder = tmp_path / "rot"
    folder.mkdir()
    unrelated = [folder / "notes.txt", folder / "ehtool-mine.db", folder / "ehtool-20000101T000000Z.db.txt"]
    for f in unrelated:
        f.write_text("keep me")
    made = []
    for _ in range(4):
        r = run("db", "backup", "--dir", folder, "--keep", "2", "--json")
        assert r.code == 0, r.err
        made.append(r.json["path"])
        assert Path(r.json["path"]).name.startswith("ehtool-")
    assert len(set(made)) == 4
    remaining = sorted(str(p) for p in folder.iterdir() if BACKUP_RE.match(p.name))
    assert remaining == sorted(made[-2:])
    for f in unrelated:
        assert f.read_text() == "keep me"
    assert r.json["removed"] == [made[1]]


@pytest.mark.slow
def test_backup_while_another_process_writes(run, run_proc, initdb, tmp_path):
    stop = tmp_path / "stop"
    proc = writer(initdb, stop)
    copies = []
    try:
        for i in range(3):
            dest = tmp_path / f"during-{i}.db"
            r = run_proc("db", "backup", dest, "--json")
            assert r.code == 0, r.err
            copies.append(dest)
    finally:
        stop.touch()
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "locked" not in err
    written = int(out.strip().splitlines()[-1])
    # the writer lost nothing
    live = families(run, initdb)
    assert len(live) == written
    assert run("audit", "verify").code == 0
    counts = []
    for copy in copies:
        assert mode(copy) == 0o600 and integrity_ok(copy)
        r = run("db", "check", "--db", copy, "--json")
        assert r.code == 0, r.err
        n = len(families(run, copy))
        # each copy is one consistent snapshot: every family has its audit entry, and vice versa
        assert n == len(run("audit", "--db", copy, "--action", "family.add", "--json").json)
        counts.append(n)
    assert counts == sorted(counts) and counts[0] >= 5 and counts[-1] < written  # taken mid-write


def test_backup_of_a_damaged_database_leaves_no_file(run, family, initdb, tmp_path):
    corrupt(initdb)
    folder = tmp_path / "nightly"
    r = run("db", "backup", "--dir", folder, "--keep", "2")
    assert r.code == 6 and "integrity" in r.err and "Traceback" not in r.err
    assert not folder.exists() or list(folder.iterdir()) == []


def test_backup_from_cron_environment(run_proc, initdb, ehtool_env):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "NO_COLOR": "1",
        "HOME": os.environ.get("HOME", "/"),
        "EHTOOL_DB": str(initdb),
        "EHTOOL_HOME": str(ehtool_env),
    }
    r = run_proc("db", "backup", env=env)
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x1b" not in r.err
    assert Path(r.out.strip()).parent == ehtool_env / "backups"
    r = run_proc("db", "check", env=env)
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\x1b" not in r.err


# -- check -------------------------------------------------------------------
def test_check_reports_ok_on_a_good_database(run, family, initdb):
    r = run("db", "check", "--json")
    assert r.code == 0, r.err
    report = r.json
    assert report["ok"] and report["problems"] == []
    assert report["path"] == str(initdb) and report["mode"] == "0600"
    assert report["integrity"] == ["ok"] and report["foreign_keys"] == []
    assert report["audit"]["ok"] and report["audit"]["entries"] >= 4
    assert report["schema_version"] == report["latest_schema"]
    assert report["bytes"] == initdb.stat().st_size and report["page_count"] > 0
    assert "wal_bytes" in report
    r = run("db", "check")
    assert r.code == 0 and "Integrity" in r.out


def test_check_warns_about_a_readable_file(run, initdb):
    os.chmod(initdb, 0o644)
    r = run("db", "check", "--json")
    assert r.code == 0
    assert r.json["mode"] == "0644" and not r.json["mode_ok"]
    assert "0600" in r.err


def test_check_fails_on_a_corrupted_copy(run, family, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    corrupt(copy)
    r = run("db", "check", "--db", copy)
    assert r.code == 6, r.out + r.err
    assert "integrity" in r.err and "Traceback" not in r.err


def test_check_fails_on_a_tampered_audit_trail(run, family, initdb):
    conn = sqlite3.connect(str(initdb))
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    conn.commit()
    conn.close()
    r = run("db", "check")
    assert r.code == 6
    problems = [line for line in r.err.splitlines() if line.startswith("  - ")]
    assert any("audit trail broken at entry 2" in p for p in problems)
    assert any("triggers are missing" in p for p in problems)


def test_check_on_a_file_that_is_not_sqlite(run, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 200)
    os.chmod(bad, 0o600)
    r = run("db", "check", "--db", bad, "--json")
    assert r.code == 6 and "not an SQLite database" in r.err
    assert run("db", "check", "--db", tmp_path / "missing.db").code == 3


def test_check_on_a_newer_schema(run, initdb):
    conn = sqlite3.connect(str(initdb))
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    r = run("db", "check", "--json")
    assert r.code == 6 and r.json["schema_version"] == 999 and "newer" in r.err


# -- restore -----------------------------------------------------------------
def test_restore_needs_yes_without_a_terminal(run, run_proc, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    before = snapshot(initdb)
    started = time.monotonic()
    r = run_proc("db", "restore", copy, timeout=30)
    assert r.code == 2 and "--yes" in r.err
    assert time.monotonic() - started < 20
    assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))


def test_restore_puts_back_the_old_content(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    old = families(run, initdb)
    assert run("family", "add", "--name", "Later family", "--postcode", "CR0 3AB").code == 0
    newer = families(run, initdb)
    assert len(newer) == len(old) + 1
    r = run("db", "restore", copy, "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["db"] == str(initdb) and r.json["integrity"] == "ok"
    assert families(run, initdb) == old
    replaced = Path(r.json["replaced"])
    assert re.fullmatch(re.escape(initdb.name) + r"\.replaced-\d{8}T\d{6}Z", replaced.name)
    assert replaced.parent == initdb.parent and mode(replaced) == 0o600
    assert families(run, replaced) == newer
    assert mode(initdb) == 0o600
    check = run("db", "check", "--json")
    assert check.code == 0, check.err
    assert run("audit", "--action", "db.restore", "--json").json[-1]["entity_id"] == "copy.db"


def test_restore_of_a_file_that_is_not_sqlite_changes_nothing(run, family, initdb, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"definitely not sqlite" * 300)
    before = snapshot(initdb)
    r = run("db", "restore", bad, "--yes")
    assert r.code == 4 and "not an SQLite database" in r.err
    assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))
    assert run("db", "restore", tmp_path / "missing.db", "--yes").code == 3


def test_restore_of_a_damaged_or_foreign_database_changes_nothing(run, family, initdb, tmp_path):
    damaged = tmp_path / "damaged.db"
    backup_to(run, damaged)
    corrupt(damaged)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(str(foreign))
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    before = snapshot(initdb)
    for candidate in (damaged, foreign):
        r = run("db", "restore", candidate, "--yes")
        assert r.code == 4, r.err
        assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))


def test_restore_of_a_newer_schema_is_refused(run, family, initdb, tmp_path):
    copy = tmp_path / "newer.db"
    backup_to(run, copy)
    conn = sqlite3.connect(str(copy))
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = snapshot(initdb)
    r = run("db", "restore", copy, "--yes")
    assert r.code == 6 and "newer ehtool" in r.err
    assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))


def test_restore_over_an_unreadable_database(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    old = families(run, initdb)
    initdb.write_bytes(b"garbage" * 1000)
    r = run("db", "restore", copy, "--yes", "--json")
    assert r.code == 0, r.err
    assert Path(r.json["replaced"]).read_bytes() == b"garbage" * 1000
    assert mode(r.json["replaced"]) == 0o600
    assert families(run, initdb) == old
    assert run("db", "check").code == 0


def test_restore_of_a_backup_with_another_page_size(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    conn = sqlite3.connect(str(copy))
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    old = families(run, initdb)
    assert run("family", "add", "--name", "Later family", "--postcode", "CR0 3AB").code == 0
    r = run("db", "restore", copy, "--yes")
    assert r.code == 0, r.err
    assert families(run, initdb) == old
    assert run("db", "check").code == 0
    assert not [p for p in initdb.parent.iterdir() if p.name.endswith(".part")]


def test_restore_while_another_process_writes(run, run_proc, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    assert run("family", "add", "--name", "Before family", "--postcode", "CR0 3AB").code == 0
    backup_to(run, copy)
    stop = tmp_path / "stop"
    proc = writer(initdb, stop)
    try:
        r = run_proc("db", "restore", copy, "--yes", "--json")
    finally:
        stop.touch()
        out, err = proc.communicate(timeout=120)
    assert r.code == 0, r.err
    assert proc.returncode == 0, err  # the writer carried on against the restored database
    rows = families(run, initdb)
    assert "Before family" in {f["name"] for f in rows}
    assert len(rows) < 1 + int(out.strip().splitlines()[-1])  # its earlier writes were replaced
    check = run("db", "check", "--json")
    assert check.code == 0, check.err
    replaced = Path(r.json["replaced"])
    assert mode(replaced) == 0o600 and integrity_ok(replaced)


def test_restore_into_a_missing_database(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    old = families(run, initdb)
    fresh = tmp_path / "new-home" / "ehtool.db"
    r = run("db", "restore", copy, "--yes", "--db", fresh, "--json")
    assert r.code == 0, r.err
    assert r.json["replaced"] is None
    assert mode(fresh) == 0o600 and mode(fresh.parent) == 0o700
    assert families(run, fresh) == old


def test_db_help_lists_the_commands(run):
    r = run("db", "--help")
    assert r.code == 0
    for name in ("backup", "check", "restore"):
        assert name in r.out
    out = json.dumps(r.out)
    assert "\\u001b" not in out


def test_restore_asks_on_a_terminal_and_no_changes_nothing(run, family, initdb, tmp_path, keys):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    assert run("family", "add", "--name", "Later family", "--postcode", "CR0 3AB").code == 0
    before = snapshot(initdb)
    keys.send_text("n")
    r = run("db", "restore", copy)
    assert r.code == 130 and "nothing was changed" in r.err
    assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))
    keys.send_text("y")
    r = run("db", "restore", copy)
    assert r.code == 0, r.err
    assert "Later family" not in {f["name"] for f in families(run, initdb)}
