"""What ehtool prints cannot be turned against the reader: a CSV cell a
spreadsheet could take for a formula gets a leading apostrophe (the xlsx
exports' rule; `--raw-csv` gives cells as stored), and C1 controls and
bidirectional overrides are escaped in every output (terminal, JSON, CSV).
Synthetic people only."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from ehtool.documents.xlsx_safe import needs_text_guard
from ehtool.term import output

COLUMNS = ["id", "name", "postcode", "locality", "status", "level", "lead", "referral_date", "member_count"]

# What a person can type (clean_text keeps these as they are).
TYPED = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"]
# Typed text loses its leading tab, CR and spaces (clean_text strips it); these
# are put in the database directly, as an import from elsewhere or another
# engine might have left them.
STORED = ["\tX", "\rX", " =spaced"]
# Survives clean_text: U+202E RIGHT-TO-LEFT OVERRIDE, U+0085 NEL, U+009B CSI.
TRICKY = "Ab\u202ecd\u0085ef\u009bgh family"
TRICKY_SHOWN = "Ab\\u202ecd\\x85ef\\x9bgh family"


def _add(run, name, *, lead=None, **extra):
    args = [
        "family",
        "add",
        "--name",
        name,
        "--locality",
        "north",
        "--referral-date",
        "2026-09-01",
        "--allow-duplicate",
    ]
    if lead is not None:
        args += ["--lead", lead]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    r = run(*args)
    assert r.code == 0, r.err
    return r.out.strip()


def _csv_rows(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == COLUMNS
    return {row[0]: dict(zip(COLUMNS, row)) for row in rows[1:]}


@pytest.fixture
def formulas(run, initdb, db_path):
    """Families whose name and lead are formula-like; returns {ref: stored text}."""
    refs = {_add(run, text, lead=text): text for text in TYPED}
    conn = sqlite3.connect(str(db_path))
    try:
        for text in STORED:
            ref = _add(run, "Placeholder family", lead="Placeholder")
            with conn:
                conn.execute("UPDATE families SET name = ?, lead = ? WHERE id = ?", (text, text, int(ref[1:])))
            refs[ref] = text
    finally:
        conn.close()
    return refs


@pytest.fixture
def tricky(run, initdb):
    return _add(run, TRICKY, lead="Pat Keyworker")


def test_csv_guards_formulas(run, formulas):
    r = run("family", "list", "--csv")
    assert r.code == 0, r.err
    rows = _csv_rows(r.out)
    assert set(rows) == set(formulas)
    for ref, text in formulas.items():
        assert needs_text_guard(text)
        assert rows[ref]["name"] == "'" + text, ref
        assert rows[ref]["lead"] == "'" + text, ref
        assert rows[ref]["member_count"] == "0"  # numbers untouched
        assert rows[ref]["locality"] == "North" and rows[ref]["referral_date"] == "2026-09-01"


def test_raw_csv_gives_cells_as_stored(run, formulas):
    r = run("family", "list", "--raw-csv")
    assert r.code == 0, r.err
    rows = _csv_rows(r.out)
    for ref, text in formulas.items():
        assert rows[ref]["name"] == text and rows[ref]["lead"] == text, ref


def test_csv_leaves_plain_text_alone(run, family):
    rows = _csv_rows(run("family", "list", "--csv").out)
    assert rows[family]["name"] == "Testwood family" and rows[family]["lead"] == "Pat Keyworker"
    assert rows[family]["postcode"] == "CR0 2AB" and rows[family]["member_count"] == "2"
    assert run("family", "list", "--csv").out == run("family", "list", "--raw-csv").out


def test_due_csv_guards_text_but_not_days(run, initdb):
    ref = _add(run, "Dueby family", lead="-2+3")
    r = run("consent", "record", ref, "--type", "early-help", "--status", "given", "--date", "2025-12-05")
    assert r.code == 0, r.err
    items = run("due", "--json").json
    assert [(i["category"], i["days"], i["lead"]) for i in items] == [
        ("no-assessment", 72, "-2+3"),
        ("consent-renew", -3, "-2+3"),
    ]
    r = run("due", "--csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out, newline="")))
    # days is a number ehtool computed: no apostrophe, even when negative
    assert [(row["category"], row["days"], row["overdue"], row["lead"]) for row in rows] == [
        ("no-assessment", "72", "yes", "'-2+3"),
        ("consent-renew", "-3", "no", "'-2+3"),
    ]
    assert {row["family_id"] for row in rows} == {ref}

    raw = list(csv.DictReader(io.StringIO(run("due", "--raw-csv").out, newline="")))
    assert [(row["days"], row["lead"]) for row in raw] == [("72", "-2+3"), ("-3", "-2+3")]
    assert run("due", "--json", "--raw-csv").code == 2


def test_table_escapes_c1_and_bidi(run, tricky):
    r = run("family", "list")
    assert r.code == 0, r.err
    assert TRICKY_SHOWN in r.out
    for ch in "\u202e\u0085\u009b":
        assert ch not in r.out
    shown = run("family", "show", tricky)
    assert TRICKY_SHOWN in shown.out and "\u202e" not in shown.out


def test_json_escapes_c1_and_bidi_and_round_trips(run, tricky):
    r = run("family", "list", "--json")
    for ch in "\u202e\u0085\u009b":
        assert ch not in r.out
    assert "\\u202e" in r.out and "\\u0085" in r.out and "\\u009b" in r.out
    assert [row["name"] for row in json.loads(r.out)] == [TRICKY]
    shown = run("family", "show", tricky, "--json")
    assert "\u202e" not in shown.out and shown.json["name"] == TRICKY
    # other non-ASCII text stays literal UTF-8
    name = "Zoë Ñúñez 🙂 family"
    _add(run, name, lead="Siân Lloyd")
    r = run("family", "list", "--json")
    assert name in r.out and "Siân Lloyd" in r.out
    assert [row["name"] for row in json.loads(r.out)] == [TRICKY, name]


def test_csv_escapes_c1_and_bidi_raw_csv_does_not(run, tricky):
    r = run("family", "list", "--csv")
    for ch in "\u202e\u0085\u009b":
        assert ch not in r.out
    assert _csv_rows(r.out)[tricky]["name"] == TRICKY_SHOWN
    raw = run("family", "list", "--raw-csv")
    assert _csv_rows(raw.out)[tricky]["name"] == TRICKY


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [False, True], ids=["plain", "rich"])
def test_every_printed_path_escapes(terminal, monkeypatch, capsys):
    from ehtool.cli import report_error
    from ehtool.errors import InvalidInput

    text = "Ab\u202ecd\u0085ef\u009bgh\u2067"
    shown = "Ab\\u202ecd\\x85ef\\x9bgh\\u2067"
    out, err = (_Terminal(), _Terminal()) if terminal else (io.StringIO(), io.StringIO())
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    output.emit_table([{"a": text}], [("a", "A")], title=text)
    output.emit_record({"a": text}, [("a", "Name")], title=text)
    output.heading(text)
    output.line(text)
    output.tell(text)
    output.message(text)
    output.warn(text)
    output.banner(text, text)
    report_error(InvalidInput(text, hint=text, problems=[text]))
    for stream, count in ((out, 6), (err, 8)):
        written = stream.getvalue()
        assert not any(ch in written for ch in "\u202e\u0085\u009b\u2067")
        assert written.count(shown) >= count, written


@pytest.mark.parametrize(
    "ch",
    [
        "\u061c",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
    ],
)
def test_every_bidi_control_is_escaped(ch, capsys):
    text = f"a{ch}b"
    assert output.safe(text) == f"a\\u{ord(ch):04x}b"
    # C0 (but tab and newline), DEL and C1 keep their \xNN escapes
    assert output.safe(f"a\x1b[31mb\x85c\x9bd\x7f\t\n{ch}") == f"a\\x1b[31mb\\x85c\\x9bd\\x7f\t\n\\u{ord(ch):04x}"
    output.emit_json({"k": text})
    out = capsys.readouterr().out
    assert ch not in out and json.loads(out) == {"k": text}
    output.emit_csv([{"k": text}], ["k"])
    assert capsys.readouterr().out == f"k\na\\u{ord(ch):04x}b\n"


def test_emit_csv_cells(capsys):
    rows = [
        {"text": "=1+1", "n": -3, "f": -1.5, "flag": True, "items": ["=x", "a\u202eb"]},
        {"text": "  -spaced", "n": 0, "f": 2.0, "flag": False, "items": []},
        {"text": "\rcarriage", "n": None, "f": None, "flag": None, "items": None},
        {"text": "line\nbreak\tand tab", "n": 1, "f": 0.5, "flag": False, "items": {}},
    ]
    output.emit_csv(rows, ["text", "n", "f", "flag", "items"])
    got = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert got == [
        ["text", "n", "f", "flag", "items"],
        ["'=1+1", "-3", "-1.5", "yes", '["=x", "a\\u202eb"]'],
        ["'  -spaced", "0", "2.0", "no", "[]"],
        ["'\rcarriage", "", "", "", ""],
        ["line\nbreak\tand tab", "1", "0.5", "no", "{}"],
    ]
    output.emit_csv(rows, ["text", "n", "items"], raw=True)
    got = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert got[1:] == [
        ["=1+1", "-3", '["=x", "a\u202eb"]'],
        ["  -spaced", "0", "[]"],
        ["\rcarriage", "", ""],
        ["line\nbreak\tand tab", "1", "{}"],
    ]


def test_help_names_raw_csv(run):
    for cmd in (["family", "list"], ["due"], ["audit"]):
        r = run(*cmd, "--help")
        assert r.code == 0 and "--raw-csv" in r.out, cmd
