"""Tampering with the audit trail, in the live database or in a backup, is caught:
`db restore` refuses a backup that fails the checks `db check` makes (exit 6, nothing
changed, `--yes` or not); `audit verify` tells values deleted outside a purge apart from
a lawful purge; a database whose schema text is damaged is reported, never a crash."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import snapshot
from ehtool.store import audit

NEUTERED = "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END"


def backup_to(run, dest) -> None:
    r = run("db", "backup", dest, "--json")
    assert r.code == 0, r.err


def sql(path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(str(path))
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
        conn.commit()
    finally:
        conn.close()


def rows(path, query: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def edit_audit_entry(path, audit_id: int) -> None:
    """Drop the append-only triggers, edit an entry, put the triggers back as they were."""
    triggers = [r[0] for r in rows(path, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'")]
    assert len(triggers) == 2
    sql(
        path,
        "DROP TRIGGER audit_no_update",
        "DROP TRIGGER audit_no_delete",
        f"UPDATE audit SET actor = 'mallory' WHERE id = {int(audit_id)}",
        *triggers,
    )


def damage_schema(path, name: str = "members", text: str = "CREATE TABLE members(((") -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (text, name))
        conn.commit()
    finally:
        conn.close()


def refused_unchanged(run, initdb, candidate, *args) -> str:
    """Restoring ``candidate`` exits 6 and leaves the live database as it was."""
    before = snapshot(initdb)
    r = run("db", "restore", candidate, *args)
    assert r.code == 6, r.out + r.err
    assert "Traceback" not in r.err and "nothing was changed" in r.err
    assert snapshot(initdb) == before
    assert not list(initdb.parent.glob("*.replaced-*"))
    return r.err


def values_ids(path, family_ref: str) -> list[int]:
    return [
        r[0]
        for r in rows(
            path, "SELECT audit_id FROM audit_values WHERE family_id = ? ORDER BY audit_id", (int(family_ref[1:]),)
        )
    ]


def closed_family(run, name: str) -> str:
    r = run("family", "add", "--name", f"{name} family", "--postcode", "CR0 2AB", "--locality", "north")
    assert r.code == 0, r.err
    ref = r.out.strip()
    assert run("member", "add", ref, "--name", f"Kid {name}", "--role", "child", "--dob", "1980-01-01").code == 0
    assert run("family", "edit", ref, "--lead", "Pat Keyworker").code == 0
    assert run("family", "close", ref, "--reason", "needs-met", "--date", "1999-01-01").code == 0
    return ref


# -- (a) an edited entry -------------------------------------------------------------


def test_restore_refuses_a_backup_with_an_edited_entry(run, family, initdb, tmp_path, keys):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    edit_audit_entry(copy, 2)
    err = refused_unchanged(run, initdb, copy, "--yes")
    assert "audit trail broken at entry 2" in err and "edited" in err
    # without --yes, on a terminal: refused before any question is asked
    err = refused_unchanged(run, initdb, copy)
    assert "audit trail broken at entry 2" in err
    r = run("db", "check", "--db", copy, "--json")
    assert r.code == 6 and r.json["audit"]["broken_at"] == 2


# -- (b) the append-only triggers ----------------------------------------------------


def test_restore_refuses_a_backup_without_its_append_only_triggers(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    sql(copy, "DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
    assert run("audit", "verify", "--db", copy).code == 0  # the chain itself is intact
    err = refused_unchanged(run, initdb, copy, "--yes")
    assert "append-only triggers are missing" in err and "audit_no_update" in err


def test_a_neutered_trigger_is_caught_by_check_and_restore(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    sql(copy, "DROP TRIGGER audit_no_delete", NEUTERED)
    err = refused_unchanged(run, initdb, copy, "--yes")
    assert "triggers were altered (audit_no_delete)" in err
    sql(initdb, "DROP TRIGGER audit_no_delete", NEUTERED)
    r = run("db", "check", "--json")
    assert r.code == 6 and not r.json["ok"]
    assert any("altered (audit_no_delete)" in p for p in r.json["problems"])


# -- (c) personal values deleted outside a purge ----------------------------------------


def test_values_deleted_outside_a_purge_are_caught(run, family, initdb, tmp_path):
    victim = values_ids(initdb, family)[1]
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    sql(copy, f"DELETE FROM audit_values WHERE audit_id = {victim}")
    err = refused_unchanged(run, initdb, copy, "--yes")
    assert f"audit trail broken at entry {victim}: its recorded values were deleted outside a purge" in err

    sql(initdb, f"DELETE FROM audit_values WHERE audit_id = {victim}")
    r = run("audit", "verify", "--json")
    assert r.code == 6
    assert r.json["ok"] is False and r.json["broken_at"] == victim
    assert r.json["reason"] == "its recorded values were deleted outside a purge"
    assert set(r.json) == {"ok", "entries", "head", "broken_at", "reason"}
    r = run("audit", "verify")
    assert r.code == 6 and f"BROKEN at entry {victim}: its recorded values were deleted outside a purge" in r.out
    assert run("db", "check").code == 6


def test_a_later_purge_does_not_launder_earlier_deletions(run, initdb):
    ref = closed_family(run, "Launder")
    victim = values_ids(initdb, ref)[0]
    sql(initdb, f"DELETE FROM audit_values WHERE audit_id = {victim}")
    assert run("retention", "purge", ref, "--confirm", ref).code == 0
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == victim and "outside a purge" in r.json["reason"]


def test_deleting_a_purges_own_record_is_caught(run, initdb):
    ref = closed_family(run, "Forget")
    first = values_ids(initdb, ref)[0]
    assert run("retention", "purge", ref, "--confirm", ref).code == 0
    purge_id = run("audit", "--action", "family.purge", "--json").json[0]["id"]
    sql(initdb, f"DELETE FROM audit_values WHERE audit_id = {purge_id}")
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == first
    assert f"purge entry {purge_id}" in r.json["reason"] and "lost its own record" in r.json["reason"]


# -- (d) a lawful purge ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_lawful_purge_verifies_and_its_backup_restores(run, initdb, tmp_path):
    gone = closed_family(run, "Gone")
    kept = closed_family(run, "Kept")
    forced = closed_family(run, "Erased")
    assert run("family", "reopen", forced).code == 0
    removed = values_ids(initdb, gone)
    assert len(removed) >= 3
    assert run("retention", "purge", gone, "--confirm", gone).code == 0
    r = run("retention", "purge", forced, "--confirm", forced, "--force-before-date", "--reason", "Art. 17 request")
    assert r.code == 0, r.err

    purges = run("audit", "--action", "family.purge", "--json").json
    assert [p["entity_id"] for p in purges] == [gone, forced]
    listed = audit.parse_id_ranges(purges[0]["values"]["values_removed"])
    assert sorted(i for lo, hi in listed for i in range(lo, hi + 1)) == removed
    assert "values_removed" in purges[0]["fields"]
    assert values_ids(initdb, kept)  # another family's values stay

    verified = run("audit", "verify", "--json")
    assert verified.code == 0 and verified.json["ok"], verified.json
    assert run("db", "check").code == 0
    copy = tmp_path / "after-purge.db"
    backup_to(run, copy)
    assert run("family", "add", "--name", "Later family", "--postcode", "CR0 3AB").code == 0
    r = run("db", "restore", copy, "--yes", "--json")
    assert r.code == 0, r.err
    assert run("audit", "verify").code == 0 and run("db", "check").code == 0


def test_a_purge_made_before_purges_kept_a_list_still_verifies(run, initdb):
    """An older ehtool's purge recorded no list: it accounts for the values of its
    family's earlier entries, and for nothing else."""
    from ehtool.store import open_store
    from ehtool.store.retention import FAMILY_TABLES

    old = closed_family(run, "Oldpurge")
    other = closed_family(run, "Other")
    fid = int(old[1:])
    store = open_store(initdb)
    try:
        with store.tx():
            for table, where in FAMILY_TABLES:
                store.execute(f"DELETE FROM {table} WHERE {where}", {"fid": fid})
            audit.record(
                store,
                "family.purge",
                entity="family",
                entity_id=old,
                family_id=fid,
                values={
                    "purged_on": "2026-12-02",
                    "deleted": {},
                    "forced": False,
                    "reason": None,
                    "basis": "retention date passed",
                },
            )
    finally:
        store.close()
    assert run("audit", "verify").code == 0
    victim = values_ids(initdb, other)[0]
    sql(initdb, f"DELETE FROM audit_values WHERE audit_id = {victim}")
    r = run("audit", "verify", "--json")
    assert r.code == 6 and r.json["broken_at"] == victim


@given(st.lists(st.integers(min_value=1, max_value=10_000), max_size=60))
def test_id_ranges_round_trip(ids):
    text = audit.id_ranges(ids)
    assert {i for lo, hi in audit.parse_id_ranges(text) for i in range(lo, hi + 1)} == set(ids)
    assert len(text) <= len(",".join(map(str, sorted(set(ids)))))


# -- (e) damaged schema text ---------------------------------------------------------------


def test_check_reports_a_damaged_schema(run, family, initdb, tmp_path):
    copy = tmp_path / "copy.db"
    backup_to(run, copy)
    damage_schema(initdb)
    r = run("db", "check", "--json")
    assert r.code == 6, r.err
    assert r.json["ok"] is False
    assert any(p.startswith("the database's schema is damaged") for p in r.json["problems"]), r.json["problems"]
    r = run("db", "check")
    assert r.code == 6 and "schema is damaged" in r.err and "Traceback" not in r.err
    # the live database with a damaged schema can still be replaced by a good backup
    r = run("db", "restore", copy, "--yes", "--json")
    assert r.code == 0, r.err
    assert r.json["replaced"] and run("db", "check").code == 0


def test_restore_refuses_a_backup_with_a_damaged_schema(run, family, initdb, tmp_path):
    for name, text in (
        ("members", "CREATE TABLE members((("),
        ("audit_no_update", "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELEC; END"),
        ("audit_no_delete", "CREATE TRIGGER audit_no_delete BEFORE DELETE ON nosuch BEGIN SELECT 1; END"),
    ):
        copy = tmp_path / f"damaged-{name}.db"
        backup_to(run, copy)
        damage_schema(copy, name, text)
        err = refused_unchanged(run, initdb, copy, "--yes")
        assert "the database's schema is damaged" in err, err
        r = run("db", "check", "--db", copy)
        assert r.code == 6 and "schema is damaged" in r.err
