"""Crash safety and load, in real processes: kill -9 never corrupts or half-applies,
many writers lose nothing, a full disk leaves no partial file."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

WORKERS = Path(__file__).parent / "workers.py"
FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1.db"


def env():
    return dict(os.environ, PYTHONPATH=str(Path(__file__).parent) + os.pathsep + str(ROOT))


def integrity(db: Path) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def kill_after(cmd: list[str], delay: float) -> int:
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                         env=env())
    time.sleep(delay)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    return p.wait()


@pytest.fixture
def import_file(tmp_path):
    from ehtool import synthetic

    families = synthetic.generate_families(1500, seed=3)
    path = tmp_path / "many.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        synthetic.write_rows(synthetic.to_rows(families), fh, "csv", synthetic.FAMILY_COLUMNS + synthetic.MEMBER_COLUMNS)
    return path, len(families), len(synthetic.to_rows(families))


def test_kill_9_at_random_points_never_corrupts_or_half_applies(run, family, initdb, import_file, tmp_path):
    """50+ kills across imports, plan saves, panel read-backs and a migration."""
    rng = random.Random(1126)
    path, n_fam, _ = import_file
    # a plan and a filled-in agenda to replay
    (tmp_path / "a.json").write_text(json.dumps({"indicators": []}))
    from ehtool.domain.thresholds import load_profile

    l2a = next(i.id for i in load_profile("croydon").indicators if i.level == "2a")
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [l2a]}))
    run("assess", "run", family, "--answers", tmp_path / "a.json")
    run("consent", "record", family, "--type", "early-help", "--status", "given")
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("plan", "new", family, "--from", ROOT / "tests" / "fixtures" / "plan.json").code == 0
    run("panel", "schedule", "--locality", "north", "--date", "2026-12-03")
    run("panel", "add", family, "--reason", "review", "--date", "2026-12-03")
    agenda = tmp_path / "agenda.xlsx"
    run("panel", "export", "P000001", "--out", agenda)
    from openpyxl import load_workbook

    wb = load_workbook(agenda)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    ws.cell(row=3, column=headers.index("Decision") + 1, value="Allocate")
    wb.save(tmp_path / "filled.xlsx")

    py = [sys.executable, "-m", "ehtool", "--db", str(initdb)]
    kills = 0
    for i in range(52):
        kind = ("import", "plan", "decisions")[i % 3]
        before_f = count(initdb, "SELECT COUNT(*) FROM families")
        before_v = count(initdb, "SELECT MAX(version) FROM plans")
        before_audit = count(initdb, "SELECT COUNT(*) FROM audit")
        if kind == "import":
            kill_after(py + ["family", "import", str(path), "--allow-duplicate"], rng.uniform(0.05, 1.2))
            after = count(initdb, "SELECT COUNT(*) FROM families")
            assert after in (before_f, before_f + n_fam), f"half-applied import: {before_f} -> {after}"
        elif kind == "plan":
            kill_after(py + ["plan", "edit", family, "--worries", f"round {i}"], rng.uniform(0.05, 0.5))
            after = count(initdb, "SELECT MAX(version) FROM plans")
            assert after in (before_v, before_v + 1)
            versions = count(initdb, "SELECT COUNT(*) FROM plan_versions")
            assert versions == after  # every version saved with its snapshot, or neither
        else:
            kill_after(py + ["panel", "decisions", str(tmp_path / "filled.xlsx")], rng.uniform(0.05, 0.8))
        assert integrity(initdb) == "ok"
        assert count(initdb, "SELECT COUNT(*) FROM audit") >= before_audit
        kills += 1
    assert kills >= 50
    assert run("audit", "verify").code == 0


def test_kill_9_during_migration(tmp_path):
    rng = random.Random(7)
    for i in range(6):
        db = tmp_path / f"old{i}.db"
        shutil.copy(FIXTURE, db)
        os.chmod(db, 0o600)
        kill_after([sys.executable, "-m", "ehtool", "--db", str(db), "family", "list"], rng.uniform(0.0, 0.4))
        assert integrity(db) == "ok"
        version = count(db, "PRAGMA user_version")
        from ehtool.store.migrations import latest_version

        assert version in (1, latest_version())
        r = subprocess.run([sys.executable, "-m", "ehtool", "--db", str(db), "family", "list", "--json"],
                           capture_output=True, text=True, env=env())
        assert r.returncode == 0 and len(json.loads(r.stdout)) == 3


def test_many_writers_alongside_exports_lose_nothing(run, initdb, family, tmp_path):
    writers, each = 8, 200
    run("consent", "record", family, "--type", "panel", "--status", "given")
    run("panel", "schedule", "--locality", "north", "--date", "2026-12-03")
    run("panel", "add", family, "--reason", "review", "--date", "2026-12-03")
    procs = [subprocess.Popen([sys.executable, str(WORKERS), "add", str(initdb), str(w), str(each)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
             for w in range(writers)]
    exports = 0
    while any(p.poll() is None for p in procs):
        r = subprocess.run([sys.executable, "-m", "ehtool", "--db", str(initdb), "panel", "export", "P000001",
                            "--out", str(tmp_path / f"agenda{exports}.xlsx")], capture_output=True, text=True,
                           env=env())
        assert r.returncode == 0, r.stderr
        exports += 1
    for p in procs:
        _, err = p.communicate()
        assert p.returncode == 0, err
        assert "locked" not in err
    assert exports >= 1
    assert count(initdb, "SELECT COUNT(*) FROM families") == writers * each + 1
    assert run("audit", "verify").code == 0


def test_two_processes_read_modify_write_1000_each(run, family, initdb):
    rounds = 1000
    procs = [subprocess.Popen([sys.executable, str(WORKERS), "increment", str(initdb), family, str(rounds)],
                              stderr=subprocess.PIPE, text=True, env=env()) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    notes = run("family", "show", family, "--json").json["notes"]
    assert len(notes) == 2 * rounds


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_during_export_leaves_no_partial_file(run, initdb, tmp_path):
    """The file-size limit stands in for a full disk: big enough for the database's
    shared-memory file, too small for the agenda workbook."""
    rng = random.Random(5)
    run("panel", "schedule", "--locality", "north", "--date", "2026-12-03")
    for n in range(12):
        ref = run("family", "add", "--name", f"Diskfull{n} family", "--locality", "north").out.strip()
        run("consent", "record", ref, "--type", "panel", "--status", "given")
        notes = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(3900))
        assert run("panel", "add", ref, "--reason", "review", "--date", "2026-12-03", "--notes", notes).code == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    existing = out_dir / "agenda.xlsx"
    existing.write_bytes(b"the previous agenda")
    before = count(initdb, "SELECT COUNT(*) FROM audit")
    r = subprocess.run([sys.executable, "-m", "ehtool", "--db", str(initdb), "panel", "export", "P000001",
                        "--out", str(existing)], capture_output=True, text=True, env=env(),
                       preexec_fn=_limit_file_size(40_000))
    assert r.returncode == 7, r.stderr
    assert "Traceback" not in r.stderr and "Nothing further was saved" in r.stderr
    assert existing.read_bytes() == b"the previous agenda"
    assert sorted(p.name for p in out_dir.iterdir()) == ["agenda.xlsx"]  # no temporary left behind
    assert count(initdb, "SELECT COUNT(*) FROM audit") == before  # no export recorded that did not happen
    assert integrity(initdb) == "ok"
    ok = subprocess.run([sys.executable, "-m", "ehtool", "--db", str(initdb), "panel", "export", "P000001",
                         "--out", str(existing)], capture_output=True, text=True, env=env())
    assert ok.returncode == 0 and existing.stat().st_size > 40_000
