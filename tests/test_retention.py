"""Retention: the policy, families due (hand-computed dates), legal holds, and purging
a family for good (every table, the audit chain, the bytes of the database file)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from conftest import snapshot
from ehtool.documents.profiles import load_profile
from ehtool.domain.validators import nhs_check_digit, today_london

CROYDON = load_profile("croydon")
L2A = next(i.id for i in CROYDON.indicators if i.level == "2a")
NAME = "Zqxwvut"  # distinctive, to look for in the raw bytes
PLAN_TEXT = "Qorblatz morning routine"


def nhs(seed: int) -> str:
    n = seed
    while True:
        first9 = f"{n:09d}"[-9:]
        digit = nhs_check_digit(first9)
        if digit is not None:
            return first9 + str(digit)
        n += 1


def add_family(run, name: str, members: list[tuple], closed: str | None = None, **opts) -> str:
    args = ["family", "add", "--name", name, "--locality", "north"]
    for k, val in opts.items():
        args += [f"--{k.replace('_', '-')}", val]
    r = run(*args)
    assert r.code == 0, r.err
    ref = r.out.strip()
    for m in members:
        mname, role, day = m[:3]
        extra = list(m[3:])
        date_flag = [] if day is None else (["--due-date", day] if role == "unborn" else ["--dob", day])
        r = run("member", "add", ref, "--name", mname, "--role", role, *date_flag, *extra)
        assert r.code == 0, r.err
    if closed:
        r = run("family", "close", ref, "--reason", "needs-met", "--date", closed)
        assert r.code == 0, r.err
    return ref


def pk(ref: str) -> int:
    return int(ref[1:])


# -- policy ----------------------------------------------------------------------------


def test_policy_default_and_change(run, initdb):
    shown = run("retention", "policy", "--json").json
    assert {k: shown[k] for k in ("basis", "age", "no_children_years", "default")} == {
        "basis": "youngest-child-age",
        "age": 25,
        "no_children_years": 6,
        "default": True,
    }
    assert "25th birthday" in run("retention", "policy").out
    r = run("retention", "policy", "--age", "21", "--no-children-years", "7", "--json")
    assert r.code == 0, r.err
    assert (r.json["age"], r.json["no_children_years"], r.json["default"]) == (21, 7, False)
    assert run("retention", "policy", "--json").json["age"] == 21
    before = snapshot(initdb)
    assert run("retention", "policy", "--age", "12").code == 4  # would destroy a current child's records
    assert run("retention", "policy", "--no-children-years", "0").code == 4
    assert snapshot(initdb) == before
    entries = run("audit", "--action", "retention.policy", "--json").json
    assert len(entries) == 1 and entries[0]["values"]["retention"][1]["age"] == 21


def test_policy_change_moves_the_dates(run, initdb):
    ref = add_family(run, "Agechange family", [("Kid Agechange", "child", "2000-01-10")], closed="2010-01-01")
    assert run("retention", "due", "--on", "2022-01-01", "--json").json == []
    run("retention", "policy", "--age", "21")
    rows = run("retention", "due", "--on", "2022-01-01", "--json").json
    assert rows == [
        {
            "family_id": ref,
            "closed_on": "2010-01-01",
            "retain_until": "2021-01-10",
            "reason": "youngest child's 21st birthday",
        }
    ]


# -- due -------------------------------------------------------------------------------


@pytest.mark.slow
def test_due_only_closed_families_past_their_date(run, initdb):
    today = today_london()
    due_day = today + dt.timedelta(days=90)
    if (due_day.month, due_day.day) == (2, 29):
        due_day += dt.timedelta(days=1)
    leap = add_family(
        run,
        "Leapday family",
        [("Pat Leapday", "parent", "1975-03-03"), ("Lee Leapday", "child", "2000-02-29")],
        closed="2010-06-01",
    )
    two = add_family(
        run,
        "Twokids family",
        [
            ("Old Twokids", "child", "1990-01-15"),
            ("Young Twokids", "child", "1993-07-20"),
            ("Mum Twokids", "parent", "1970-05-05"),
        ],
        closed="2005-01-01",
    )
    none = add_family(run, "Nokids family", [("Sole Nokids", "other-adult", "1960-01-01")], closed="2015-03-10")
    still_open = add_family(run, "Openfam family", [("Kid Openfam", "child", "1980-01-01")])
    grown = add_family(run, "Grownup family", [("Big Grownup", "child", "1970-01-01")], closed="2001-04-01")
    unborn = add_family(
        run,
        "Expecting family",
        [("Sib Expecting", "child", "2015-01-01"), ("Baby Expecting", "unborn", due_day.isoformat())],
        closed=today.isoformat(),
    )
    nodob = add_family(run, "Nodob family", [("Kid Nodob", "child", None)], closed="2000-01-01")
    teen = add_family(run, "Teenparent family", [("Young Teenparent", "parent", "2005-06-01")], closed="2010-01-01")

    rows = run("retention", "due", "--on", "2026-01-01", "--json").json
    got = {r["family_id"]: r["retain_until"] for r in rows}
    assert got == {
        leap: "2025-03-01",  # 29 Feb 2000 + 25 years: 1 March 2025
        two: "2018-07-20",  # the youngest of two children
        none: "2021-03-10",  # no children: closure + 6 years
        grown: "2001-04-01",  # the child was over 25 at closure: the closure date
        nodob: "2025-01-01",
    }  # no date of birth: counted from closure
    assert [r["family_id"] for r in rows] == [grown, two, none, nodob, leap]  # oldest first
    assert all(set(r) == {"family_id", "closed_on", "retain_until", "reason"} for r in rows)
    text = json.dumps(rows)
    assert "Leapday" not in text and "Twokids" not in text and "2000-02-29" not in text

    # the boundary: kept through retain_until, due the day after
    assert leap not in {r["family_id"] for r in run("retention", "due", "--on", "2025-03-01", "--json").json}
    assert leap in {r["family_id"] for r in run("retention", "due", "--on", "2025-03-02", "--json").json}
    # the teenage parent counts as a child: 25th birthday 2030-06-01
    assert teen not in {r["family_id"] for r in run("retention", "due", "--on", "2030-06-01", "--json").json}
    assert teen in {r["family_id"] for r in run("retention", "due", "--on", "2030-06-02", "--json").json}
    # an unborn child counts from the due date
    until = due_day.replace(year=due_day.year + 25)
    assert unborn not in {r["family_id"] for r in run("retention", "due", "--on", until.isoformat(), "--json").json}
    later = (until + dt.timedelta(days=1)).isoformat()
    assert unborn in {r["family_id"] for r in run("retention", "due", "--on", later, "--json").json}
    # an open family never is, however old its children
    assert still_open not in {r["family_id"] for r in run("retention", "due", "--on", "2999-01-01", "--json").json}

    # retain_until is stored for `ehtool due`; reopening clears it
    conn = sqlite3.connect(str(initdb))
    stored = dict(conn.execute("SELECT id, retain_until FROM families"))
    assert stored[pk(leap)] == "2025-03-01" and stored[pk(still_open)] is None
    assert run("family", "reopen", two).code == 0
    assert two not in {r["family_id"] for r in run("retention", "due", "--on", "2026-01-01", "--json").json}
    assert conn.execute("SELECT retain_until FROM families WHERE id = ?", (pk(two),)).fetchone()[0] is None
    conn.close()
    table = run("retention", "due", "--on", "2026-01-01")
    assert table.code == 0 and leap in table.out and "Kept until" in table.out


def test_retain_until_rules_directly():
    from ehtool.domain.retention import Policy, retain_until

    p = Policy()
    kid = {"role": "child", "dob": "2001-02-28", "due_date": None}
    assert retain_until(status="open", closed_on=None, members=[kid], policy=p)[0] is None
    assert retain_until(status="closed", closed_on="2010-01-01", members=[kid], policy=p)[0] == dt.date(2026, 2, 28)
    assert retain_until(status="closed", closed_on="2010-01-01", members=[], policy=p)[0] == dt.date(2016, 1, 1)
    assert retain_until(status="closed", closed_on="2012-02-29", members=[], policy=Policy(no_children_years=1))[
        0
    ] == dt.date(2013, 3, 1)


# -- legal hold ------------------------------------------------------------------------


def test_legal_hold_excludes_until_released(run, initdb):
    ref = add_family(run, "Holdme family", [("Kid Holdme", "child", "1980-01-01")], closed="1999-01-01")
    assert ref in {r["family_id"] for r in run("retention", "due", "--json").json}
    r = run("retention", "hold", ref, "--reason", "Litigation pending", "--json")
    assert r.code == 0, r.err
    assert r.json["legal_hold"] is True and r.json["legal_hold_reason"] == "Litigation pending"
    assert run("retention", "due", "--json").json == []
    before = snapshot(initdb)
    r = run("retention", "purge", ref, "--confirm", ref)
    assert r.code == 6 and "legal hold" in r.err
    r = run("retention", "purge", ref, "--confirm", ref, "--force-before-date", "--reason", "Erasure request")
    assert r.code == 6 and "release" in r.err
    assert snapshot(initdb) == before
    assert run("retention", "hold", ref).code == 2  # --reason is required
    assert run("retention", "release", ref).code == 0
    assert run("retention", "release", ref).code == 5  # not on hold
    assert ref in {r["family_id"] for r in run("retention", "due", "--json").json}
    actions = [e["action"] for e in run("audit", "--family", ref, "--json").json]
    assert "retention.hold" in actions and "retention.release" in actions


# -- purge: refusals -------------------------------------------------------------------


def test_purge_without_confirm_and_no_terminal_exits_2_at_once(run_proc, run, initdb):
    ref = add_family(run, "Noconfirm family", [("Kid Noconfirm", "child", "1980-01-01")], closed="1999-01-01")
    before = snapshot(initdb)
    r = run_proc("retention", "purge", ref, "--db", initdb)  # stdin is /dev/null
    assert r.code == 2
    assert f"--confirm {ref}" in r.err
    assert snapshot(initdb) == before


def test_wrong_confirm_refused(run, initdb):
    ref = add_family(run, "Wrongconfirm family", [("Kid Wrong", "child", "1980-01-01")], closed="1999-01-01")
    other = add_family(run, "Otherconfirm family", [])
    before = snapshot(initdb)
    for wrong in (other, "F999999", "yes", ""):
        r = run("retention", "purge", ref, "--confirm", wrong)
        assert r.code == 6, (wrong, r.err)
        assert "does not match" in r.err
    assert snapshot(initdb) == before


def test_purge_not_past_date_refused_and_nothing_changes(run, initdb):
    recent = add_family(run, "Recent family", [("Kid Recent", "child", "2015-01-01")], closed="2025-01-01")
    still_open = add_family(run, "Stillopen family", [])
    before = snapshot(initdb)
    r = run("retention", "purge", recent, "--confirm", recent)
    assert r.code == 6 and "2040-01-01" in r.err and "--force-before-date" in r.err
    r = run("retention", "purge", still_open, "--confirm", still_open)
    assert r.code == 6 and "open" in r.err
    assert run("retention", "purge", recent, "--confirm", recent, "--dry-run").code == 6
    # forcing needs a reason
    assert run("retention", "purge", recent, "--confirm", recent, "--force-before-date").code == 2
    assert run("retention", "purge", "F999999", "--confirm", "F999999").code == 3
    assert snapshot(initdb) == before


# -- purge: the real thing -------------------------------------------------------------


def _rich_family(run, tmp_path, name: str, nhs_number: str, plan_text: str, *, closed: str) -> str:
    ref = add_family(
        run,
        f"{name} family",
        [(f"Robin {name}", "child", "1985-03-04", "--nhs-number", nhs_number), (f"Sam {name}", "parent", "1960-07-08")],
        notes=f"Notes about the {name} household",
        postcode="CR0 2AB",
        referral_reason=f"{name} referral reason",
    )
    answers = {"indicators": [L2A], "family_view": f"{name} view", "completed_on": "2000-06-01"}  # Robin was 15
    (tmp_path / "a.json").write_text(json.dumps(answers))
    assert run("assess", "run", ref, "--answers", tmp_path / "a.json").code == 0
    assert run("consent", "record", ref, "--type", "early-help", "--status", "given", "--by", f"Sam {name}").code == 0
    assert run("consent", "record", ref, "--type", "panel", "--status", "given").code == 0
    plan = {
        "lead_professional": "Pat Lead",
        "worries": plan_text,
        "needs_to_happen": "Calm",
        "outcomes": [
            {
                "area": "education",
                "description": f"{name} attends",
                "baseline": 3,
                "target": 8,
                "actions": [{"what": "Chart", "who": "Parent", "due": "2026-12-10"}],
            }
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    r = run("plan", "new", ref, "--from", tmp_path / "plan.json")
    assert r.code == 0, r.err
    r = run("plan", "review", ref, "--date", "2026-11-01", "--score", "1=6", "--notes", f"{name} review notes")
    assert r.code == 0, r.err
    r = run(
        "panel",
        "add",
        ref,
        "--reason",
        "review",
        "--locality",
        "north",
        "--date",
        "2026-12-03",
        "--notes",
        f"{name} panel notes",
    )
    assert r.code == 0, r.err
    r = run("panel", "decide", ref, "--decision", "allocate", "--notes", f"{name} decision", "--allocated-to", "Team A")
    assert r.code == 0, r.err
    assert run("plan", "close", ref, "--reason", "stepped-down", "--date", "2026-11-20").code == 0
    assert run("family", "show", ref).code == 0  # an access entry
    assert run("family", "close", ref, "--reason", "needs-met", "--date", closed).code == 0
    return ref


def _rows_per_table(path, fid: int) -> dict[str, int]:
    """Rows about the family in every table with a family_id column, or reached through plans."""
    conn = sqlite3.connect(str(path))
    try:
        out = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in tables:
            cols = {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')}
            if "family_id" in cols:
                out[t] = conn.execute(f'SELECT COUNT(*) FROM "{t}" WHERE family_id = ?', (fid,)).fetchone()[0]
            elif "plan_id" in cols:
                out[t] = conn.execute(
                    f'SELECT COUNT(*) FROM "{t}" WHERE plan_id IN (SELECT id FROM plans WHERE family_id = ?)', (fid,)
                ).fetchone()[0]
        out["families"] = conn.execute("SELECT COUNT(*) FROM families WHERE id = ?", (fid,)).fetchone()[0]
        return out
    finally:
        conn.close()


def _bytes(path) -> bytes:
    data = b""
    for suffix in ("", "-wal"):
        p = path.parent / (path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data.lower()


@pytest.fixture
def two_families(run, initdb, tmp_path):
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-03").code == 0
    gone = _rich_family(run, tmp_path, NAME, nhs(123456781), PLAN_TEXT, closed="2000-01-01")
    kept = _rich_family(run, tmp_path, "Keepling", nhs(223456781), "Keepling worries", closed="2000-01-01")
    return gone, kept


@pytest.mark.slow
def test_dry_run_shows_counts_and_changes_nothing(run, initdb, two_families):
    gone, _ = two_families
    before = snapshot(initdb)
    r = run("retention", "purge", gone, "--dry-run", "--json")
    assert r.code == 0, r.err
    counts = r.json["would_delete"]
    assert r.json["dry_run"] is True and r.json["due"] is True
    assert counts["families"] == 1 and counts["members"] == 2 and counts["assessments"] == 1
    assert counts["consents"] == 2 and counts["plans"] == 1 and counts["plan_reviews"] == 1
    assert counts["plan_versions"] >= 2 and counts["panel_items"] == 1 and counts["audit_values"] > 5
    table = run("retention", "purge", gone, "--dry-run")
    assert table.code == 0 and "Would delete" in table.out and "Dry run" in table.err
    assert snapshot(initdb) == before


@pytest.mark.slow
def test_purge_removes_everything_about_the_family_and_nothing_else(run, initdb, two_families):
    gone, kept = two_families
    gone_nhs, kept_nhs = nhs(123456781), nhs(223456781)
    before_gone = _rows_per_table(initdb, pk(gone))
    before_kept = _rows_per_table(initdb, pk(kept))
    assert all(
        before_gone[t]
        for t in (
            "families",
            "members",
            "assessments",
            "consents",
            "plans",
            "plan_versions",
            "plan_reviews",
            "panel_items",
            "audit",
            "audit_values",
        )
    )
    raw = _bytes(initdb)
    assert NAME.lower().encode() in raw and gone_nhs.encode() in raw and PLAN_TEXT.lower().encode() in raw
    audit_before = sqlite3.connect(str(initdb)).execute("SELECT COUNT(*) FROM audit").fetchone()[0]

    # an idle reader keeps the -wal file in place, so its bytes can be checked too
    keeper = sqlite3.connect(str(initdb))
    keeper.execute("SELECT COUNT(*) FROM families").fetchone()
    try:
        r = run("retention", "purge", gone, "--confirm", gone, "--json")
        assert r.code == 0, r.err
        assert r.json["scrubbed"] is True and r.json["deleted"]["families"] == 1
        assert (initdb.parent / (initdb.name + "-wal")).exists()
        raw = _bytes(initdb)
        for secret in (NAME.lower(), gone_nhs, PLAN_TEXT.lower(), f"{NAME.lower()} referral reason"):
            assert secret.encode() not in raw, secret
        assert b"keepling" in raw and kept_nhs.encode() in raw
    finally:
        keeper.close()

    after_gone = _rows_per_table(initdb, pk(gone))
    # nothing left but the audit rows and the purge entry's own values (reference, date, counts)
    assert after_gone.pop("audit_values") == 1
    assert {t: n for t, n in after_gone.items() if t != "audit"} == {t: 0 for t in after_gone if t != "audit"}
    assert after_gone["audit"] == before_gone["audit"] + 1  # audit rows stay; one more for the purge
    assert _rows_per_table(initdb, pk(kept)) == before_kept
    conn = sqlite3.connect(str(initdb))
    assert conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == audit_before + 1
    assert conn.execute("SELECT COUNT(*) FROM panels").fetchone()[0] == 1  # the sitting stays
    conn.close()

    assert run("audit", "verify").code == 0
    entries = run("audit", "--family", gone, "--json").json
    purge = [e for e in entries if e["action"] == "family.purge"]
    assert len(purge) == 1
    assert purge[0]["values"]["deleted"]["members"] == 2 and purge[0]["values"]["purged_on"]
    assert all(e["values"] is None for e in entries if e["action"] != "family.purge")
    text = json.dumps(purge[0]).lower()
    assert NAME.lower() not in text and gone_nhs not in text and "1985" not in text and "2010-03-04" not in text
    assert run("family", "show", gone).code == 3
    assert run("family", "show", kept).code == 0
    assert run("retention", "purge", gone, "--confirm", gone).code == 3


def test_forced_purge_for_an_erasure_request(run, initdb):
    ref = add_family(run, "Erasure family", [("Kid Erasure", "child", "2015-01-01")])
    assert run("retention", "purge", ref, "--confirm", ref).code == 6
    r = run("retention", "purge", ref, "--confirm", ref, "--force-before-date", "--reason", "Art. 17 request", "--json")
    assert r.code == 0, r.err
    assert r.json["forced"] is True
    entry = run("audit", "--action", "family.purge", "--json").json[0]
    assert entry["values"]["forced"] is True and entry["values"]["reason"] == "Art. 17 request"
    assert entry["values"]["basis"] == "erasure before the retention date"
    assert run("audit", "verify").code == 0


def test_interactive_confirmation(run, initdb, keys):
    ref = add_family(run, "Typeit family", [("Kid Typeit", "child", "1980-01-01")], closed="1999-01-01")
    before = snapshot(initdb)
    keys.send_text("F1234\r")
    r = run("retention", "purge", ref)
    assert r.code == 6 and "does not match" in r.err and "members: 1" in r.err
    assert snapshot(initdb) == before
    keys.send_text(ref + "\r")
    r = run("retention", "purge", ref)
    assert r.code == 0, r.err
    assert run("family", "show", ref).code == 3
