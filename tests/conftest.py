"""Every test gets its own ehtool home and database under tmp_path.

``run`` calls the real CLI entry point in-process (fast); ``run_proc`` runs
``python -m ehtool`` as a separate process for the tests that need one
(terminals, concurrency, exit statuses as a script sees them).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The day every test takes as today (ehtool's one clock honours EHTOOL_TODAY), so
# the suite gives the same answers on any day of any year (`faketime` proves it).
TODAY = "2026-12-02"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow: takes a second or more (real processes, terminals, kills, many examples); "
        '`make test` runs everything, `pytest -m "not slow"` skips these for a quick edit loop',
    )


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture(autouse=True)
def ehtool_env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("EHTOOL_HOME", str(home))
    monkeypatch.setenv("EHTOOL_DB", str(home / "ehtool.db"))
    monkeypatch.setenv("EHTOOL_USER", "test.coordinator")
    monkeypatch.setenv("EHTOOL_TODAY", TODAY)
    monkeypatch.delenv("EHTOOL_NO_INPUT", raising=False)
    monkeypatch.delenv("EHTOOL_TEMPLATES", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture
def db_path(ehtool_env) -> Path:
    return ehtool_env / "ehtool.db"


@pytest.fixture
def run(capsys):
    from ehtool.cli import main

    def _run(*args: str) -> Result:
        capsys.readouterr()
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def proc_env(**extra) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture
def run_proc():
    def _run(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60, stdin=None) -> Result:
        kwargs = (
            {"input": input} if input is not None else {"stdin": stdin if stdin is not None else subprocess.DEVNULL}
        )
        cp = subprocess.run(
            [sys.executable, "-m", "ehtool", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env or dict(os.environ),
            **kwargs,
        )
        return Result(cp.returncode, cp.stdout, cp.stderr)

    return _run


@pytest.fixture
def keys():
    """Keystrokes for ehtool's prompts, through prompt_toolkit's pipe input
    (`keys.send_text(...)` before running the command)."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from ehtool.term import session

    with create_pipe_input() as inp, session.piped(inp, DummyOutput()):
        yield inp


@pytest.fixture
def initdb(run, db_path):
    result = run("init", "--profile", "croydon")
    assert result.code == 0, result.err
    return db_path


def snapshot(path: Path) -> list[str]:
    """Everything in the database, to prove a failed command changed nothing."""
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def family(run, initdb):
    """A registered synthetic family with two members; returns its reference."""
    r = run(
        "family",
        "add",
        "--name",
        "Testwood family",
        "--postcode",
        "CR0 2AB",
        "--locality",
        "north",
        "--referral-date",
        "2026-09-01",
        "--referral-source",
        "school",
        "--lead",
        "Pat Keyworker",
        "--referral-reason",
        "Attendance falling",
    )
    assert r.code == 0, r.err
    ref = r.out.strip()
    assert run("member", "add", ref, "--name", "Rowan Testwood", "--role", "child", "--dob", "2017-04-02").code == 0
    assert run("member", "add", ref, "--name", "Jo Testwood", "--role", "parent", "--dob", "1988-11-20").code == 0
    return ref


def set_dimension(path: Path, ref: str) -> None:
    """Rewrite every worksheet's stored <dimension> (some writers get it wrong)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text, n = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text)
                if n == 0:
                    text = re.sub(r"(<worksheet[^>]*>)", rf'\1<dimension ref="{ref}"/>', text, count=1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)
