"""`--out` and friends never replace what is not an ordinary file: a FIFO, a device or a
folder at the destination is refused (a folder takes the default file name where the command
has one), and nothing is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture
def planned(run, family, tmp_path):
    (tmp_path / "answers.json").write_text('{"indicators": []}')
    assert run("assess", "run", family, "--answers", tmp_path / "answers.json").code == 0
    assert run("consent", "record", family, "--type", "early-help", "--status", "given").code == 0
    assert run("consent", "record", family, "--type", "panel", "--status", "given").code == 0
    r = run("plan", "new", family, "--from", ROOT / "tests" / "fixtures" / "plan.json")
    assert r.code == 0, r.err
    assert run("panel", "schedule", "--locality", "north", "--date", "2026-12-03").code == 0
    assert run("panel", "add", family, "--reason", "review").code == 0
    return family


def is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


@pytest.mark.parametrize(
    "command",
    [
        ("plan", "render", "{family}", "--format", "md", "--out", "{out}"),
        ("plan", "render", "{family}", "--format", "docx", "--out", "{out}"),
        ("panel", "export", "P000001", "--out", "{out}"),
        ("report", "--xlsx", "{out}"),
    ],
)
def test_a_fifo_at_out_is_refused_and_left_alone(run, planned, tmp_path, command):
    out = tmp_path / "target.xlsx"
    os.mkfifo(out)
    r = run(*[part.format(family=planned, out=out) for part in command])
    assert r.code == 4, r.err
    assert "not an ordinary file" in r.err
    assert is_fifo(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("home", "answers.json")) == [
        "target.xlsx"
    ]  # no stray temp file


def test_a_symlink_to_a_device_is_refused(run, planned, tmp_path):
    out = tmp_path / "plan.md"
    out.symlink_to("/dev/null")
    r = run("plan", "render", planned, "--format", "md", "--out", out)
    assert r.code == 4 and "not an ordinary file" in r.err
    assert out.is_symlink() and os.readlink(out) == "/dev/null"


def test_a_fifo_inside_the_subject_access_folder_is_refused(run, planned, tmp_path):
    folder = tmp_path / "sar"
    folder.mkdir()
    r = run("family", "sar", planned, "--out", folder, "--json")
    assert r.code == 0, r.err
    json_file = Path(r.json["json"])
    json_file.unlink()
    os.mkfifo(json_file)
    r = run("family", "sar", planned, "--out", folder)
    assert r.code == 4 and "not an ordinary file" in r.err
    assert is_fifo(json_file)


def test_a_folder_at_out_takes_the_default_file_name(run, planned, tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    r = run("plan", "render", planned, "--format", "md", "--out", folder, "--json")
    assert r.code == 0, r.err
    assert Path(r.json["path"]).parent == folder and Path(r.json["path"]).is_file()
    r = run("panel", "export", "P000001", "--out", folder, "--json")
    assert r.code == 0 and Path(r.json["path"]).parent == folder
    r = run("report", "--xlsx", folder)
    assert r.code == 0, r.err
    assert any(p.name.startswith("board-report-") for p in folder.iterdir())


def test_an_ordinary_file_and_a_dangling_symlink_are_replaced_by_design(run, planned, tmp_path):
    out = tmp_path / "plan.md"
    out.write_text("old")
    assert run("plan", "render", planned, "--format", "md", "--out", out).code == 0
    assert out.read_text() != "old"
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "nowhere.md")
    assert run("plan", "render", planned, "--format", "md", "--out", link).code == 0
    assert link.is_file() and not link.is_symlink()
