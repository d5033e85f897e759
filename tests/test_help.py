"""Every command has help; every command that reads the database takes --db."""

from __future__ import annotations

import pytest

from ehtool.cli import COMMANDS as REGISTRY
from ehtool.cli import build_app, command_named

app = build_app()

NO_DB = {("demo",), ("profile", "list"), ("profile", "show"), ("profile", "validate"), ("plan", "areas"),
         ("plan", "templates")}


def _walk():
    import typer.main

    root = typer.main.get_command(app)
    found = []

    def visit(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            if path:
                found.append((path, cmd, True))
            for name, sub in subs.items():
                visit(sub, path + (name,))
        else:
            found.append((path, cmd, False))

    visit(root, ())
    return found


COMMANDS = _walk()


def test_commands_found():
    names = {" ".join(p) for p, _, _ in COMMANDS}
    assert {"init", "family add", "family list", "family show", "family import", "member add", "audit"} <= names


@pytest.mark.parametrize("path", [p for p, _, _ in COMMANDS], ids=lambda p: " ".join(p) or "root")
def test_help(run, path):
    r = run(*path, "--help")
    assert r.code == 0, r.err
    assert "Usage:" in r.out
    assert len(r.out.strip().splitlines()) >= 3


@pytest.mark.parametrize("path, cmd", [(p, c) for p, c, group in COMMANDS if not group],
                         ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_db_option_everywhere(path, cmd):
    if path in NO_DB:
        pytest.skip("does not read a database")
    opts = {o for param in cmd.params for o in getattr(param, "opts", [])}
    assert "--db" in opts, f"{' '.join(path)} has no --db"
    assert all(cmd.help for _ in [0]), f"{' '.join(path)} has no help text"


def test_version(run):
    from ehtool import __version__

    r = run("--version")
    assert r.code == 0 and __version__ in r.out


def test_unknown_command_is_usage_error(run):
    r = run("famly")
    assert r.code == 2


def test_command_line_builds_only_the_command_it_runs():
    assert command_named(["family", "show", "F1"]) == "family"
    assert command_named(["--db", "family", "init"]) == "init"  # --db takes a value
    assert command_named(["--quiet", "--db=x.db", "due", "--json"]) == "due"
    assert command_named(["--help"]) is None
    assert command_named(["famly"]) is None
    assert set(REGISTRY) == {p[0] for p, _, _ in COMMANDS if len(p) == 1}

