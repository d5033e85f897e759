"""The family register through the real CLI: contract keys, validation, literal data."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import snapshot

HOSTILE = [
    "[bold red]Markup[/bold red] family",
    '=HYPERLINK("http://example.org","click")',
    '<script>alert(1)</script> & Co\'s "household"',
    "Robert'); DROP TABLE families;--",
    "Zoë 👶🏽 Ńowak-Ōkafor",
    "+44 -1 @SUM(A1) %s {0} {{ name }}",
]


def test_add_prints_reference_and_json_contract(run, initdb):
    r = run(
        "family",
        "add",
        "--name",
        "Adeyemi family",
        "--postcode",
        "cr7 8ab",
        "--locality",
        "Central",
        "--address",
        "1 Example Road\nCroydon",
        "--language",
        "Yoruba",
        "--interpreter",
        "--referral-source",
        "health visitor",
        "--referral-date",
        "03/10/2026",
        "--referral-reason",
        "Low mood",
        "--lead",
        "Kim Lead",
        "--json",
    )
    assert r.code == 0, r.err
    rec = r.json
    for key in (
        "id",
        "name",
        "postcode",
        "locality",
        "status",
        "members",
        "address",
        "language",
        "interpreter",
        "referral_source",
        "referral_date",
        "referral_reason",
        "lead",
        "notes",
        "level",
    ):
        assert key in rec, key
    assert rec["id"] == "F000001"
    assert rec["postcode"] == "CR7 8AB"
    assert rec["locality"] == "Central"
    assert rec["referral_date"] == "2026-10-03"
    assert rec["interpreter"] is True
    assert rec["status"] == "open"
    assert rec["members"] == []
    plain = run("family", "add", "--name", "Second family")
    assert plain.code == 0 and plain.out.strip() == "F000002"


def test_show_members_ages_and_json_keys(run, family):
    r = run("family", "show", family, "--json")
    assert r.code == 0, r.err
    rec = r.json
    assert [m["role"] for m in rec["members"]] == ["parent", "child"]
    for m in rec["members"]:
        assert {"id", "name", "role", "dob", "age", "family_id"} <= set(m)
    child = next(m for m in rec["members"] if m["role"] == "child")
    assert child["dob"] == "2017-04-02" and isinstance(child["age"], int) and child["age"] >= 9
    text = run("family", "show", family.lower().replace("f0000", "F"))
    assert text.code == 0 and "Rowan Testwood" in text.out and "Members" in text.out


def test_list_filters_and_formats(run, initdb):
    for name, loc, lead in [
        ("Alpha family", "north", "Ann Lead"),
        ("Beta family", "south", "Bo Lead"),
        ("Gamma family", "north", "Bo Lead"),
    ]:
        assert run("family", "add", "--name", name, "--locality", loc, "--lead", lead).code == 0
    rows = run("family", "list", "--json").json
    assert [r["id"] for r in rows] == ["F000001", "F000002", "F000003"]
    assert {"id", "name", "locality", "status", "level"} <= set(rows[0])
    assert [r["name"] for r in run("family", "list", "--locality", "North", "--json").json] == [
        "Alpha family",
        "Gamma family",
    ]
    assert [r["name"] for r in run("family", "list", "--lead", "bo", "--locality", "north", "--json").json] == [
        "Gamma family"
    ]
    assert [r["id"] for r in run("family", "list", "--search", "beta", "--json").json] == ["F000002"]
    assert [r["id"] for r in run("family", "list", "--search", "F000003", "--json").json] == ["F000003"]
    assert len(run("family", "list", "--limit", "2", "--json").json) == 2
    csv_out = run("family", "list", "--csv").out.splitlines()
    assert csv_out[0].startswith("id,name,postcode,locality,status,level")
    assert len(csv_out) == 4
    assert run("family", "list", "--status", "shut").code == 4


def test_search_matches_member_names(run, family):
    assert [r["id"] for r in run("family", "list", "--search", "rowan", "--json").json] == [family]
    assert run("family", "list", "--search", "%", "--json").json == []


def test_edit_close_reopen(run, family):
    r = run("family", "edit", family, "--lead", "New Lead", "--postcode", "sm1 1aa", "--json")
    assert r.code == 0, r.err
    assert r.json["lead"] == "New Lead" and r.json["postcode"] == "SM1 1AA"
    assert run("family", "close", family, "--reason", "needs-met", "--date", "2026-11-01").code == 0
    shown = run("family", "show", family, "--json").json
    assert shown["status"] == "closed" and shown["closed_reason"] == "needs-met" and shown["closed_on"] == "2026-11-01"
    assert run("family", "close", family, "--reason", "needs-met").code == 5
    assert run("family", "list", "--status", "closed", "--json").json[0]["id"] == family
    assert run("family", "reopen", family).code == 0
    assert run("family", "show", family, "--json").json["status"] == "open"


@pytest.mark.parametrize(
    "args, field",
    [
        (["--name", "X", "--postcode", "NOT A POSTCODE"], "postcode"),
        (["--name", "X", "--referral-date", "01/02/03"], "referral_date"),
        (["--name", "X", "--referral-date", "2024-02-30"], "referral_date"),
        (["--name", "X", "--locality", "Atlantis"], "locality"),
        (["--postcode", "CR0 1AB"], "name"),
        (["--name", "   "], "name"),
    ],
)
def test_invalid_family_is_rejected_and_nothing_changes(run, initdb, args, field):
    before = snapshot(initdb)
    r = run("family", "add", *args)
    assert r.code == 4, (r.out, r.err)
    assert field in r.err and "Traceback" not in r.err
    assert snapshot(initdb) == before


@pytest.mark.parametrize(
    "args, field",
    [
        (["--name", "A", "--role", "sibling"], "role"),
        (["--name", "A", "--role", "child", "--dob", "2999-01-01"], "date of birth"),
        (["--name", "A", "--role", "child", "--dob", "1/2/03"], "date of birth"),
        (["--name", "A", "--role", "child", "--nhs-number", "943 476 5918"], "NHS"),
        (["--name", "A", "--role", "unborn", "--dob", "2020-01-01"], "due"),
        (["--name", "A", "--role", "child", "--upn", "A12345678901Z"], "UPN"),
    ],
)
def test_invalid_member_is_rejected_and_nothing_changes(run, family, initdb, args, field):
    before = snapshot(initdb)
    r = run("member", "add", family, *args)
    assert r.code == 4, (r.out, r.err)
    assert field.lower() in r.err.lower()
    assert snapshot(initdb) == before


def test_member_edit_and_remove(run, family):
    members = run("family", "show", family, "--json").json["members"]
    child = next(m for m in members if m["role"] == "child")
    r = run("member", "edit", child["id"], "--school", "Example Primary", "--send", "--json")
    assert r.code == 0, r.err
    assert r.json["school"] == "Example Primary" and r.json["send"] is True
    assert run("member", "remove", child["id"]).code == 0
    assert len(run("family", "show", family, "--json").json["members"]) == 1
    assert run("member", "remove", child["id"]).code == 3


def test_not_found_and_bad_reference(run, initdb):
    r = run("family", "show", "F999999")
    assert r.code == 3 and "F999999" in r.err
    assert run("family", "show", "X12").code == 4
    assert run("member", "add", "F000404", "--name", "A", "--role", "child").code == 3


def test_duplicates_flagged_unless_allowed(run, family):
    r = run("family", "add", "--name", "Testwood Family", "--postcode", "cr0 2ab")
    assert r.code == 5 and family in r.err and "--allow-duplicate" in r.err
    assert "Testwood" not in r.err  # the message names references, not people
    assert run("family", "add", "--name", "Testwood Family", "--postcode", "cr0 2ab", "--allow-duplicate").code == 0
    r = run("member", "add", family, "--name", "Rowan Testwod", "--role", "child", "--dob", "2017-04-02")
    assert r.code == 5 and "M0000" in r.err
    # a different name on the same date of birth is not a duplicate
    assert run("member", "add", family, "--name", "Morgan Other", "--role", "child", "--dob", "2017-04-02").code == 0


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stored_and_shown_literally(run, initdb, name):
    r = run("family", "add", "--name", name, "--notes", name)
    assert r.code == 0, r.err
    ref = r.out.strip()
    assert run("family", "show", ref, "--json").json["name"] == name
    assert name in run("family", "show", ref).out
    assert name in run("family", "list").out
    assert run("family", "list", "--json").json[0]["name"] == name


def test_control_characters_never_reach_the_terminal(run, initdb):
    r = run("family", "add", "--name", "Evil\x1b[2J\x07 family")
    assert r.code == 0
    shown = run("family", "show", r.out.strip()).out
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Evil" in shown


def test_missing_database_never_created(run, db_path):
    r = run("family", "list")
    assert r.code == 3 and "ehtool init" in r.err
    assert not db_path.exists()


def test_init_refuses_existing_and_unknown_profile(run, initdb, tmp_path):
    assert run("init").code == 5
    other = tmp_path / "other" / "x.db"
    r = run("init", "--profile", "atlantis", "--db", other)
    assert r.code == 3 and "croydon" in r.err
    assert not other.exists()


def test_file_and_folder_modes_regardless_of_umask(run, tmp_path):
    old = os.umask(0)
    try:
        target = tmp_path / "fresh" / "deep" / "e.db"
        assert run("init", "--db", target).code == 0
        assert run("family", "add", "--name", "Mode family", "--db", target).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    for side in ("-wal", "-shm"):
        p = target.with_name(target.name + side)
        if p.exists():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_global_db_option_before_the_command(run, tmp_path):
    target = tmp_path / "g.db"
    assert run("--db", target, "init").code == 0
    assert run("--db", target, "family", "add", "--name", "Global family").code == 0
    assert run("family", "list", "--db", target, "--json").json[0]["name"] == "Global family"


def test_every_write_is_audited_with_who_and_fields(run, family):
    entries = run("audit", "--json").json
    actions = [e["action"] for e in entries]
    assert actions[:4] == ["database.init", "family.add", "member.add", "member.add"]
    add = entries[1]
    from ehtool.store.connection import login_name

    who = "test.coordinator" if login_name() == "test.coordinator" else f"test.coordinator (login {login_name()})"
    assert add["actor"] == who and add["family_id"] == family
    assert "name" in add["fields"] and add["at"].endswith("Z")
    run("family", "edit", family, "--lead", "Changed Lead")
    edit = run("audit", "--family", family, "--action", "family.edit", "--json").json
    assert len(edit) == 1 and edit[0]["fields"] == ["lead"]
    assert edit[0]["values"]["lead"] == ["Pat Keyworker", "Changed Lead"]
