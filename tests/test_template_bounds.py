"""Templates cannot exhaust the machine: a render past its bound on time, memory or
output stops with exit 4 naming the template, and writes nothing. The bounds are
lowered through their environment variables so each case stops within a second or
two. Synthetic people only."""

from __future__ import annotations

import json
import os
import signal

import pytest

from ehtool.documents import jinja_env, plans, sandbox
from ehtool.documents.plans import render_plan_bytes
from ehtool.documents.profiles import load_profile
from ehtool.errors import InvalidInput, NotFound

L2A = next(i.id for i in load_profile("croydon").indicators if i.level == "2a")
PLAN = {
    "lead_professional": "Pat Lead",
    "working_well": "Parent is engaged",
    "outcomes": [
        {
            "area": "education",
            "description": "Attend every day",
            "baseline": 3,
            "target": 8,
            "actions": [{"what": "Routine chart", "who": "Parent", "due": "2026-12-10", "status": "in-progress"}],
        }
    ],
    "review_date": "2027-01-10",
}
NESTED_LOOPS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
DOUBLING = (
    "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}"
)
PAGES = "{% for i in range(3) %}{{ 'x' * 1000000 }}{% endfor %}"


@pytest.fixture(autouse=True)
def _no_partnership_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("EHTOOL_TEMPLATES", str(tmp_path / "partnership-templates"))


@pytest.fixture
def planned(run, family, tmp_path):
    """A family with an open plan (assessed below significant harm, consent given)."""
    (tmp_path / "a.json").write_text(json.dumps({"indicators": [L2A]}))
    assert run("assess", "run", family, "--answers", tmp_path / "a.json").code == 0
    assert run("consent", "record", family, "--type", "early-help", "--status", "given").code == 0
    (tmp_path / "plan.json").write_text(json.dumps(PLAN))
    r = run("plan", "new", family, "--from", tmp_path / "plan.json")
    assert r.code == 0, r.err
    return family


def template_dir(tmp_path, fmt: str, body: str, name: str = "hostile"):
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}{plans.SUFFIXES[fmt]}"
    if fmt == "docx":
        from docx import Document

        doc = Document()
        doc.add_paragraph("Plan for {{ family.id }}")
        doc.add_paragraph(body)
        doc.save(path)
    else:
        path.write_text(body, encoding="utf-8")
    return folder, path


def render_hostile(run, tmp_path, family, fmt, body, existing):
    folder, path = template_dir(tmp_path, fmt, body)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / f"plan.{fmt}"
    if existing:
        dest.write_bytes(b"the plan from last week")
    r = run("plan", "render", family, "--format", fmt, "--template", "hostile", "--template-dir", folder, "--out", dest)
    assert r.code == 4, r.err
    assert str(path) in r.err
    if existing:
        assert dest.read_bytes() == b"the plan from last week"
    else:
        assert not dest.exists()
    assert sorted(p.name for p in out.iterdir()) == ([dest.name] if existing else [])
    return r


# --- each bound, through the CLI ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_template_that_runs_too_long_is_stopped(run, planned, tmp_path, monkeypatch, fmt, existing):
    monkeypatch.setenv("EHTOOL_RENDER_TIMEOUT", "0.5")
    r = render_hostile(run, tmp_path, planned, fmt, NESTED_LOOPS, existing)
    assert "took longer than 0.5 seconds" in r.err


@pytest.mark.parametrize("fmt", ["md", "docx"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_template_that_needs_too_much_memory_is_stopped(run, planned, tmp_path, monkeypatch, fmt, existing):
    monkeypatch.setenv("EHTOOL_RENDER_MEMORY_MB", "64")
    r = render_hostile(run, tmp_path, planned, fmt, DOUBLING, existing)
    assert "needed more than 64 MB of memory" in r.err


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_template_that_writes_too_much_is_stopped(run, planned, tmp_path, monkeypatch, fmt, existing):
    monkeypatch.setenv("EHTOOL_RENDER_OUTPUT_MB", "1")
    r = render_hostile(run, tmp_path, planned, fmt, PAGES, existing)
    assert "produced more than 1 MB" in r.err


def test_bulk_render_stops_at_the_hostile_template(run, planned, tmp_path, monkeypatch):
    monkeypatch.setenv("EHTOOL_RENDER_TIMEOUT", "0.5")
    folder, path = template_dir(tmp_path, "md", NESTED_LOOPS, name="one-family-plan")
    out = tmp_path / "all"
    r = run("plan", "render", "--all-open", "--out-dir", out, "--format", "md", "--template-dir", folder)
    assert r.code == 4 and str(path) in r.err and "took longer" in r.err
    assert not out.exists() or list(out.iterdir()) == []


def test_bounds_from_the_environment_must_be_positive_numbers(run, planned, tmp_path, monkeypatch):
    for value in ("soon", "0", "-1", "nan"):
        monkeypatch.setenv("EHTOOL_RENDER_TIMEOUT", value)
        r = run("plan", "render", planned, "--format", "md", "--out", tmp_path / "p.md")
        assert r.code == 2 and "EHTOOL_RENDER_TIMEOUT" in r.err
    assert not (tmp_path / "p.md").exists()


# --- ordinary templates are unchanged ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_bundled_templates_still_render(run, planned, tmp_path, fmt):
    out = tmp_path / f"plan.{fmt}"
    r = run("plan", "render", planned, "--format", fmt, "--out", out)
    assert r.code == 0, r.err
    from test_plan_documents import docx_text

    data = out.read_bytes()
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    assert planned in text and "Attend every day" in text


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_render_in_the_child_equals_one_in_process(fmt, monkeypatch):
    from test_plan_documents import docx_text, full_context

    forked = render_plan_bytes(full_context(), fmt)
    monkeypatch.delattr(os, "fork")  # as on Windows: rendered here, output bound only
    here = render_plan_bytes(full_context(), fmt)
    if fmt == "docx":
        assert docx_text(forked) == docx_text(here)
    else:
        assert forked == here


def test_what_the_child_compiles_is_handed_back(tmp_path):
    from test_plan_documents import full_context

    folder, _ = template_dir(tmp_path, "md", "Plan {{ family.id }}\n")
    jinja_env.TEXT_CODE.clear()
    assert render_plan_bytes(full_context(), "md", template="hostile", template_dir=folder) == b"Plan F000123\n"
    assert len(jinja_env.TEXT_CODE._items) == 1
    (folder / "hostile.md.j2").write_text("Changed {{ family.id }}\n", encoding="utf-8")
    assert render_plan_bytes(full_context(), "md", template="hostile", template_dir=folder) == b"Changed F000123\n"


# --- cheap caps inside the sandbox: fail at once, with the line -------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "{{ 'a'|center(1000000000) }}",
        "{{ 'x'|indent(10**8) }}",
        "{{ lipsum(n=100000000) }}",
        "{{ lipsum(1, min=10**8, max=10**8) }}",
        "{{ [1]|batch(10**9, 0)|list }}",
        "{{ [1]|slice(10**9)|list }}",
    ],
)
def test_absurd_widths_and_counts_are_refused_at_once(expression, tmp_path):
    from test_plan_documents import full_context

    folder, path = template_dir(tmp_path, "md", "Plan {{ family.id }}\n" + expression)
    with pytest.raises(InvalidInput) as err:
        render_plan_bytes(full_context(), "md", template="hostile", template_dir=folder)
    assert str(path) in err.value.message and "line 2" in err.value.message
    assert "too large" in err.value.message


def test_ordinary_widths_and_counts_still_work(tmp_path):
    from test_plan_documents import full_context

    body = (
        "[{{ 'ab'|center(6) }}]{{ 'a\\nb'|indent(2) }}|{{ [1, 2, 3]|batch(2)|list }}"
        "|{{ [1, 2, 3]|slice(2)|list }}|{{ lipsum(1, html=False, min=3, max=5)|length > 0 }}"
    )
    folder, _ = template_dir(tmp_path, "md", body)
    assert render_plan_bytes(full_context(), "md", template="hostile", template_dir=folder) == (
        b"[  ab  ]a\n  b|[[1, 2], [3]]|[[1, 2], [3]]|True"
    )


# --- the child process itself ----------------------------------------------------------


def test_errors_in_the_child_come_back_as_they_were():
    def not_found():
        raise NotFound("No such thing.", hint="Look elsewhere.", problems=["one", "two"])

    with pytest.raises(NotFound) as err:
        sandbox.run_bounded(not_found, "t.md.j2")
    assert (err.value.message, err.value.hint, err.value.problems) == (
        "No such thing.",
        "Look elsewhere.",
        ["one", "two"],
    )

    def disk_full():
        raise OSError(28, "No space left on device", "/tmp/x")

    with pytest.raises(OSError) as os_err:
        sandbox.run_bounded(disk_full, "t.md.j2")
    assert os_err.value.errno == 28 and os_err.value.filename == "/tmp/x"

    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        sandbox.run_bounded(lambda: 1 // 0, "t.md.j2")


def test_a_child_that_dies_is_reported_against_the_template():
    def die():
        os.kill(os.getpid(), signal.SIGTERM)  # killed from outside, e.g. the OOM killer
        return b""

    with pytest.raises(InvalidInput, match=r"t\.md\.j2 stopped while rendering \(SIGTERM\)"):
        sandbox.run_bounded(die, "t.md.j2")


def test_a_child_past_its_cpu_time_is_a_time_bound():
    def spin():
        os.kill(os.getpid(), signal.SIGXCPU)
        return b""

    with pytest.raises(InvalidInput, match="took longer than 30 seconds"):
        sandbox.run_bounded(spin, "t.md.j2", sandbox.Bounds())
