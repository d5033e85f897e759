"""Every export writes its file and its audit entry as one unit: both, or neither."""

from __future__ import annotations

import sqlite3

import pytest

from ehtool.services import backups, exports
from ehtool.store import open_store


def _audit_count(store) -> int:
    return store.scalar("SELECT COUNT(*) FROM audit")


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.fixture
def store(initdb):
    opened = open_store(initdb)
    yield opened
    opened.close()


def _hold_write_lock(db):
    """Another writer holding the database's write lock (BEGIN IMMEDIATE)."""
    other = sqlite3.connect(str(db), isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    return other


ENTRY = exports.Entry("report.export", "report", values={"file": "out.txt"})


def test_file_and_entry_appear_together(store, tmp_path):
    before = _audit_count(store)
    dest = tmp_path / "out" / "out.txt"
    written = exports.export(store, ENTRY, [(dest, lambda tmp: tmp.write_text("report", encoding="utf-8"))])
    assert written == [dest] and dest.read_text(encoding="utf-8") == "report"
    assert oct(dest.stat().st_mode & 0o777) == "0o600"
    assert _audit_count(store) == before + 1
    assert store.one("SELECT action FROM audit ORDER BY id DESC LIMIT 1")["action"] == "report.export"
    assert _leftovers(dest.parent) == []


def test_a_busy_lock_leaves_neither_file_nor_entry(store, initdb, tmp_path):
    store.conn.execute("PRAGMA busy_timeout = 50")  # fail fast instead of waiting 30 seconds
    before = _audit_count(store)
    dest = tmp_path / "out.txt"
    other = _hold_write_lock(initdb)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            exports.export(store, ENTRY, [(dest, lambda tmp: tmp.write_text("report", encoding="utf-8"))])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not dest.exists()
    assert _leftovers(tmp_path) == []
    assert _audit_count(store) == before


def test_a_failing_writer_leaves_neither(store, tmp_path):
    before = _audit_count(store)
    dest = tmp_path / "out.txt"
    dest.write_text("the previous report", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        exports.export(store, ENTRY, [(dest, broken)])
    assert dest.read_text(encoding="utf-8") == "the previous report"
    assert _leftovers(tmp_path) == []
    assert _audit_count(store) == before


def test_two_files_are_one_unit(store, tmp_path):
    before = _audit_count(store)
    first, second = tmp_path / "a.json", tmp_path / "a.html"

    def broken(tmp):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        exports.export(store, ENTRY, [(first, lambda tmp: tmp.write_text("{}", encoding="utf-8")), (second, broken)])
    assert not first.exists() and not second.exists()
    assert _leftovers(tmp_path) == []
    assert _audit_count(store) == before


def test_a_backup_that_cannot_be_audited_is_removed(store, initdb, tmp_path):
    before = _audit_count(store)
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = _hold_write_lock(initdb)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            backups.backup_database(store, path=tmp_path / "backups" / "copy.db")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not (tmp_path / "backups" / "copy.db").exists()
    assert [p.name for p in (tmp_path / "backups").iterdir()] == []
    assert _audit_count(store) == before
