"""The root ehtool app: global options, the command groups, and the one place
that turns an :class:`EhtoolError` into a message and an exit status."""

from __future__ import annotations

import gc
import importlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool import __version__, clock
from ehtool.commands import common
from ehtool.errors import SYSTEM, EhtoolError
from ehtool.files import as_os_error
from ehtool.term import output, session

HELP = (
    "ehtool: the early help coordinator's toolkit. Register families, place them on the continuum of need, "
    "write One Family Plans, and prepare locality panels. Run `ehtool demo` for a tour."
)

# The commands, in the order `ehtool --help` lists them: name -> (module, attribute, kind).
# A group ("group") is added with add_typer; a single command ("command") with app.command.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("ehtool.commands.setup", "init", "command"),
    "demo": ("ehtool.commands.setup", "demo", "command"),
    "family": ("ehtool.commands.family", "app", "group"),
    "member": ("ehtool.commands.member", "app", "group"),
    "assess": ("ehtool.commands.assess", "app", "group"),
    "consent": ("ehtool.commands.consent", "app", "group"),
    "referral": ("ehtool.commands.referral", "app", "group"),
    "network": ("ehtool.commands.network", "app", "group"),
    "fgdm": ("ehtool.commands.fgdm", "app", "group"),
    "plan": ("ehtool.commands.plan", "app", "group"),
    "panel": ("ehtool.commands.panel", "app", "group"),
    "due": ("ehtool.commands.due", "due", "command"),
    "report": ("ehtool.commands.report", "report", "command"),
    "profile": ("ehtool.commands.profile", "app", "group"),
    "settings": ("ehtool.commands.settings", "app", "group"),
    "audit": ("ehtool.commands.audit", "app", "group"),
    "db": ("ehtool.commands.db", "app", "group"),
    "retention": ("ehtool.commands.retention", "app", "group"),
}
# What `ehtool --help` says of each, so that listing them imports none of them (a test
# renders the listing both ways and holds this table to the commands' own help).
SUMMARIES: dict[str, str] = {
    "init": "Create the database (file 0600 in a 0700 folder) for a partnership's profile.",
    "demo": "Build a throwaway database of synthetic families and walk the main job end to end.",
    "family": "Register, find, show, edit, close and import families.",
    "member": "Add, edit and remove the members of a household.",
    "assess": "Place each child and the family on the continuum of need: run the questionnaire, complete, list and "
    "show assessments.",
    "consent": "Record and show a family's consent: to early help, to be discussed at panel, to share with agencies.",
    "referral": "Referrals to the front door: record one (the record a referral level calls for), its outcome, a "
    "family's list.",
    "network": "The family's network: relatives and people close to the child who can help (not members of the "
    "household).",
    "fgdm": "Family group decision-making (a family group conference): offer it, record the family's answer, the "
    "meeting and the family's own plan.",
    "plan": "One Family Plans: start, change, review, close and render them.",
    "panel": "Panels: schedule sittings of each kind, put families on the agenda, export the agenda workbook, "
    "record the decisions and what they do.",
    "due": "What needs attention, for open families: significant harm, plan reviews and actions, missing "
    "assessments and plans, out-of-date assessments, consent to renew, undecided panel items.",
    "report": "The board report: families by rung over time, step-ups and step-downs, referrals and re-referrals, "
    "plans closed, progress, timeliness and reach, for a period.",
    "profile": "List, show, validate and switch threshold profiles (the partnership's continuum of need).",
    "settings": "Show and change the partnership's settings: the front door's contact, the assessing organisation.",
    "audit": "Show the audit trail (`ehtool audit`), verify its hash chain, print its head.",
    "db": "Back up, check and restore the database (safe while others are using it).",
    "retention": "Retention and erasure: the policy (by default until the youngest child is 25), legal holds, "
    "families due for destruction, and purging a family with everything held about it.",
}
# Global options that take a value (the rest are flags).
_VALUE_OPTIONS = {"--db"}


def _version(value: bool):
    if value:
        sys.stdout.write(f"ehtool {__version__}\n")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path], typer.Option("--db", help="The database file (also $EHTOOL_DB).", show_default=False)
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; fail naming the flag to pass (also $EHTOOL_NO_INPUT).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only data and errors; no notes on stderr.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on error (may include personal data).")
    ] = False,
    allow_unsafe_location: Annotated[
        bool,
        typer.Option("--allow-unsafe-location", help="Open a database on a network/synced folder or behind a symlink."),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
):
    clock.pinned_today()  # a bad EHTOOL_TODAY fails every command at once, not only those that ask the date
    state = common.app_state(ctx)
    state.db, state.debug, state.allow_unsafe = db, debug, allow_unsafe_location
    token = session.begin(quiet=quiet, no_input=no_input)
    ctx.call_on_close(lambda: session.end(token))


def build_app(only: str | None = None, *, listing_only: bool = True) -> typer.Typer:
    """The root app. With ``only`` (the command being run), just that command's
    module is imported and built: Typer builds every registered command's
    parameters on each run, so a look-up should not pay for fifty others. With no
    command (``ehtool --help``, a typo) the commands are listed from ``SUMMARIES``
    without importing any of them, unless ``listing_only`` is False."""
    app = common.make_app(HELP)
    app.callback()(root)
    for name, (module, attr, kind) in COMMANDS.items():
        if only is not None and name != only:
            continue
        if only is None and listing_only:
            _listed(app, name, kind)
            continue
        target = getattr(importlib.import_module(module), attr)
        if kind == "group":
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def _listed(app: typer.Typer, name: str, kind: str) -> None:
    """A command as `ehtool --help` lists it: its name and summary, nothing imported."""
    if kind == "group":
        app.add_typer(common.make_app(SUMMARIES[name]), name=name)
    else:
        app.command(name, help=SUMMARIES[name])(_not_loaded)


def _not_loaded() -> None:  # never runs: a named command is always built from its module
    raise typer.Exit(2)


def command_named(args: list[str]) -> str | None:
    """The command a command line runs (the first word after the global options),
    if it is one of ours; None for `ehtool --help`, a typo, or nothing."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in _VALUE_OPTIONS
            continue
        return arg if arg in COMMANDS else None
    return None


def report_error(exc) -> int:

    assert isinstance(exc, EhtoolError)
    sys.stderr.write(f"ehtool: error: {output.safe(exc.message)}\n")
    for problem in exc.problems:
        sys.stderr.write(f"  - {output.safe(problem)}\n")
    if exc.hint:
        sys.stderr.write(f"  hint: {output.safe(exc.hint)}\n")
    return exc.exit_code


def report_system_error(exc: OSError | sqlite3.OperationalError) -> int:
    """Disk full, permission denied, a database busy for too long: the system's
    refusal, said in one line without personal data. Nothing half-written stays."""

    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            what = "the database stayed busy (another program kept it locked for 30 seconds); try again"
        elif "full" in text:
            what = "the disk is full"
        elif "readonly" in text or "read-only" in text:
            what = "the database is read-only (its file or folder may not be written)"
        elif "unable to open" in text:
            what = "the database file could not be opened (permission denied, or its folder is missing)"
        else:
            what = f"the database could not be used ({text})"
    else:
        what = exc.strerror or type(exc).__name__
        if getattr(exc, "filename", None):
            what = f"{exc.filename}: {what}"
    sys.stderr.write(f"ehtool: error: {output.safe(what)}. Nothing further was saved.\n")
    return SYSTEM


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args or os.environ.get("EHTOOL_DEBUG", "") not in ("", "0")
    previous_hook = sys.unraisablehook
    if not debug:
        # While ehtool runs, a library's generator finalised after an error would print
        # "Exception ignored in ..." with a traceback that may quote personal data; the
        # error itself is reported once. The process's own hook comes back after.
        sys.unraisablehook = _ignore_unraisable
    try:
        status = _run(args, debug)
    finally:
        if not debug:
            gc.collect()  # what the failed command left behind is finalised now, under the quiet hook
        sys.unraisablehook = previous_hook
    # Raised here, outside every handler, so the exit carries no reference to the
    # failed command's frames (and nothing of it is finalised later, at shutdown).
    raise SystemExit(status)


def _run(args: list[str], debug: bool) -> int:
    """Run one command line; the exit status, with every error reported on stderr."""

    try:
        build_app(command_named(args))(args=args, prog_name="ehtool", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except EhtoolError as exc:
        _traceback(debug)
        return report_error(exc)
    except (OSError, sqlite3.OperationalError) as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (`ehtool family list | head`): not an error.
            try:  # what is still buffered for the closed pipe goes nowhere, quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            return 0
        _traceback(debug)
        return report_system_error(exc)
    except KeyboardInterrupt:
        sys.stderr.write("ehtool: interrupted; nothing further was saved.\n")
        return 130
    except Exception as exc:  # a bug: say so without dumping personal data
        io_error = as_os_error(exc, "an output file")
        if io_error is not None:  # a full disk reported by an XML writer
            return report_system_error(io_error)
        if debug:
            _traceback(debug)
        else:
            sys.stderr.write(
                f"ehtool: internal error ({type(exc).__name__}). Nothing further was saved. "
                "Run again with --debug to see the traceback, and report it.\n"
            )
        return 1
    return 0


def _traceback(debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exc()


def _ignore_unraisable(unraisable: object) -> None:
    return None
