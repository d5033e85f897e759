"""One Family Plan documents: every bundled template renders, values round-trip
exactly, template mistakes fail cleanly and write nothing. Synthetic people only."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from ehtool.documents import plans
from ehtool.documents.plan_context import age_on
from ehtool.documents.plans import (
    find_template,
    list_templates,
    plan_context,
    render_plan,
    render_plan_bytes,
)
from ehtool.domain.validators import as_date as _date
from ehtool.errors import InvalidInput, NotFound
from ehtool.paths import bundled_templates

HOSTILE = {
    "html": "Tom & Jerry <b>",
    "markup": "[bold]x[/bold]",
    "formula": "=1+1",
    "emoji": "Baby due 👶",
    "jinja": "{{ 7*7 }}",
    "sql": "'; DROP TABLE families;--",
}
BUNDLED = [(r["name"], r["format"]) for r in list_templates() if r["source"] == "bundled"]


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """No real partnership folder leaks in: ehtool's home and templates are empty."""
    monkeypatch.setenv("EHTOOL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EHTOOL_TEMPLATES", str(tmp_path / "partnership-templates"))


# --- synthetic contexts -------------------------------------------------------------


def full_family() -> dict:
    return {
        "id": "F000123",
        "name": "Testfamily household",
        "address": "1 Example Road\nTesttown",
        "postcode": "ZZ99 9ZZ",
        "locality": "North",
        "language": "Testish",
        "interpreter": True,
        "members": [
            {"id": "M1", "name": "Amara Testfamily", "role": "mother", "dob": "1990-03-04"},
            {"id": "M2", "name": "Bo Testfamily", "role": "child", "dob": "2019-05-06"},
            {"id": "M3", "name": HOSTILE["emoji"], "role": "unborn", "due_date": "2027-02-01"},
        ],
    }


def full_plan() -> dict:
    return {
        "id": "P000045",
        "family_id": "F000123",
        "status": "closed",
        "version": 4,
        "created_at": "2026-09-01",
        "lead_professional": "Sam Keyworker (Family Hub North)",
        "team": [
            {
                "name": HOSTILE["html"],
                "agency": HOSTILE["markup"],
                "role": HOSTILE["formula"],
                "contact": HOSTILE["jinja"],
            },
            {"name": "Pat Nurse", "agency": "School nursing", "role": "nurse", "contact": "0000"},
        ],
        "working_well": "Bo loves football.\nMum walks Bo to school.",
        "worries": HOSTILE["sql"],
        "needs_to_happen": "Weekly check-ins {_{ kept }_}",
        "family_voice": "We want things calmer at home.",
        "child_voice": "I want to go to football club 👶",
        "outcomes": [
            {
                "id": "O1",
                "area": "education",
                "description": "Bo attends school every day",
                "baseline": 3,
                "target": 9,
                "actions": [
                    {
                        "id": "A1",
                        "what": "Morning routine chart " + HOSTILE["html"],
                        "who": "Amara",
                        "due": "2026-12-01",
                        "status": "in progress",
                    },
                    {
                        "id": "A2",
                        "what": HOSTILE["jinja"],
                        "who": HOSTILE["formula"],
                        "due": "2027-01-15",
                        "status": "not started",
                    },
                ],
            },
            {
                "id": "O2",
                "area": "housing",
                "description": "Repairs done " + HOSTILE["sql"],
                "baseline": 2,
                "target": 8,
                "actions": [],
            },
        ],
        "contingency": "If attendance does not improve, the team will meet again.",
        "review_date": "2027-01-20",
        "share_with": ["Testtown Primary", "School nursing"],
        "reviews": [
            {
                "date": "2026-10-20",
                "attended": ["Amara", "Sam Keyworker"],
                "notes": "Good start.\nRoutine in place.",
                "next_review_date": "2026-12-01",
                "scores": [{"outcome_id": "O1", "score": 5}, {"outcome_id": "O2", "score": 3}],
            },
            {
                "date": "2026-12-01",
                "attended": "Amara, Sam Keyworker",
                "notes": "Attendance up.",
                "next_review_date": "2027-01-20",
                "scores": [{"outcome_id": "O1", "score": 7}],
            },
        ],
        "closed_reason": "Needs met: " + HOSTILE["markup"],
    }


def full_context(**overrides) -> dict:
    ctx = plan_context(
        full_family(),
        full_plan(),
        generated_on="2026-11-26",
        profile={"name": "Testshire continuum", "levels": []},
        level={"id": "2", "name": "Level 2 Targeted"},
    )
    ctx.update(overrides)
    return ctx


def minimal_context() -> dict:
    return plan_context(
        {"id": "F000999"},
        {
            "id": "P000001",
            "lead_professional": "Sam Keyworker",
            "outcomes": [{"id": "O1", "area": "health", "description": "Keep appointments"}],
        },
        generated_on="2026-11-26",
    )


def docx_text(data: bytes) -> str:
    """Every paragraph, table cell, header and footer of a .docx, one per line."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def docx_cells(data: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def rendered_text(fmt: str, data: bytes) -> str:
    return docx_text(data) if fmt == "docx" else data.decode("utf-8")


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- the context ---------------------------------------------------------------------


def test_context_has_every_documented_key_for_a_minimal_plan():
    ctx = minimal_context()
    assert ctx["marking"] == "OFFICIAL-SENSITIVE"
    assert ctx["generated_on"] == "2026-11-26"
    assert set(ctx["family"]) >= {"id", "name", "address", "postcode", "locality", "language", "interpreter", "members"}
    plan = ctx["plan"]
    assert set(plan) >= {
        "id",
        "family_id",
        "status",
        "version",
        "created_at",
        "lead_professional",
        "team",
        "working_well",
        "worries",
        "needs_to_happen",
        "family_voice",
        "child_voice",
        "outcomes",
        "contingency",
        "review_date",
        "share_with",
        "reviews",
        "closed_reason",
    }
    assert plan["status"] == "open" and plan["version"] == 1 and plan["closed_reason"] is None
    assert plan["family_id"] == "F000999"
    outcome = plan["outcomes"][0]
    assert outcome["area_name"] == "Improved mental and physical health"
    assert outcome["baseline"] is None and outcome["latest_score"] is None
    assert outcome["actions"] == []
    assert ctx["profile"] is None and ctx["level"] is None


def test_context_works_out_ages_area_names_and_latest_scores():
    ctx = full_context()
    ages = {m["name"]: m["age"] for m in ctx["family"]["members"]}
    assert ages == {"Amara Testfamily": "36", "Bo Testfamily": "7", HOSTILE["emoji"]: ""}
    o1, o2 = ctx["plan"]["outcomes"]
    assert o1["area_name"] == "Getting a good education"
    assert o1["latest_score"] == 7  # the latest review that scored it
    assert o2["latest_score"] == 3
    first_review = ctx["plan"]["reviews"][0]
    assert first_review["attended"] == "Amara, Sam Keyworker"
    assert first_review["scores"][0] == {
        "area_name": "Getting a good education",
        "description": "Bo attends school every day",
        "score": 5,
        "baseline": 3,
        "target": 9,
        "outcome_id": "O1",
    }


def test_age_under_one_is_in_months():
    assert age_on("2026-07-01", _date("2026-11-26")) == "4 months"
    assert age_on("2026-11-20", _date("2026-11-26")) == "under 1 month"
    assert age_on("not a date", _date("2026-11-26")) == ""


# --- every bundled template renders ----------------------------------------------------


def test_bundled_templates_exist_in_every_format():
    assert {("one-family-plan", f) for f in ("md", "html", "docx")} <= set(BUNDLED)


@pytest.mark.parametrize(("name", "fmt"), BUNDLED)
def test_every_bundled_template_renders_a_full_plan(name, fmt, tmp_path):
    dest = tmp_path / f"plan.{fmt}"
    assert render_plan(full_context(), fmt, dest, template=name) == dest
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    text = rendered_text(fmt, dest.read_bytes())
    for expected in (
        "OFFICIAL-SENSITIVE",
        "One Family Plan",
        "F000123",
        "Sam Keyworker (Family Hub North)",
        "Amara Testfamily",
        "Getting a good education",
        "Bo attends school every day",
        "Secure housing",
        "Pat Nurse",
        "School nursing",
        "We want things calmer at home.",
        "1 December 2026",
        "in progress",
        "Level 2 Targeted",
        "Testtown Primary",
    ):
        assert expected in text, (fmt, expected)
    assert files_in(tmp_path) == [dest.name]  # no temporary file left behind


@pytest.mark.parametrize(("name", "fmt"), BUNDLED)
def test_every_bundled_template_renders_a_minimal_plan(name, fmt, tmp_path):
    data = render_plan_bytes(minimal_context(), fmt, template=name)
    text = rendered_text(fmt, data)
    assert "F000999" in text and "Sam Keyworker" in text and "Keep appointments" in text
    assert "No actions recorded yet" in text
    assert "No Team Around the Family recorded yet" in text
    assert "No reviews held yet" in text
    assert "Plan closed" not in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_plan_with_no_outcomes_at_all(fmt):
    ctx = plan_context({"id": "F000777"}, {"id": "P9", "lead_professional": "Lee"})
    text = rendered_text(fmt, render_plan_bytes(ctx, fmt))
    assert "No outcomes recorded yet" in text and "No family members recorded yet" in text


# --- values appear exactly as typed ---------------------------------------------------


def test_docx_round_trips_hostile_values_exactly():
    data = render_plan_bytes(full_context(), "docx")
    cells = docx_cells(data)
    text = docx_text(data)
    for value in HOSTILE.values():
        assert value in text, value
    assert HOSTILE["html"] in cells
    assert HOSTILE["markup"] in cells and HOSTILE["formula"] in cells
    assert HOSTILE["jinja"] in cells  # data, never evaluated
    assert "49" not in cells
    assert "Morning routine chart Tom & Jerry <b>" in cells
    assert "Weekly check-ins {_{ kept }_}" in text  # docxtpl's own markers untouched
    assert "Needs met: [bold]x[/bold]" in text
    assert "“I want to go to football club 👶”" in text


def test_docx_keeps_line_breaks_and_drops_xml_invalid_characters():
    ctx = full_context()
    ctx["plan"]["working_well"] = "First line\nSecond line\x01\x0b\x0c end\tTab"
    ctx["plan"]["worries"] = "Windows\r\nline"
    data = render_plan_bytes(ctx, "docx")
    zipfile.ZipFile(io.BytesIO(data)).testzip()
    text = docx_text(data)
    assert "First line\nSecond line end\tTab" in text
    assert "Windows\nline" in text
    assert "\x01" not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_formats_keep_multiline_text(fmt):
    text = render_plan_bytes(full_context(), fmt).decode()
    assert "Bo loves football.\nMum walks Bo to school." in text


def test_html_escapes_data_and_has_no_raw_markup_from_it():
    html = render_plan_bytes(full_context(), "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "Tom &amp; Jerry &lt;b&gt;" in html
    assert "<b>" not in html
    assert "&#39;; DROP TABLE families;--" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "[bold]x[/bold]" in html and "=1+1" in html and "👶" in html
    assert "<style>" in html and "http" not in html.split("<body>")[0].replace(
        "http-equiv", ""
    )  # self-contained: nothing fetched


def test_markdown_shows_values_exactly_as_typed():
    md = render_plan_bytes(full_context(), "md").decode("utf-8")
    for value in HOSTILE.values():
        assert value in md, value
    assert "&amp;" not in md and "&lt;" not in md and "49" not in md


def test_marking_is_configurable_and_in_the_docx_header_and_footer():
    from docx import Document

    ctx = full_context(marking="OFFICIAL")
    doc = Document(io.BytesIO(render_plan_bytes(ctx, "docx")))
    section = doc.sections[0]
    assert "OFFICIAL" in section.header.paragraphs[0].text
    assert "OFFICIAL-SENSITIVE" not in docx_text(render_plan_bytes(ctx, "docx"))
    assert section.footer.paragraphs[0].text.startswith("OFFICIAL")
    assert "F000123" in section.footer.paragraphs[0].text
    for fmt in ("md", "html"):
        text = render_plan_bytes(ctx, fmt).decode()
        assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text


def test_docx_has_signature_lines():
    cells = docx_cells(render_plan_bytes(minimal_context(), "docx"))
    assert {"Parent or carer", "Lead professional", "Signature"} <= set(cells)


# --- template mistakes fail cleanly -------------------------------------------------------


def _template_dir(tmp_path: Path, fmt: str, body: str, name: str = "one-family-plan") -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    suffix = plans.SUFFIXES[fmt]
    if fmt == "docx":
        from docx import Document

        doc = Document()
        for line in body.splitlines():
            doc.add_paragraph(line)
        doc.save(folder / f"{name}{suffix}")
    else:
        (folder / f"{name}{suffix}").write_text(body, encoding="utf-8")
    return folder


def _assert_nothing_written(out_dir: Path, dest: Path, before: bytes | None):
    if before is None:
        assert not dest.exists()
        assert files_in(out_dir) == []
    else:
        assert dest.read_bytes() == before
        assert files_in(out_dir) == [dest.name]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("existing", [False, True])
def test_missing_variable_names_it_and_writes_nothing(fmt, existing, tmp_path):
    folder = _template_dir(tmp_path, fmt, "Family {{ family.id }}\nSee {{ plan.no_such_field }}")
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"plan.{fmt}"
    before = None
    if existing:
        before = b"the plan from last week"
        dest.write_bytes(before)
    with pytest.raises(InvalidInput) as err:
        render_plan(full_context(), fmt, dest, template_dir=folder)
    message = err.value.message
    assert "no_such_field" in message
    assert f"one-family-plan{plans.SUFFIXES[fmt]}" in message
    if fmt != "docx":
        assert "line 2" in message
    _assert_nothing_written(out, dest, before)


def test_missing_top_level_variable_is_named(tmp_path):
    folder = _template_dir(tmp_path, "md", "{{ familly.id }}\n")
    with pytest.raises(InvalidInput, match="'familly' is undefined"):
        render_plan_bytes(full_context(), "md", template_dir=folder)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_syntax_error_names_the_template_and_writes_nothing(fmt, tmp_path):
    folder = _template_dir(tmp_path, fmt, "ok\n{% if plan.id %}\nnever closed\n")
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"plan.{fmt}"
    with pytest.raises(InvalidInput) as err:
        render_plan(full_context(), fmt, dest, template_dir=folder)
    assert "syntax error" in err.value.message
    assert str(folder / f"one-family-plan{plans.SUFFIXES[fmt]}") in err.value.message
    if fmt != "docx":
        assert "line" in err.value.message
    _assert_nothing_written(out, dest, None)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ plan.outcomes.append(1) }}",
    ],
)
def test_sandbox_refuses_python_internals_and_writes_nothing(fmt, expression, tmp_path):
    folder = _template_dir(tmp_path, fmt, "Family {{ family.id }}\n" + expression)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"plan.{fmt}"
    dest.write_bytes(b"previous")
    with pytest.raises(InvalidInput) as err:
        render_plan(full_context(), fmt, dest, template_dir=folder)
    assert "Python internals" in err.value.message and "refused" in err.value.message
    _assert_nothing_written(out, dest, b"previous")


def test_absurd_sizes_are_refused(tmp_path):
    folder = _template_dir(tmp_path, "md", "{{ 'x' * 10**9 }}")
    with pytest.raises(InvalidInput):
        render_plan_bytes(full_context(), "md", template_dir=folder)
    folder = _template_dir(tmp_path, "md", "{% for i in range(10**9) %}{% endfor %}")
    with pytest.raises(InvalidInput):
        render_plan_bytes(full_context(), "md", template_dir=folder)


def test_a_broken_docx_template_is_invalid_input(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "one-family-plan.docx").write_bytes(b"not a zip at all")
    with pytest.raises(InvalidInput, match="not a Word document"):
        render_plan_bytes(full_context(), "docx", template_dir=folder)


def test_dest_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="folder"):
        render_plan(full_context(), "md", tmp_path)


# --- finding templates ---------------------------------------------------------------------


def test_find_template_defaults_to_bundled():
    for fmt in ("md", "html", "docx"):
        path = find_template("one-family-plan", fmt)
        assert path.parent == bundled_templates() and path.is_file()


def test_template_dir_shadows_bundled(tmp_path):
    folder = _template_dir(tmp_path, "md", "LOCAL {{ family.id }}\n")
    assert find_template("one-family-plan", "md", folder) == folder / "one-family-plan.md.j2"
    assert render_plan_bytes(full_context(), "md", template_dir=folder) == b"LOCAL F000123\n"
    rows = [r for r in list_templates(folder) if r["name"] == "one-family-plan" and r["format"] == "md"]
    assert [(r["source"], r["shadowed"]) for r in rows] == [("--template-dir", False), ("bundled", True)]


def test_partnership_folder_is_searched_before_bundled(tmp_path, monkeypatch):
    partnership = tmp_path / "ours"
    partnership.mkdir()
    (partnership / "one-family-plan.html.j2").write_text("<p>Testshire {{ family.id }}</p>\n", encoding="utf-8")
    (partnership / "panel-summary.md.j2").write_text("{{ plan.id }}\n", encoding="utf-8")
    monkeypatch.setenv("EHTOOL_TEMPLATES", str(partnership))
    assert render_plan_bytes(full_context(), "html") == b"<p>Testshire F000123</p>\n"
    # md still comes from the bundled folder
    assert b"# One Family Plan" in render_plan_bytes(full_context(), "md")
    assert render_plan_bytes(full_context(), "md", template="panel-summary") == b"P000045\n"
    rows = {(r["name"], r["format"], r["source"]): r["shadowed"] for r in list_templates()}
    assert rows[("one-family-plan", "html", "partnership")] is False
    assert rows[("one-family-plan", "html", "bundled")] is True
    assert rows[("one-family-plan", "md", "bundled")] is False
    assert rows[("panel-summary", "md", "partnership")] is False
    # --template-dir beats the partnership folder
    folder = _template_dir(tmp_path, "html", "mine\n")
    assert render_plan_bytes(full_context(), "html", template_dir=folder) == b"mine\n"


def test_a_partnership_template_can_extend_the_bundled_one(tmp_path, monkeypatch):
    partnership = tmp_path / "ours"
    partnership.mkdir()
    (partnership / "one-family-plan.html.j2").write_text(
        '{% extends "bundled/one-family-plan.html.j2" %}{% block summary %}<p>Ref {{ family.id }}</p>{% endblock %}',
        encoding="utf-8",
    )
    monkeypatch.setenv("EHTOOL_TEMPLATES", str(partnership))
    html = render_plan_bytes(full_context(), "html").decode()
    assert "<p>Ref F000123</p>" in html and "Team Around the Family" in html
    assert "Family reference" not in html


def test_unknown_template_lists_where_it_looked_and_what_exists(tmp_path):
    with pytest.raises(NotFound) as err:
        find_template("no-such-plan", "docx")
    assert "no-such-plan.docx" in err.value.message
    assert "partnership" in err.value.message and "bundled" in err.value.message
    assert "one-family-plan" in (err.value.hint or "")


def test_bad_names_and_formats_are_invalid(tmp_path):
    with pytest.raises(InvalidInput):
        find_template("../etc/passwd", "md")
    with pytest.raises(InvalidInput):
        find_template("one-family-plan", "pdf")
    assert find_template("one-family-plan.docx", "word").name == "one-family-plan.docx"
    with pytest.raises(NotFound):
        find_template("one-family-plan", "md", tmp_path / "missing-folder")


def test_importing_plans_module_does_not_import_jinja_or_docx():
    import subprocess
    import sys

    code = (
        "import sys, ehtool.documents.plans, ehtool.domain.outcomes;"
        "heavy = [m for m in ('jinja2', 'docxtpl', 'docx', 'lxml') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(plans.__file__).resolve().parents[2])},
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize(
    "expression",
    ["{{ plan.version / 0 }}", "{{ plan.id + 1 }}", '{% include "other.md.j2" %}'],
)
def test_any_other_template_failure_is_invalid_input(fmt, expression, tmp_path):
    folder = _template_dir(tmp_path, fmt, expression)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput) as err:
        render_plan(full_context(), fmt, out / f"plan.{fmt}", template_dir=folder)
    assert "one-family-plan" in err.value.message
    _assert_nothing_written(out, out / f"plan.{fmt}", None)


def test_syntax_error_in_an_included_template_names_that_file(tmp_path):
    folder = _template_dir(tmp_path, "md", '{% include "part.md.j2" %}')
    (folder / "part.md.j2").write_text("one\n{{ oops \n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        render_plan_bytes(full_context(), "md", template_dir=folder)
    assert "part.md.j2" in err.value.message and "line 2" in err.value.message


# --- what a family sees on paper ------------------------------------------------------


def _docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def closed_context(**plan_changes) -> dict:
    """A plan closed as ehtool records it: a reason key, a note and the date."""
    plan = full_plan()
    plan.update(
        {
            "closed_reason": "needs-met",
            "closed_note": "Attendance above 95%.",
            "closed_on": "2026-12-02",
            **plan_changes,
        }
    )
    plan["outcomes"][0]["actions"][1]["status"] = "not-started"
    family = full_family()
    family["members"][2]["name"] = ""
    return plan_context(
        family,
        plan,
        generated_on="2026-12-02",
        profile={"name": "Testshire continuum (levels 1-4)"},
        level={"id": "2", "name": "Level 2 Targeted"},
    )


def test_docx_marking_once_at_the_top_of_each_page_and_in_the_footer():
    doc = _docx(render_plan_bytes(full_context(), "docx"))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "OFFICIAL-SENSITIVE" not in body  # the page header carries it, on every page
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text.startswith("OFFICIAL-SENSITIVE")
    footer_xml = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml  # page n of m
    assert " of " in section.footer.paragraphs[0].text
    assert doc.paragraphs[0].text == "One Family Plan"


def test_docx_tables_have_their_widths_in_the_grid_too():
    """LibreOffice lays a table out by its grid: equal columns unless it is set."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = _docx(render_plan_bytes(full_context(), "docx"))
    text_width = Cm(17).twips
    assert len(doc.tables) >= 7
    for table in doc.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [c.width.twips for c in table.rows[-1].cells]
        assert grid == cells, (grid, cells)
        assert abs(sum(grid) - text_width) <= len(grid), grid
        assert len(set(grid)) > 1 or len(grid) == 1, "equal columns: the grid was not set"
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        assert tbl_w.get(qn("w:type")) == "dxa"


def test_docx_headings_are_in_arial_like_the_text():
    doc = _docx(render_plan_bytes(minimal_context(), "docx"))
    for name in ("Normal", "Title", "Heading 2", "Heading 3"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ascii") == "Arial"
        assert not [k for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")], name


def test_docx_agreement_is_kept_on_one_page():
    doc = _docx(render_plan_bytes(minimal_context(), "docx"))
    sign = doc.tables[-1]
    assert sign.rows[1].cells[0].text == "Parent or carer"
    for row in sign.rows[:-1]:
        assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    intro = [p for p in doc.paragraphs if p.text.startswith("We have talked about this plan")]
    assert intro and intro[0].paragraph_format.keep_with_next


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_closed_plan_reads_as_words(fmt):
    text = rendered_text(fmt, render_plan_bytes(closed_context(), fmt))
    assert "Closed on 2 December 2026. Needs met: Attendance above 95%." in text
    assert "needs-met" not in text
    assert "none: the plan is closed" in text  # no next review date for a closed plan
    assert "not started" in text and "not-started" not in text
    assert "Unborn baby" in text
    # the level and the profile, without parentheses inside parentheses
    assert "Level 2 Targeted — Testshire continuum (levels 1-4)" in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_closed_plan_with_free_text_reason_and_no_note(fmt):
    ctx = closed_context(closed_reason="Family asked to stop", closed_note=None, closed_on=None)
    text = rendered_text(fmt, render_plan_bytes(ctx, fmt))
    assert "Family asked to stop" in text and "Closed on" not in text and "None" not in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("which", ["full", "minimal", "empty", "closed"])
def test_no_python_values_show(fmt, which):
    ctx = {
        "full": full_context,
        "minimal": minimal_context,
        "closed": closed_context,
        "empty": lambda: plan_context({"id": "F000777"}, {"id": "P9"}),
    }[which]()
    text = rendered_text(fmt, render_plan_bytes(ctx, fmt))
    for bad in ("None", "[]", "{}", "True", "False", "Undefined", "T00:00"):
        assert bad not in text, (bad, which)
    assert not any(word in text for word in ("2026-", "2027-"))  # every date as "2 December 2026"


def test_bundled_docx_is_what_the_builder_makes(tmp_path):
    """templates/one-family-plan.docx is rebuilt by tools/make_plan_docx.py: no drift."""
    import importlib.util

    tool = Path(__file__).resolve().parent.parent / "tools" / "make_plan_docx.py"
    spec = importlib.util.spec_from_file_location("make_plan_docx", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "built.docx")
    bundled = bundled_templates() / "one-family-plan.docx"
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(bundled) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name.startswith("word/"):
                assert a.read(name) == b.read(name), name
