"""`ehtool demo` always runs, writes what it says, and touches no other database."""

from __future__ import annotations

import re
import stat
import zipfile


def test_demo_runs_end_to_end(run, tmp_path, db_path):
    folder = tmp_path / "demo"
    r = run("demo", "--dir", folder, "--families", "12")
    assert r.code == 0, r.err
    assert "SIGNIFICANT HARM" in r.err
    db = folder / "ehtool.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for pattern in (
        "*-one-family-plan.md",
        "*-one-family-plan.html",
        "*-one-family-plan.docx",
        "panel-agenda-*.xlsx",
        "board-report-*.xlsx",
    ):
        found = list(folder.glob(pattern))
        assert found, pattern
        for path in found:
            assert str(path) in r.out
    assert zipfile.is_zipfile(next(folder.glob("*.docx")))
    assert not db_path.exists()  # the user's own database was never created
    listing = run("family", "list", "--db", db, "--json").json
    assert len(listing) == 12 and all(f["level"] for f in listing)
    decided = run("panel", "show", "P000001", "--db", db, "--json").json["items"]
    assert decided and all(i["decision"] for i in decided)
    assert run("audit", "verify", "--db", db).code == 0
    _siblings_and_a_referral(run, db, r.err + r.out)


def _siblings_and_a_referral(run, db, said: str) -> None:
    """A family with a baby and a teenager at different levels, and a Level 3 family whose
    record is a referral, not a plan."""
    siblings = re.search(r"(F\d{6}): siblings at different levels", said).group(1)
    referred = re.search(r"(F\d{6}): Level 3 \S+ \S+ routes to a referral", said).group(1)
    assert siblings != referred
    kids = run("assess", "list", siblings, "--db", db, "--json").json[-1]["children"]
    members = {m["id"]: m for m in run("family", "show", siblings, "--db", db, "--json").json["members"]}
    ages = sorted((members[c["member_id"]]["dob"], c["level"]) for c in kids)
    assert ages[0][0] < "2013-12-02" and ages[-1][0] > "2025-12-02"  # a teenager and a baby
    assert ages[0][1] != ages[-1][1]
    latest = run("assess", "list", referred, "--db", db, "--json").json[-1]
    assert latest["level"] == "3" and latest["route"] == "referral"
    [referral] = run("referral", "list", referred, "--db", db, "--json").json["referrals"]
    assert referral["to"] == "front-door" and referral["member_ids"]
    assert run("plan", "show", referred, "--db", db).code == 3  # a referral, not a plan
