"""Every command has help; every command that reads the database takes --db."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ehtool.cli import COMMANDS as REGISTRY
from ehtool.cli import build_app, command_named

app = build_app(listing_only=False)

NO_DB = {
    ("demo",),
    ("profile", "list"),
    ("profile", "show"),
    ("profile", "validate"),
    ("plan", "areas"),
    ("plan", "templates"),
}


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


@pytest.mark.parametrize(
    "path, cmd",
    [(p, c) for p, c, group in COMMANDS if not group],
    ids=lambda x: " ".join(x) if isinstance(x, tuple) else "",
)
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


def test_the_root_listing_matches_the_commands_own_help():
    """`ehtool --help` lists the commands from cli.SUMMARIES without importing them;
    rendered both ways, the listing is the same."""
    from typer.testing import CliRunner

    from ehtool.cli import build_app

    runner = CliRunner()
    listed = runner.invoke(build_app(), ["--help"], env={"COLUMNS": "200"})
    built = runner.invoke(build_app(listing_only=False), ["--help"], env={"COLUMNS": "200"})
    assert listed.exit_code == built.exit_code == 0
    assert listed.output == built.output
    assert "retention" in listed.output


def test_root_help_imports_no_command_module():
    code = (
        "import sys; from ehtool.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ehtool.commands.', 'ehtool.services'))"
        " and m != 'ehtool.commands.common'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
