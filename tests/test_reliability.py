"""Crash safety and load, in real processes: kill -9 inside a write transaction never
corrupts, loses a commit or half-applies; many writers lose nothing; a full disk
leaves no partial file.

The kill tests aim at the writes, not at start-up. A connection of the test's own
tries ``BEGIN IMMEDIATE`` with no wait, which fails ("database is locked") only
while another connection holds the write lock, i.e. is inside its write
transaction. The writer is then frozen (SIGSTOP), the lock checked once more, so
the kill is known to land inside the transaction, and killed with SIGKILL. Each
test counts the kills that landed inside a transaction and asserts on them."""

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
from dataclasses import dataclass
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


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count(db: Path, sql: str, params: tuple = ()) -> int:
    return rows(db, sql, params)[0][0]


def write_lock_held(probe: sqlite3.Connection) -> bool:
    """Does another connection hold the write lock, i.e. is it inside a write
    transaction? ``probe`` waits for nothing (timeout 0), so BEGIN IMMEDIATE
    fails at once exactly then."""
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        # "locking protocol": the frozen writer stopped while changing the WAL index, which it
        # only does inside a write transaction, so the probe cannot read a settled header
        if "database is locked" not in str(exc) and "locking protocol" not in str(exc):
            raise
        return True
    probe.execute("ROLLBACK")
    return False


def _stopped(pid: int, timeout: float = 5.0) -> bool:
    """Wait until SIGSTOP has taken hold of ``pid`` (Linux /proc; a pause elsewhere).
    False if the process ended instead."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.parent.exists():
        time.sleep(0.05)
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = stat.read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            return False
        if state in ("T", "t"):
            return True
        if state in ("Z", "X"):
            return False
        time.sleep(0.0002)
    raise AssertionError(f"process {pid} did not stop within {timeout} s")


@dataclass
class Kill:
    inside: bool  # it held the write lock when it was killed (checked while it was frozen)
    exited: bool  # it finished before a kill could land: nothing was killed
    seen: list | None = None  # the `snapshot` query's rows, read while it was frozen (None: not read)


def kill_inside_write(
    proc: subprocess.Popen, db: Path, *, settle: float = 0.0, snapshot: str | None = None, timeout: float = 20.0
) -> Kill:
    """kill -9 ``proc`` while it holds ``db``'s write lock.

    Polls the lock; once it is held, freezes the writer (SIGSTOP), checks that the
    lock is still held (so it is at the moment of the kill), reads ``snapshot`` as
    any reader would (what is committed), then sends SIGKILL. If the writer let go
    of the lock before it froze, it goes on (SIGCONT) and so does the polling.
    ``settle``: once the lock is first seen, wait this long before aiming, so kills
    land at different points of a long transaction. Past ``timeout`` the writer is
    killed anyway, and that kill is not counted as inside."""
    probe = sqlite3.connect(str(db), timeout=0, isolation_level=None)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if time.monotonic() > deadline:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return Kill(inside=False, exited=False)
            if not write_lock_held(probe):
                continue
            if settle:
                time.sleep(settle)
                settle = 0.0
                continue
            os.kill(proc.pid, signal.SIGSTOP)
            if not _stopped(proc.pid):
                break
            if not write_lock_held(probe):  # it committed and let go before it froze
                os.kill(proc.pid, signal.SIGCONT)
                continue
            seen = None
            if snapshot:
                try:
                    seen = probe.execute(snapshot).fetchall()
                except sqlite3.OperationalError:  # frozen while publishing a commit: cannot be read now
                    pass
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return Kill(inside=True, exited=False, seen=seen)
        proc.wait()
        return Kill(inside=False, exited=True)
    finally:
        probe.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def start(cmd: list, **kwargs) -> subprocess.Popen:
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    return subprocess.Popen(
        [str(c) for c in cmd], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), **kwargs
    )


def assert_enough_inside(inside: int, kills: int, detail: str = "") -> None:
    print(f"\n{inside} of {kills} kills landed inside a write transaction{detail}")
    assert inside >= 5 and 2 * inside >= kills, f"only {inside} of {kills} kills landed inside a write transaction"


@pytest.fixture
def import_file(tmp_path):
    from ehtool import synthetic

    families = synthetic.generate_families(1500, seed=3)
    path = tmp_path / "many.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        synthetic.write_rows(
            synthetic.to_rows(families), fh, "csv", synthetic.FAMILY_COLUMNS + synthetic.MEMBER_COLUMNS
        )
    return path, len(families), len(synthetic.to_rows(families))


# A family without its family.add audit entry (and that entry's recorded values), and the reverse.
FAMILIES_WITHOUT_ENTRY = (
    "SELECT COUNT(*) FROM families f WHERE NOT EXISTS (SELECT 1 FROM audit a JOIN audit_values v"
    " ON v.audit_id = a.id WHERE a.action = 'family.add' AND a.family_id = f.id"
    " AND a.entity_id = printf('F%06d', f.id))"
)
ENTRIES_WITHOUT_FAMILY = (
    "SELECT COUNT(*) FROM audit a WHERE a.action = 'family.add'"
    " AND NOT EXISTS (SELECT 1 FROM families f WHERE f.id = a.family_id)"
)


@pytest.mark.slow
def test_kill_9_inside_small_write_transactions_loses_no_commit_and_half_applies_none(run, initdb):
    """24 writers, each running one small write transaction after another (a family
    and its audit entry, as `family add` writes them), each killed with kill -9
    while it holds the write lock. After every kill: the file is sound, the audit
    chain verifies, every family committed before the kill is there, and the one in
    flight is there whole, with its audit entry, or not at all."""
    rng = random.Random(1126)
    kills = inside = 0
    for k in range(24):
        tag = f"Killed{k}"
        mine = f"SELECT name FROM families WHERE name LIKE '{tag} family %'"
        audit_before = count(initdb, "SELECT COUNT(*) FROM audit")
        writer = start([sys.executable, WORKERS, "add-until-killed", initdb, tag], stdout=subprocess.PIPE)
        with writer.stdout:
            assert writer.stdout.readline() == b"ready\n"  # the store is open: what follows is writing
            time.sleep(rng.uniform(0, 0.15))  # a different number of commits before each kill
            kill = kill_inside_write(writer, initdb, snapshot=mine)
        assert not kill.exited
        kills += 1
        inside += kill.inside
        assert integrity(initdb) == "ok"
        numbers = sorted(int(name.rsplit(" ", 1)[1]) for (name,) in rows(initdb, mine))
        assert numbers == list(range(len(numbers)))  # in order: none lost, none twice
        if kill.seen is not None:  # every commit a reader saw survives; the one in flight may have landed
            assert len(kill.seen) <= len(numbers) <= len(kill.seen) + 1, (len(kill.seen), len(numbers))
        assert count(initdb, FAMILIES_WITHOUT_ENTRY) == 0
        assert count(initdb, ENTRIES_WITHOUT_FAMILY) == 0
        assert count(initdb, "SELECT COUNT(*) FROM audit") == audit_before + len(numbers)
        assert run("audit", "verify").code == 0
    # and the database takes writes again
    assert run("family", "add", "--name", "Afterwards family", "--locality", "north").code == 0
    assert run("audit", "verify").code == 0
    assert_enough_inside(inside, kills)


def _filled_agenda(agenda: Path, out: Path, decision: str) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(agenda)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    ws.cell(row=3, column=headers.index("Decision") + 1, value=decision)
    wb.save(out)
    return out


@pytest.mark.slow
def test_kill_9_inside_import_plan_and_decision_transactions_never_half_applies(
    run, family, initdb, import_file, tmp_path
):
    """The bigger transactions, each killed with kill -9 while it holds the write lock:
    a 1,500-family import (at different points of it), a plan version saved with its
    snapshot, the panel's decisions read back from the agenda workbook."""
    rng = random.Random(1126)
    path, n_fam, n_members = import_file
    from ehtool.documents.profiles import load_profile

    l2a = next(i.id for i in load_profile("croydon").indicators if i.level == "2a")
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [l2a]}))
    assert run("assess", "run", family, "--answers", tmp_path / "a.json").code == 0
    run("consent", "record", family, "--type", "early-help", "--status", "given")
    run("consent", "record", family, "--type", "panel", "--status", "given")
    assert run("plan", "new", family, "--from", ROOT / "tests" / "fixtures" / "plan.json").code == 0
    run("panel", "schedule", "--locality", "north", "--date", "2026-12-03")
    run("panel", "add", family, "--reason", "review", "--date", "2026-12-03")
    agenda = tmp_path / "agenda.xlsx"
    assert run("panel", "export", "P000001", "--out", agenda).code == 0
    filled = {
        d: _filled_agenda(agenda, tmp_path / f"{d}.xlsx", label)
        for d, label in (("allocate", "Allocate"), ("signpost", "Signpost"))
    }

    py = [sys.executable, "-m", "ehtool", "--db", initdb]
    kills = inside = 0
    landed = {"import": 0, "plan": 0, "decisions": 0}
    for i in range(15):
        kind = ("import", "plan", "decisions")[i % 3]
        before_audit = count(initdb, "SELECT COUNT(*) FROM audit")
        if kind == "import":
            before_f = count(initdb, "SELECT COUNT(*) FROM families")
            before_m = count(initdb, "SELECT COUNT(*) FROM members")
            kill = kill_inside_write(
                start(py + ["family", "import", path, "--allow-duplicate"]), initdb, settle=rng.uniform(0, 0.1)
            )
            added = count(initdb, "SELECT COUNT(*) FROM families") - before_f
            assert added in (0, n_fam), f"half-applied import: {added} of {n_fam} families"
            assert count(initdb, "SELECT COUNT(*) FROM members") - before_m == (n_members if added else 0)
            assert count(initdb, "SELECT COUNT(*) FROM audit") - before_audit == (1 if added else 0)
        elif kind == "plan":
            before_v = count(initdb, "SELECT MAX(version) FROM plans")
            kill = kill_inside_write(start(py + ["plan", "edit", family, "--worries", f"round {i}"]), initdb)
            after_v = count(initdb, "SELECT MAX(version) FROM plans")
            assert after_v in (before_v, before_v + 1)
            assert count(initdb, "SELECT COUNT(*) FROM plan_versions") == after_v  # each version with its snapshot
            assert count(initdb, "SELECT COUNT(*) FROM audit") - before_audit == after_v - before_v
        else:
            before_d = count(initdb, "SELECT decision FROM panel_items")
            target = "signpost" if before_d == "allocate" else "allocate"
            kill = kill_inside_write(start(py + ["panel", "decisions", filled[target], "--overwrite"]), initdb)
            after_d = count(initdb, "SELECT decision FROM panel_items")
            assert after_d in (before_d, target)
            assert count(initdb, "SELECT COUNT(*) FROM audit") - before_audit == (after_d != before_d)
            if after_d != before_d:  # recorded with its audit entry, which says what was decided
                data = count(
                    initdb,
                    "SELECT v.data FROM audit a JOIN audit_values v ON v.audit_id = a.id"
                    " WHERE a.action = 'panel.decide' ORDER BY a.id DESC LIMIT 1",
                )
                assert json.loads(data)["decision"] == after_d
        assert integrity(initdb) == "ok"
        assert run("audit", "verify").code == 0
        if not kill.exited:  # (it can finish before the kill lands)
            kills += 1
            inside += kill.inside
            landed[kind] += kill.inside
    assert_enough_inside(inside, kills, " (" + ", ".join(f"{k} {n}" for k, n in landed.items()) + ")")
    assert all(landed.values()), landed


@pytest.mark.slow
def test_kill_9_inside_the_migration_transaction(tmp_path):
    """A release-0.1 database killed while its migration holds the write lock stays
    at its old schema (or is wholly migrated), sound, and opens afterwards."""
    from ehtool.store.migrations import latest_version

    kills = inside = attempts = 0
    while kills < 8 and attempts < 20:  # a migration that finished before the kill could land is tried again
        attempts += 1
        db = tmp_path / f"old{attempts}.db"
        shutil.copy(FIXTURE, db)
        os.chmod(db, 0o600)
        kill = kill_inside_write(
            start([sys.executable, "-m", "ehtool", "--db", db, "family", "list"]), db, snapshot="PRAGMA user_version"
        )
        if not kill.exited:
            kills += 1
            inside += kill.inside and kill.seen == [(1,)]  # the lock was the migration's: not yet committed
        assert integrity(db) == "ok"
        assert count(db, "PRAGMA user_version") in (1, latest_version())
        r = subprocess.run(
            [sys.executable, "-m", "ehtool", "--db", str(db), "family", "list", "--json"],
            capture_output=True,
            text=True,
            env=env(),
        )
        assert r.returncode == 0 and len(json.loads(r.stdout)) == 3
        assert count(db, "PRAGMA user_version") == latest_version()
    assert_enough_inside(inside, kills)


@pytest.mark.slow
def test_many_writers_alongside_exports_lose_nothing(run, initdb, family, tmp_path):
    writers, each = 8, 200
    run("consent", "record", family, "--type", "panel", "--status", "given")
    run("panel", "schedule", "--locality", "north", "--date", "2026-12-03")
    run("panel", "add", family, "--reason", "review", "--date", "2026-12-03")
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "add", str(initdb), str(w), str(each)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for w in range(writers)
    ]
    exports = 0
    while any(p.poll() is None for p in procs):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "ehtool",
                "--db",
                str(initdb),
                "panel",
                "export",
                "P000001",
                "--out",
                str(tmp_path / f"agenda{exports}.xlsx"),
            ],
            capture_output=True,
            text=True,
            env=env(),
        )
        assert r.returncode == 0, r.stderr
        exports += 1
    for p in procs:
        _, err = p.communicate()
        assert p.returncode == 0, err
        assert "locked" not in err
    assert exports >= 1
    assert count(initdb, "SELECT COUNT(*) FROM families") == writers * each + 1
    assert run("audit", "verify").code == 0


@pytest.mark.slow
def test_two_processes_read_modify_write_1000_each(run, family, initdb):
    rounds = 1000
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "increment", str(initdb), family, str(rounds)],
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for _ in range(2)
    ]
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


@pytest.mark.slow
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
    r = subprocess.run(
        [sys.executable, "-m", "ehtool", "--db", str(initdb), "panel", "export", "P000001", "--out", str(existing)],
        capture_output=True,
        text=True,
        env=env(),
        preexec_fn=_limit_file_size(40_000),
    )
    assert r.returncode == 7, r.stderr
    assert "Traceback" not in r.stderr and "Nothing further was saved" in r.stderr
    assert existing.read_bytes() == b"the previous agenda"
    assert sorted(p.name for p in out_dir.iterdir()) == ["agenda.xlsx"]  # no temporary left behind
    assert count(initdb, "SELECT COUNT(*) FROM audit") == before  # no export recorded that did not happen
    assert integrity(initdb) == "ok"
    ok = subprocess.run(
        [sys.executable, "-m", "ehtool", "--db", str(initdb), "panel", "export", "P000001", "--out", str(existing)],
        capture_output=True,
        text=True,
        env=env(),
    )
    assert ok.returncode == 0 and existing.stat().st_size > 40_000
