"""Imports and registrations as a careless user and a careful attacker meet them: wrong sheet
dimensions, empty files, races, the same NHS number twice, bombs and giants, odd encodings and
shapes. Each fails clearly (a documented status, a message naming the row) and loses nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import set_dimension, snapshot
from ehtool.domain.validators import nhs_check_digit, upn_check_letter
from test_import import GOOD, HEADER, write_csv


def nhs(n: int) -> str:
    """A valid (synthetic, test-range 999...) NHS number."""
    while True:
        first9 = f"999{n:06d}"
        check = nhs_check_digit(first9)
        if check is not None:
            return f"{first9}{check}"
        n += 1


def upn(n: int) -> str:
    rest = f"801200{n:05d}0"
    return upn_check_letter(rest) + rest


def families(run) -> list[dict]:
    return run("family", "list", "--json").json


def xlsx(path: Path, header: list, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Families"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# -- 2. every row, whatever the stored dimension; no rows is an error ---------------------


def test_xlsx_rows_beyond_a_wrong_dimension_are_imported(run, initdb, tmp_path):
    rows = [
        ["H1", f"Dimension{i} family", "", "north", "", "", f"Kid Dimension{i}", "child", "2015-01-0" + str(i), ""]
        for i in range(1, 6)
    ]
    path = xlsx(tmp_path / "wrong.xlsx", HEADER, rows)
    for i, row in enumerate(rows):
        row[0] = f"H{i}"
    path = xlsx(tmp_path / "wrong.xlsx", HEADER, rows)
    set_dimension(path, "A1:J2")  # says one data row; there are five
    r = run("family", "import", path, "--json")
    assert r.code == 0, r.err
    assert r.json["families"] == 5 and len(families(run)) == 5


@pytest.mark.parametrize("content", ["", "\ufeff", ",".join(HEADER) + "\n", ",".join(HEADER) + "\n,,,,,,,,,\n\n"])
def test_a_csv_with_no_rows_is_an_error(run, initdb, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")
    r = run("family", "import", path)
    assert r.code == 4 and "no rows" in r.err, r.err


def test_empty_xlsx_and_json_are_errors(run, initdb, tmp_path):
    assert run("family", "import", xlsx(tmp_path / "e.xlsx", HEADER, [])).code == 4
    (tmp_path / "e.json").write_text("[]")
    r = run("family", "import", tmp_path / "e.json")
    assert r.code == 4 and "no rows" in r.err


# -- 3. the duplicate check and the write under one lock -----------------------------------


def _held_lock(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db), isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _together(commands: list[list[str]], db: Path) -> list[subprocess.CompletedProcess]:
    """Start the commands while another connection holds the write lock, give them
    time to do everything they do before writing, then let them race."""
    lock = _held_lock(db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ehtool", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for cmd in commands
    ]
    time.sleep(3)
    lock.execute("ROLLBACK")
    lock.close()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=60)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


@pytest.mark.slow
def test_two_imports_of_one_file_at_once_register_it_once(run, initdb, tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    results = _together([["family", "import", str(path)]] * 2, initdb)
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 4], [r.stderr for r in results]
    assert [f["name"] for f in families(run)] == ["Importa family", "Second Import household"]


@pytest.mark.slow
def test_two_family_adds_at_once_register_it_once(run, initdb):
    add = ["family", "add", "--name", "Racer family", "--postcode", "CR0 1AB"]
    results = _together([add, add], initdb)
    assert sorted(r.returncode for r in results) == [0, 5], [r.stderr for r in results]
    assert [f["name"] for f in families(run)] == ["Racer family"]


@pytest.mark.slow
def test_two_member_adds_at_once_add_one_person(run, family, initdb):
    add = ["member", "add", family, "--name", "Sam Racer", "--role", "child", "--dob", "2019-05-05"]
    results = _together([add, add], initdb)
    assert sorted(r.returncode for r in results) == [0, 5], [r.stderr for r in results]
    names = [m["name"] for m in run("family", "show", family, "--json").json["members"]]
    assert names.count("Sam Racer") == 1


# -- 6. one NHS number (or UPN), two people ------------------------------------------------


def test_the_same_nhs_number_on_another_member_is_a_possible_duplicate(run, family, initdb):
    number = nhs(11)
    kid = run(
        "member",
        "add",
        family,
        "--name",
        "Nia Testwood",
        "--role",
        "child",
        "--dob",
        "2018-01-01",
        "--nhs-number",
        number,
        "--json",
    ).json["id"]
    other = run("family", "add", "--name", "Unrelated family").out.strip()
    before = snapshot(initdb)
    r = run(
        "member",
        "add",
        other,
        "--name",
        "Completely Different",
        "--role",
        "child",
        "--dob",
        "2012-06-06",
        "--nhs-number",
        number,
    )
    assert r.code == 5 and kid in r.err and "NHS number" in r.err and "--allow-duplicate" in r.err
    assert "Nia" not in r.err and "Testwood" not in r.err  # references, never names
    assert snapshot(initdb) == before
    r = run(
        "member",
        "add",
        other,
        "--name",
        "Completely Different",
        "--role",
        "child",
        "--dob",
        "2012-06-06",
        "--nhs-number",
        number,
        "--allow-duplicate",
        "--json",
    )
    assert r.code == 0, r.err


def test_the_same_nhs_number_within_one_family_and_on_edit(run, family, initdb):
    number = nhs(22)
    kid = run(
        "member",
        "add",
        family,
        "--name",
        "Ola Testwood",
        "--role",
        "child",
        "--dob",
        "2018-01-01",
        "--nhs-number",
        number,
        "--json",
    ).json["id"]
    r = run(
        "member",
        "add",
        family,
        "--name",
        "Twin Testwood",
        "--role",
        "child",
        "--dob",
        "2018-01-01",
        "--nhs-number",
        number,
    )
    assert r.code == 5 and kid in r.err
    sibling = run(
        "member", "add", family, "--name", "Bea Testwood", "--role", "child", "--dob", "2020-02-02", "--json"
    ).json["id"]
    before = snapshot(initdb)
    r = run("member", "edit", sibling, "--nhs-number", number)
    assert r.code == 5 and kid in r.err and "NHS number" in r.err
    assert snapshot(initdb) == before
    assert run("member", "edit", sibling, "--nhs-number", number, "--allow-duplicate").code == 0
    assert run("member", "edit", kid, "--school", "Example Primary").code == 0  # unchanged identifiers: no check


def test_the_same_upn_is_a_possible_duplicate(run, family):
    pupil = upn(7)
    kid = run(
        "member",
        "add",
        family,
        "--name",
        "Uma Testwood",
        "--role",
        "child",
        "--dob",
        "2016-01-01",
        "--upn",
        pupil,
        "--json",
    ).json["id"]
    other = run("family", "add", "--name", "Another family").out.strip()
    r = run(
        "member", "add", other, "--name", "Different Pupil", "--role", "child", "--dob", "2011-03-03", "--upn", pupil
    )
    assert r.code == 5 and kid in r.err and "UPN" in r.err


def test_an_import_naming_a_registered_nhs_number_is_a_possible_duplicate(run, family, initdb, tmp_path):
    number = nhs(33)
    kid = run(
        "member",
        "add",
        family,
        "--name",
        "Ify Testwood",
        "--role",
        "child",
        "--dob",
        "2018-01-01",
        "--nhs-number",
        number,
        "--json",
    ).json["id"]
    rows = [
        ["H9", "Elsewhere family", "", "", "", "", "Quite Different", "child", "2011-04-04", number],
        ["H8", "Third family", "", "", "", "", "Also Different", "child", "2013-05-05", nhs(44)],
        ["H7", "Fourth family", "", "", "", "", "Not Alike", "child", "2014-06-06", nhs(44)],
    ]
    before = snapshot(initdb)
    r = run("family", "import", write_csv(tmp_path / "in.csv", rows))
    assert r.code == 4, r.err
    assert f"row 2: this person may already be registered as {kid} (the same NHS number)" in r.err
    assert "row 4: this person may already be registered as the person at row 3 (the same NHS number)" in r.err
    assert snapshot(initdb) == before
    assert run("family", "import", tmp_path / "in.csv", "--allow-duplicate").code == 0


# -- 9 and 11. bombs, giants, odd files ----------------------------------------------------


def _declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip's directory declares for one member."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    name = member.encode()
    cd = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4 : data.find(b"PK\x01\x02") + 4], 0)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + n]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 4
    struct.pack_into("<I", data, info.header_offset + 22, size)
    del cd
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_refused_from_its_directory(run, initdb, tmp_path):
    path = xlsx(tmp_path / "bomb.xlsx", HEADER, [GOOD[0]])
    _declare_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)
    before = snapshot(initdb)
    started = time.monotonic()
    r = run("family", "import", path)
    assert r.code == 4 and "unpack" in r.err and "zip bomb" in r.err, r.err
    assert time.monotonic() - started < 10
    assert snapshot(initdb) == before


def _rewrite_part(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_a_cell_over_excels_limit_is_named_by_row_and_column(run, initdb, tmp_path):
    path = xlsx(tmp_path / "giant.xlsx", HEADER, [GOOD[0], GOOD[2]])  # openpyxl itself writes at most 32,767
    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("Second Import household", "x" * 40_000))
    r = run("family", "import", path)
    assert r.code == 4 and "row 3, column B" in r.err and "40,000" in r.err


def test_a_giant_field_never_reaches_the_database(run, initdb, tmp_path):
    header = HEADER + ["notes"]
    before = snapshot(initdb)
    r = run("family", "import", write_csv(tmp_path / "n.csv", [GOOD[0] + ["n" * 20_000]], header=header))
    assert r.code == 4 and "row 2, column notes" in r.err and "too long" in r.err
    r = run("family", "import", write_csv(tmp_path / "huge.csv", [GOOD[0] + ["n" * 300_000]], header=header))
    assert r.code == 4 and "row 2" in r.err and "Traceback" not in r.err
    assert snapshot(initdb) == before


def test_xml_entities_inside_an_xlsx_are_refused(run, initdb, tmp_path):
    path = xlsx(tmp_path / "lol.xlsx", HEADER, [GOOD[0]])
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % (i - 1 if i > 1 else "") * 10}">' for i in range(1, 9))
        + "]>"
    )

    def bomb(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        return laughs + body.replace("Importa family", "&lol8;")

    _rewrite_part(path, "xl/worksheets/sheet1.xml", bomb)
    r = run("family", "import", path)
    assert r.code == 4 and "entities" in r.err, r.err


def test_malformed_xml_inside_an_xlsx_is_invalid_input(run, initdb, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", HEADER, [GOOD[0]])
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:-40]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    r = run("family", "import", path)
    assert r.code == 4 and "malformed" in r.err, r.err


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_is_refused_not_read(run_proc, initdb, tmp_path, source):
    path = tmp_path / "in.csv"
    if source == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(source)
    r = run_proc("family", "import", path, timeout=30)
    assert r.code == 4 and "not an ordinary file" in r.err


def test_windows_1252_files_say_which_encoding_is_expected(run, family, initdb, tmp_path):
    csv_path = tmp_path / "w.csv"
    csv_path.write_bytes((",".join(HEADER) + "\nH1,Zoë family,,,,,,,,\n").encode("cp1252"))
    r = run("family", "import", csv_path)
    assert r.code == 4 and "UTF-8" in r.err
    answers = tmp_path / "a.json"
    answers.write_bytes('{"indicators": [], "family_view": "Ça va"}'.encode("cp1252"))
    r = run("assess", "run", family, "--answers", answers)
    assert r.code == 4 and "UTF-8" in r.err and "Traceback" not in r.err
    plan = tmp_path / "p.json"
    plan.write_bytes('{"worries": "Café"}'.encode("cp1252"))
    r = run("plan", "new", family, "--from", plan)
    assert r.code == 4 and "UTF-8" in r.err


@pytest.mark.parametrize(
    "text, says",
    [
        ("42", "a number"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('[{"name": "Shape family", "members": {"name": "Not a list"}}]', "not a list"),
        ('[{"name": ["Shape", "family"]}]', "not a single value"),
        ("[7]", "not an object"),
    ],
)
def test_json_of_the_wrong_shape_is_invalid_input(run, initdb, tmp_path, text, says):
    path = tmp_path / "in.json"
    path.write_text(text)
    r = run("family", "import", path)
    assert r.code == 4 and says in r.err, r.err


def test_deeply_nested_answers_plans_and_profiles_are_invalid_input(run, family, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "a.json").write_text('{"indicators": ' + deep + "}")
    assert run("assess", "run", family, "--answers", tmp_path / "a.json").code == 4
    (tmp_path / "p.json").write_text('{"team": ' + deep + "}")
    assert run("plan", "new", family, "--from", tmp_path / "p.json").code == 4
    (tmp_path / "ours.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    r = run("profile", "validate", tmp_path / "ours.toml")
    assert r.code == 4 and "Traceback" not in r.err


# -- smaller ones -------------------------------------------------------------------------


def test_duplicate_headers_are_an_error_not_a_silent_choice(run, initdb, tmp_path):
    header = HEADER + ["name"]
    r = run("family", "import", write_csv(tmp_path / "d.csv", [GOOD[0] + ["Other family"]], header=header))
    assert r.code == 4 and "'name'" in r.err and "twice" in r.err
    r = run("family", "import", xlsx(tmp_path / "d.xlsx", header, [GOOD[0] + ["Other family"]]))
    assert r.code == 4 and "twice" in r.err


def test_data_under_a_blank_header_is_an_error(run, initdb, tmp_path):
    header = HEADER + [""]
    r = run("family", "import", write_csv(tmp_path / "b.csv", [GOOD[0] + ["stray"]], header=header))
    assert r.code == 4 and "row 2, column K" in r.err and "blank" in r.err
    r = run("family", "import", write_csv(tmp_path / "c.csv", [GOOD[0] + ["beyond"]]))  # past the last header
    assert r.code == 4 and "column K" in r.err


def test_trailing_empty_csv_rows_are_skipped(run, initdb, tmp_path):
    path = write_csv(tmp_path / "t.csv", GOOD + [[""] * len(HEADER)] * 3)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n\n,,,\n")
    r = run("family", "import", path, "--json")
    assert r.code == 0, r.err
    assert r.json["families"] == 2


def test_json_members_may_be_null_or_a_list(run, initdb, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(
            [
                {"name": "Nullmembers family", "members": None},
                {"name": "Listmembers family", "members": [{"name": "Ari List", "role": "child", "dob": "2015-05-05"}]},
            ]
        )
    )
    r = run("family", "import", path, "--json")
    assert r.code == 0, r.err
    assert r.json["families"] == 2 and r.json["members"] == 1
