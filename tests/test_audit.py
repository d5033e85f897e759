"""The audit trail: append-only, hash-chained, tamper-evident."""

from __future__ import annotations

import sqlite3

import pytest


def _conn(path):
    return sqlite3.connect(str(path))


def test_triggers_refuse_update_and_delete(family, initdb):
    conn = _conn(initdb)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    conn.close()


def test_verify_passes_then_detects_an_edited_entry(run, family, initdb):
    r = run("audit", "verify", "--json")
    assert r.code == 0 and r.json["ok"] and r.json["entries"] >= 4
    conn = _conn(initdb)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    conn.commit()
    conn.close()
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == 2


def test_verify_detects_edited_values(run, family, initdb):
    conn = _conn(initdb)
    conn.execute("UPDATE audit_values SET data = replace(data, 'Testwood', 'Other') WHERE audit_id = 2")
    conn.commit()
    conn.close()
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == 2


def test_head_detects_entries_removed_from_the_end(run, family, initdb):
    head = run("audit", "head").out.strip()
    assert len(head) == 64
    assert run("audit", "verify", "--head", head).code == 0
    run("family", "edit", family, "--lead", "Someone New")
    assert run("audit", "verify", "--head", head).code == 0  # entries added since: fine
    newest = run("audit", "head").out.strip()
    conn = _conn(initdb)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)")
    conn.commit()
    conn.close()
    assert run("audit", "verify").code == 0  # the remaining chain is intact...
    assert run("audit", "verify", "--head", newest).code == 6  # ...but the stored head shows the loss


def test_deleting_from_the_middle_is_detected(run, family, initdb):
    conn = _conn(initdb)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = 2")
    conn.commit()
    conn.close()
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == 3


def test_views_are_audited_as_access(run, family):
    run("family", "show", family)
    entries = run("audit", "--family", family, "--json").json
    access = [e for e in entries if e["kind"] == "access"]
    assert access and access[-1]["action"] == "family.show"
