"""`family import`: formats, all-or-nothing, row-level errors, duplicates, the shipped examples."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import ROOT, snapshot

HEADER = [
    "household",
    "name",
    "postcode",
    "locality",
    "referral_date",
    "lead",
    "member_name",
    "member_role",
    "member_dob",
    "member_nhs_number",
]
GOOD = [
    [
        "H1",
        "Importa family",
        "SM1 2AB",
        "north",
        "2026-05-01",
        "Lee Lead",
        "Kit Importa",
        "child",
        "2016-02-03",
        "9434765919",
    ],
    ["H1", "", "", "", "", "", "Val Importa", "parent", "1985-07-08", ""],
    ["H2", "Second Import household", "CR2 6XH", "South", "01/06/2026", "", "", "", "", ""],
]


def write_csv(path, rows, header=HEADER, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_csv_import_groups_households(run, initdb, tmp_path):
    r = run("family", "import", write_csv(tmp_path / "in.csv", GOOD), "--json")
    assert r.code == 0, r.err
    assert r.json["families"] == 2 and r.json["members"] == 2 and r.json["rows"] == 3
    fams = run("family", "list", "--json").json
    assert [f["name"] for f in fams] == ["Importa family", "Second Import household"]
    shown = run("family", "show", fams[0]["id"], "--json").json
    assert sorted(m["name"] for m in shown["members"]) == ["Kit Importa", "Val Importa"]
    assert fams[1]["locality"] == "South"
    assert run("audit", "--action", "family.import", "--json").json[0]["entity_id"] == "F000001..F000002"


def test_tsv_json_and_xlsx(run, initdb, tmp_path):
    assert run("family", "import", write_csv(tmp_path / "in.tsv", GOOD[:1], delimiter="\t")).code == 0
    nested = [
        {
            "name": "Nested family",
            "postcode": "SE5 9AA",
            "members": [
                {"name": "Ari Nested", "role": "child", "dob": "2019-01-01"},
                {"name": "Bo Nested", "role": "carer"},
            ],
        }
    ]
    (tmp_path / "in.json").write_text(json.dumps(nested))
    r = run("family", "import", tmp_path / "in.json", "--json")
    assert r.code == 0, r.err
    assert r.json["members"] == 2
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Families"
    ws.append(["name", "postcode", "referral_date", "member_name", "member_role", "member_dob"])
    import datetime as dt

    ws.append(["Xlsx family", "SW19 1AA", dt.datetime(2026, 4, 1), "Cy Xlsx", "child", dt.datetime(2015, 3, 3)])
    wb.save(tmp_path / "in.xlsx")
    r = run("family", "import", tmp_path / "in.xlsx", "--json")
    assert r.code == 0, r.err
    fam = run("family", "list", "--search", "xlsx", "--json").json[0]
    shown = run("family", "show", fam["id"], "--json").json
    assert shown["referral_date"] == "2026-04-01" and shown["members"][0]["dob"] == "2015-03-03"


def test_one_bad_row_means_nothing_written_and_every_problem_reported(run, initdb, tmp_path):
    rows = [r[:] for r in GOOD] + [
        ["H3", "Bad postcode family", "QQ", "", "", "", "", "", "", ""],
        ["H4", "Bad member family", "", "", "2026-01-01", "", "Zed Bad", "cousin", "31/02/2015", "1234567890"],
    ]
    before = snapshot(initdb)
    r = run("family", "import", write_csv(tmp_path / "bad.csv", rows))
    assert r.code == 4
    assert "Nothing was imported" in r.err
    assert "row 5, column postcode" in r.err
    assert "row 6, column member_role" in r.err
    assert "row 6, column member_dob" in r.err
    assert "row 6, column member_nhs_number" in r.err
    assert snapshot(initdb) == before


def test_dry_run_writes_nothing(run, initdb, tmp_path):
    before = snapshot(initdb)
    r = run("family", "import", write_csv(tmp_path / "in.csv", GOOD), "--dry-run", "--json")
    assert r.code == 0 and r.json["dry_run"] is True and r.json["families"] == 2
    assert snapshot(initdb) == before


def test_unknown_column_and_unreadable_files(run, initdb, tmp_path):
    r = run(
        "family",
        "import",
        write_csv(tmp_path / "typo.csv", [["X family", "2026-01-01"]], header=["name", "referal_date"]),
    )
    assert r.code == 4 and "referal_date" in r.err
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    assert run("family", "import", tmp_path / "x.xlsx").code == 4
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert run("family", "import", tmp_path / "x.pdf").code == 4
    assert run("family", "import", tmp_path / "missing.csv").code == 3
    (tmp_path / "bad.json").write_text("{not json")
    r = run("family", "import", tmp_path / "bad.json")
    assert r.code == 4 and "Traceback" not in r.err


def test_duplicates_against_database_and_within_file(run, initdb, tmp_path):
    assert run("family", "import", write_csv(tmp_path / "a.csv", GOOD)).code == 0
    before = snapshot(initdb)
    r = run("family", "import", write_csv(tmp_path / "b.csv", GOOD[2:]))
    assert r.code == 4 and "F000002" in r.err and "--allow-duplicate" in r.err
    assert snapshot(initdb) == before
    twice = [GOOD[2], ["H9", "Second Import household", "CR2 6XH", "", "", "", "", "", "", ""]]
    r = run("family", "import", write_csv(tmp_path / "c.csv", twice), "--allow-duplicate")
    assert r.code == 0


@pytest.mark.parametrize("name", ["families.csv", "families.json"])
def test_shipped_examples_import(run, initdb, name):
    r = run("family", "import", ROOT / "examples" / name, "--json")
    assert r.code == 0, r.err
    assert r.json["families"] >= 5 and r.json["members"] >= 10


def test_hostile_values_import_literally(run, initdb, tmp_path):
    hostile = '=HYPERLINK("http://example.org","x")'
    r = run(
        "family", "import", write_csv(tmp_path / "h.csv", [["", hostile, "", "", "", "<b>&amp;</b>", "", "", "", ""]])
    )
    assert r.code == 0, r.err
    rec = run("family", "show", "F000001", "--json").json
    assert rec["name"] == hostile and rec["lead"] == "<b>&amp;</b>"
