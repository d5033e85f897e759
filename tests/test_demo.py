"""`ehtool demo` always runs, writes what it says, and touches no other database."""

from __future__ import annotations

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


def test_demo_refuses_a_folder_with_a_database(run, tmp_path):
    folder = tmp_path / "demo"
    assert run("demo", "--dir", folder, "--families", "6").code == 0
    assert run("demo", "--dir", folder, "--families", "6").code == 5
