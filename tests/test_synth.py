"""The synthetic family generator (ehtool.synthetic, bench/synth.py) and the shipped example files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from itertools import groupby
from pathlib import Path

import pytest

from ehtool.domain import validators as v

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 26)


import ehtool.synthetic as synth  # noqa: E402


@pytest.fixture(scope="module")
def families():
    return synth.generate_families(400, seed=7, today=TODAY)


def _members(families):
    return [m for f in families for m in f["members"]]


# -- determinism -------------------------------------------------------------------------------


def test_deterministic_for_a_seed():
    a = synth.generate_families(60, seed=11, today=TODAY)
    assert a == synth.generate_families(60, seed=11, today=TODAY)
    assert a != synth.generate_families(60, seed=12, today=TODAY)


def test_first_families_do_not_depend_on_n():
    assert synth.generate_families(20, seed=5, today=TODAY) == synth.generate_families(200, seed=5, today=TODAY)[:20]


def test_zero_families():
    assert synth.generate_families(0, today=TODAY) == []
    assert synth.to_rows([]) == []


# -- shape and validity ----------------------------------------------------------------------


def test_family_shape(families):
    keys = set(synth.FAMILY_COLUMNS) | {"members"}
    for i, fam in enumerate(families, 1):
        assert set(fam) == keys
        assert fam["household"] == f"H{i:06d}"
        assert fam["name"].endswith(("family", "household"))
        assert fam["locality"] in ("north", "central", "south")
        assert isinstance(fam["interpreter"], bool)
        assert fam["members"], "every generated household has members"
        if fam["interpreter"]:
            assert fam["language"] != "English"
        referral = v.parse_date(fam["referral_date"])
        assert TODAY - dt.timedelta(days=731) <= referral <= TODAY
        assert fam["referral_reason"] and fam["referral_source"] and fam["lead"]
        assert v.clean_text(fam["notes"], field="notes", multiline=True) == fam["notes"]


def test_every_identifier_validates(families):
    postcodes = [f["postcode"] for f in families]
    for pc in postcodes:
        assert v.normalise_postcode(pc) == pc
        assert v.postcode_district(pc) in synth.DISTRICTS
    nhs = [m["nhs_number"] for m in _members(families) if m["nhs_number"]]
    assert len(nhs) > 500
    assert len(set(nhs)) == len(nhs), "NHS numbers are unique"
    for number in nhs:
        assert v.normalise_nhs_number(number) == number
        assert number.startswith("999"), "only the test range, never a real patient's number"
    upns = [m["upn"] for m in _members(families) if m["upn"]]
    assert len(upns) > 200 and len(set(upns)) == len(upns)
    for upn in upns:
        got, warnings = v.normalise_upn(upn)
        assert got == upn
        assert not [w for w in warnings if "local authority" in w], "LA numbers are real English ones"


def test_members(families):
    roles = set()
    for fam in families:
        for m in fam["members"]:
            assert set(m) == set(synth.MEMBER_FIELDS)
            assert m["role"] in synth.ROLES
            roles.add(m["role"])
            assert m["ethnicity"] in synth.ETHNICITIES or m["ethnicity"] == ""
            assert all(isinstance(m[f], bool) for f in ("send", "ehcp", "young_carer"))
            if m["ehcp"]:
                assert m["send"]
            if m["role"] == "unborn":
                assert m["dob"] == "" and m["nhs_number"] == "" and m["upn"] == ""
                due = v.parse_due_date(m["due_date"], today=TODAY)
                assert due > TODAY
            else:
                assert m["due_date"] == ""
                dob = v.parse_dob(m["dob"], today=TODAY)
                age = v.age_years(dob, TODAY)
                if m["role"] == "child":
                    assert age <= 17
                else:
                    assert age >= 16
                if m["upn"]:
                    assert m["role"] == "child" and age >= 4 and m["school"]
                    assert m["upn"][1:4] == synth.DISTRICTS[v.postcode_district(fam["postcode"])][1]
    assert roles == set(synth.ROLES)


def test_diversity(families):
    members = _members(families)
    assert len({f["language"] for f in families}) >= 10
    assert len({m["ethnicity"] for m in members}) >= 12
    firsts = {m["name"].split()[0] for m in members if m["role"] != "unborn"}
    surnames = {m["name"].split()[-1] for m in members}
    assert len(firsts) > 300 and len(surnames) > 150


def test_name_pools_are_large():
    comms = synth._COMMUNITY_LIST
    assert sum(len(c.female) + len(c.male) for c in comms) >= 400
    assert sum(len(c.surnames) for c in comms) >= 300


def test_custom_localities():
    fams = synth.generate_families(80, seed=1, today=TODAY, localities=("Wallington", "Carshalton", "Cheam"))
    assert {f["locality"] for f in fams} == {"Wallington", "Carshalton", "Cheam"}
    for f in fams:
        v.normalise_postcode(f["postcode"])


# -- the import layout ---------------------------------------------------------------------------

COLUMNS = synth.FAMILY_COLUMNS + synth.MEMBER_COLUMNS


def test_column_layout():
    assert synth.FAMILY_COLUMNS == (
        "household",
        "name",
        "address",
        "postcode",
        "locality",
        "language",
        "interpreter",
        "referral_source",
        "referral_date",
        "referral_reason",
        "lead",
        "notes",
    )
    assert synth.MEMBER_COLUMNS == (
        "member_name",
        "member_role",
        "member_dob",
        "member_due_date",
        "member_gender",
        "member_ethnicity",
        "member_nhs_number",
        "member_upn",
        "member_school",
        "member_send",
        "member_ehcp",
        "member_young_carer",
    )


def test_to_rows_groups_by_household(families):
    rows = synth.to_rows(families)
    assert len(rows) == sum(len(f["members"]) for f in families)
    assert all(tuple(r) == COLUMNS for r in rows)
    households = [k for k, _ in groupby(rows, key=lambda r: r["household"])]
    assert households == [f["household"] for f in families], "each household's rows are together, in order"
    by_household = {k: list(g) for k, g in groupby(rows, key=lambda r: r["household"])}
    for fam in families:
        group = by_household[fam["household"]]
        assert len(group) == len(fam["members"])
        for row, member in zip(group, fam["members"]):
            for c in synth.FAMILY_COLUMNS:
                assert row[c] == fam[c]
            for f in synth.MEMBER_FIELDS:
                assert row[f"member_{f}"] == member[f]


def test_family_without_members_is_one_blank_row(families):
    empty = dict(families[0], members=[])
    rows = synth.to_rows([empty, families[1]])
    assert rows[0]["household"] == families[0]["household"]
    assert all(rows[0][c] == "" for c in synth.MEMBER_COLUMNS)
    assert all(rows[0][c] == families[0][c] for c in synth.FAMILY_COLUMNS)
    assert len(rows) == 1 + len(families[1]["members"])


def test_to_family_rows(families):
    rows = synth.to_family_rows(families)
    assert len(rows) == len(families)
    assert all(tuple(r) == synth.FAMILY_COLUMNS for r in rows)
    assert [r["household"] for r in rows] == [f["household"] for f in families]


# -- the command line ----------------------------------------------------------------------------


def _run(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synth.py"), *args], capture_output=True, text=True, check=True
    )


def test_cli_csv_members(tmp_path):
    out = tmp_path / "f.csv"
    _run("--families", "12", "--seed", "3", "--today", "2026-11-26", "--out", str(out))
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = synth.to_rows(synth.generate_families(12, seed=3, today=TODAY))
    assert len(rows) == len(expected)
    assert tuple(rows[0]) == COLUMNS
    for got, want in zip(rows, expected):
        for c in COLUMNS:
            w = want[c]
            assert got[c] == ("yes" if w is True else "no" if w is False else w)


def test_cli_json_and_tsv_and_families_layout(tmp_path):
    out = tmp_path / "f.json"
    _run("--families", "5", "--seed", "3", "--today", "2026-11-26", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == synth.to_rows(synth.generate_families(5, seed=3, today=TODAY))
    assert all(isinstance(r, dict) and not any(isinstance(x, (dict, list)) for x in r.values()) for r in data)
    tsv = _run(
        "--families", "5", "--seed", "3", "--today", "2026-11-26", "--format", "tsv", "--layout", "families"
    ).stdout
    rows = list(csv.DictReader(io.StringIO(tsv), dialect="excel-tab"))
    assert len(rows) == 5 and tuple(rows[0]) == synth.FAMILY_COLUMNS


def test_cli_imports_nothing_heavy():
    code = (
        "import runpy, sys; sys.argv = ['synth', '--families', '1', '--out', '-']; "
        f"sys.path.insert(0, {str(ROOT / 'bench')!r}); import synth; "
        "print(sorted(m for m in ('typer', 'rich', 'openpyxl', 'jinja2', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the shipped examples ---------------------------------------------------------------------------

EXAMPLES = ROOT / "examples"


def _example_csv():
    with (EXAMPLES / "families.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_examples_csv_and_json_hold_the_same_households():
    rows = _example_csv()
    data = json.loads((EXAMPLES / "families.json").read_text(encoding="utf-8"))
    assert tuple(rows[0]) == COLUMNS
    assert all(tuple(r) == COLUMNS for r in data)
    assert len(rows) == len(data)
    for c, j in zip(rows, data):
        for col in COLUMNS:
            if isinstance(j[col], bool):
                assert v.parse_bool(c[col]) is j[col]
            else:
                assert c[col] == j[col]
    households = [k for k, _ in groupby(rows, key=lambda r: r["household"])]
    assert len(households) == len(set(households)) >= 5


def test_examples_are_valid_import_rows():
    rows = _example_csv()
    # no unborn member in the shipped examples: an expected due date goes out of date,
    # and the example must import on any day (unborn members are covered by generated data)
    assert not any(r["member_role"] == "unborn" for r in rows)
    for r in rows:
        v.normalise_postcode(r["postcode"])
        v.parse_date(r["referral_date"])
        v.parse_bool(r["interpreter"])
        assert r["member_role"] in synth.ROLES
        if r["member_nhs_number"]:
            assert v.normalise_nhs_number(r["member_nhs_number"]).startswith("999")
        if r["member_upn"]:
            v.normalise_upn(r["member_upn"])
        if r["member_role"] == "unborn":
            assert not r["member_dob"]
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["member_due_date"])
        else:
            v.parse_dob(r["member_dob"])
        for flag in ("member_send", "member_ehcp", "member_young_carer"):
            v.parse_bool(r[flag])
