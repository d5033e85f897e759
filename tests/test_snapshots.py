"""Snapshots (syrupy) of what people read: the Markdown One Family Plan, and `due`,
`report` and `family show` as rendered on a terminal.

Everything is driven through the CLI, so these tests do not depend on where the
package keeps its modules. The history is synthetic and every date in it is
fixed; "today" is conftest's pinned EHTOOL_TODAY, so the snapshots are the same
on any day (`faketime` proves it).

The terminal commands run as a separate process whose stdout is a real
pseudo-terminal (the `pty` module) sized 100 columns, with COLUMNS=100 and
NO_COLOR=1: ehtool renders its rich tables exactly as a person would see them.
The remaining style codes (bold headings, which NO_COLOR leaves alone) are
stripped so the snapshots read as plain text. What goes to stderr (the notes a
person also sees) is kept separately.

Update with ``pytest tests/test_snapshots.py --snapshot-update`` and read the
.ambr diff before committing it.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import TODAY

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

WIDTH = 100
HEIGHT = 50
# Indicator ids of the Croydon profile (data, not code): one at level 2a, one of significant harm.
L2A = "health-missed-checks"
HARM = "health-injury-non-accidental"
# Escape sequences a terminal would act on (SGR styles, cursor and OSC sequences).
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# Environment that could change how rich or ehtool draws: cleared for every run.
_DRAWING_ENV = (
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLORTERM",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "LINES",
    "COLUMNS",
    "TERM",
    "PAGER",
    "LESS",
)

PLAN = {
    "lead_professional": "Pat Keyworker",
    "team": [
        {
            "name": "Sam Teststaff",
            "agency": "Testbrook Primary",
            "role": "Designated safeguarding lead",
            "contact": "sam.teststaff@example.org",
        },
        {"name": "Lee Testnurse", "agency": "School nursing", "role": "School nurse", "contact": "0000 000000"},
    ],
    "working_well": "Jo walks Rowan to school most days.\nRowan enjoys the after-school football club.",
    "worries": "Rowan missed 14 days of school last term and two health checks.",
    "needs_to_happen": "A steady morning routine, and the missed health checks booked.",
    "family_voice": "We want mornings to be calmer.",
    "child_voice": "I like football and maths.",
    "outcomes": [
        {
            "area": "education",
            "description": "Rowan attends school every day",
            "baseline": 3,
            "target": 8,
            "actions": [
                {
                    "what": "Make a morning routine chart",
                    "who": "Jo Testwood",
                    "due": "2026-11-20",
                    "status": "in-progress",
                },
                {"what": "Meet the attendance officer", "who": "Sam Teststaff", "due": "2026-10-01", "status": "done"},
            ],
        },
        {
            "area": "health",
            "description": "Rowan's health checks are up to date",
            "baseline": 2,
            "target": 9,
            "actions": [
                {
                    "what": "Book the missed health checks",
                    "who": "Lee Testnurse",
                    "due": "2026-12-20",
                    "status": "not-started",
                }
            ],
        },
    ],
    "contingency": "If attendance does not improve by the review, bring Rowan back to the locality panel.",
    "review_date": "2026-12-10",
    "share_with": ["Testbrook Primary", "School nursing"],
}


# -- building the synthetic history ------------------------------------------------------


def _ok(result):
    assert result.code == 0, result.err
    return result.out.strip()


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _assess(run, tmp_path, ref, indicators, on, code=0):
    path = _write(tmp_path, f"answers-{ref}-{on}.json", {"indicators": indicators, "assessed_on": on})
    r = run("assess", "run", ref, "--answers", path)
    assert r.code == code, r.err


@pytest.fixture
def history(run, family, tmp_path):
    """conftest's Testwood family (F000001) with an assessment, consent, a plan and a
    review, and three more synthetic families so that `due` and `report` have
    something in every section."""
    _ok(
        run(
            "family",
            "edit",
            family,
            "--address",
            "1 Example Road\nTesttown",
            "--language",
            "English",
            "--no-interpreter",
            "--notes",
            "Prefers calls after 3pm.",
        )
    )
    _assess(run, tmp_path, family, [L2A], "2026-09-10")
    _ok(
        run(
            "consent",
            "record",
            family,
            "--type",
            "early-help",
            "--status",
            "given",
            "--date",
            "2026-09-12",
            "--by",
            "Jo Testwood",
        )
    )
    _ok(run("plan", "new", family, "--from", _write(tmp_path, "plan.json", PLAN)))
    _ok(
        run(
            "plan",
            "review",
            family,
            "--date",
            "2026-10-20",
            "--attended",
            "Jo Testwood",
            "--attended",
            "Pat Keyworker",
            "--score",
            "1=5",
            "--score",
            "2=3",
            "--notes",
            "Good start; routine chart in use.",
            "--next-review",
            "2026-12-10",
        )
    )

    # referred, never assessed
    b = _ok(
        run(
            "family",
            "add",
            "--name",
            "Brookfield family",
            "--postcode",
            "CR7 1ZZ",
            "--locality",
            "central",
            "--referral-date",
            "2026-11-02",
            "--referral-source",
            "health visitor",
            "--lead",
            "Ali Testlead",
            "--language",
            "Polish",
            "--interpreter",
        )
    )
    _ok(run("member", "add", b, "--name", "Kit Brookfield", "--role", "child", "--dob", "2022-01-15"))
    # significant harm, no plan
    c = _ok(
        run(
            "family",
            "add",
            "--name",
            "Cobbleton family",
            "--postcode",
            "CR8 3ZZ",
            "--locality",
            "south",
            "--referral-date",
            "2026-11-20",
            "--referral-source",
            "school",
            "--lead",
            "Dee Testlead",
        )
    )
    _assess(run, tmp_path, c, [HARM], "2026-11-25", code=10)
    # assessed at an early help rung, no plan yet
    d = _ok(
        run(
            "family",
            "add",
            "--name",
            "Dalewick family",
            "--postcode",
            "CR0 9ZZ",
            "--locality",
            "north",
            "--referral-date",
            "2026-10-05",
            "--referral-source",
            "self",
            "--lead",
            "Pat Keyworker",
        )
    )
    _assess(run, tmp_path, d, [L2A], "2026-10-12")
    return {"planned": family, "unassessed": b, "harm": c, "no_plan": d}


# -- a real terminal -------------------------------------------------------------------


def _terminal_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _DRAWING_ENV}
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(WIDTH),
        LINES=str(HEIGHT),
        NO_COLOR="1",
        EHTOOL_TODAY=TODAY,
        PYTHONIOENCODING="utf-8",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def on_terminal(*args: str, cwd: Path, timeout: float = 60) -> tuple[str, str]:
    """Run ``python -m ehtool ARGS`` with stdout on a pseudo-terminal WIDTH columns
    wide; returns (what the terminal showed, stderr), style codes removed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR  # keep "\n" as written (a terminal would show "\r\n" the same)
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    with open(cwd / "stderr.txt", "w+b") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ehtool", *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=err,
            env=_terminal_env(),
            cwd=cwd,
        )
        os.close(slave)
        chunks, deadline = [], time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.5)
                if not ready:
                    if proc.poll() is not None:
                        break
                    continue
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed its end
                    break
                if not data:
                    break
                chunks.append(data)
            else:
                proc.kill()
                pytest.fail(f"ehtool {' '.join(args)} did not finish in {timeout}s")
        finally:
            os.close(master)
        code = proc.wait(timeout=timeout)
        err.seek(0)
        stderr = err.read().decode("utf-8")
    assert code == 0, stderr
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return _clean(out), _clean(stderr)


def _clean(text: str) -> str:
    return _ANSI.sub("", text)


def _tables_fit(text: str) -> None:
    """rich draws every table within the terminal's width."""
    wide = [line for line in text.splitlines() if len(line) > WIDTH and re.search("[\u2500-\u257f]", line)]
    assert not wide, wide


def _check(text: str, tmp_path: Path) -> None:
    """Nothing in a snapshot may vary from run to run."""
    assert str(tmp_path) not in text
    assert "\x1b" not in text
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text), "a time of day in a snapshot"


@pytest.fixture
def workdir(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


# -- the snapshots ---------------------------------------------------------------------


def test_plan_markdown(run, history, workdir, tmp_path, snapshot):
    out = workdir / "plan.md"
    r = run("plan", "render", history["planned"], "--format", "md", "--out", out)
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    _check(text, tmp_path)
    assert text == snapshot


def test_due_on_a_terminal(history, workdir, tmp_path, snapshot):
    out, err = on_terminal("due", cwd=workdir)
    _check(out + err, tmp_path)
    _tables_fit(out)
    assert {"stdout": out, "stderr": err} == snapshot


def test_report_on_a_terminal(history, workdir, tmp_path, snapshot):
    out, err = on_terminal("report", "--from", "2026-06-01", "--to", TODAY, cwd=workdir)
    _check(out + err, tmp_path)
    _tables_fit(out)
    assert {"stdout": out, "stderr": err} == snapshot


def test_family_show_on_a_terminal(history, workdir, tmp_path, snapshot):
    out, err = on_terminal("family", "show", history["planned"], cwd=workdir)
    _check(out + err, tmp_path)
    _tables_fit(out)
    assert {"stdout": out, "stderr": err} == snapshot
