"""The store: schema from migrations, old databases, newer ones refused, real concurrent writers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "schema.sql"
FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.db"


def schema_of(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    finally:
        conn.close()
    return (
        f"-- user_version {version}\n-- application_id {app_id}\n"
        + "\n".join(f"-- {t} {n}\n{s};" for t, n, s in rows)
        + "\n"
    )


def test_migrations_from_blank_give_the_exact_schema(initdb):
    actual = schema_of(initdb)
    if os.environ.get("EHTOOL_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual)
    assert actual == GOLDEN.read_text(), "schema changed: add a migration, then EHTOOL_UPDATE_GOLDEN=1 to update"


def test_migrations_are_recorded_by_name(initdb):
    from ehtool.store import migrations

    conn = sqlite3.connect(str(initdb))
    names = [
        r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'ehtool' ORDER BY id")
    ]
    conn.close()
    assert names == [fn.__name__ for _, fn in migrations._REGISTRY]
    assert all(n.startswith("m0") for n in names)


def test_first_release_database_opens_and_keeps_its_data(run, tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    os.chmod(db, 0o600)
    before = {r[0] for r in sqlite3.connect(str(db)).execute("SELECT name FROM families")}
    r = run("family", "list", "--db", db, "--json")
    assert r.code == 0, r.err
    assert {f["name"] for f in r.json} == before and len(before) >= 3
    assert schema_of(db) == GOLDEN.read_text()
    assert run("audit", "verify", "--db", db).code == 0
    assert run("family", "add", "--name", "After upgrade family", "--db", db).code == 0
    backups = list(tmp_path.glob("old.db.schema*.bak"))
    from ehtool.store.migrations import latest_version

    if sqlite3.connect(str(FIXTURE)).execute("PRAGMA user_version").fetchone()[0] < latest_version():
        assert backups and (os.stat(backups[0]).st_mode & 0o777) == 0o600


def test_newer_schema_is_refused_and_not_modified(run, initdb):
    conn = sqlite3.connect(str(initdb))
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = initdb.read_bytes()
    r = run("family", "list")
    assert r.code == 6 and "newer ehtool" in r.err
    assert initdb.read_bytes() == before


def test_not_a_database(run, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    r = run("family", "list", "--db", bad)
    assert r.code == 6 and "Traceback" not in r.err


def test_symlinked_database_refused_unless_allowed(run, initdb, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(initdb)
    r = run("family", "list", "--db", link)
    assert r.code == 6 and "symbolic link" in r.err
    assert run("--allow-unsafe-location", "family", "list", "--db", link).code == 0


def test_pragmas(initdb):
    from ehtool.store import open_store

    store = open_store(initdb)
    try:
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.scalar("PRAGMA foreign_keys") == 1
        assert store.scalar("PRAGMA synchronous") == 2  # FULL
        assert store.scalar("PRAGMA busy_timeout") >= 5000
    finally:
        store.close()


def _spawn(*args):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent) + os.pathsep + str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "workers.py"), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_concurrent_writers_lose_nothing(run, initdb):
    workers, each = 6, 40
    procs = [_spawn("add", initdb, w, each) for w in range(workers)]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        assert "locked" not in err
    rows = run("family", "list", "--json").json
    assert len(rows) == workers * each
    assert run("audit", "verify").code == 0
    assert len(run("audit", "--action", "family.add", "--json").json) == workers * each


def test_read_modify_write_in_two_processes_ends_exactly_right(run, family, initdb):
    rounds = 150
    procs = [_spawn("increment", initdb, family, rounds) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    assert len(run("family", "show", family, "--json").json["notes"]) == 2 * rounds
