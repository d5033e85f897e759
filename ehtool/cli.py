"""The root ehtool app: global options, the command groups, and the one place
that turns an :class:`EhtoolError` into a message and an exit status."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool import __version__, output, prompts
from ehtool.commands import common
from ehtool.commands import assess as assess_cmd
from ehtool.commands import audit as audit_cmd
from ehtool.commands import consent as consent_cmd
from ehtool.commands import family as family_cmd
from ehtool.commands import member as member_cmd
from ehtool.commands import profile as profile_cmd
from ehtool.commands import setup as setup_cmd

app = common.make_app(
    "ehtool: the early help coordinator's toolkit. Register families, place them on the continuum of need, "
    "write One Family Plans, and prepare locality panels. Run `ehtool demo` for a tour.")


def _version(value: bool):
    if value:
        sys.stdout.write(f"ehtool {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[Optional[Path], typer.Option("--db", help="The database file (also $EHTOOL_DB).",
                                               show_default=False)] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt; fail naming the flag to pass "
                                                              "(also $EHTOOL_NO_INPUT).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only data and errors; no notes on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on error (may include personal data).")] = False,
    allow_unsafe_location: Annotated[bool, typer.Option(
        "--allow-unsafe-location", help="Open a database on a network/synced folder or behind a symlink.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
):
    common.globals_.db = db
    common.globals_.debug = debug
    common.globals_.allow_unsafe = allow_unsafe_location
    prompts.state.no_input = no_input
    output.state.quiet = quiet


setup_cmd.register(app)
app.add_typer(family_cmd.app, name="family")
app.add_typer(member_cmd.app, name="member")
app.add_typer(assess_cmd.app, name="assess")
app.add_typer(consent_cmd.app, name="consent")
app.add_typer(profile_cmd.app, name="profile")
app.add_typer(audit_cmd.app, name="audit")
# -- further command groups register below (one line each) --
from ehtool.commands import db as db_cmd; app.add_typer(db_cmd.app, name="db")
from ehtool.commands import retention as retention_cmd; app.add_typer(retention_cmd.app, name="retention")  # noqa: E402,E702
from ehtool.commands import due as due_cmd; due_cmd.register(app)  # noqa: E402,E702
from ehtool.commands import report as report_cmd; report_cmd.register(app)
from ehtool.commands import panel as panel_cmd; app.add_typer(panel_cmd.app, name="panel")  # noqa: E402,E702
from ehtool.commands import plan as plan_cmd; app.add_typer(plan_cmd.app, name="plan")  # noqa: E402,E702


def report_error(exc) -> int:
    from ehtool.errors import EhtoolError

    assert isinstance(exc, EhtoolError)
    sys.stderr.write(f"ehtool: error: {output.safe(exc.message)}\n")
    for problem in exc.problems:
        sys.stderr.write(f"  - {output.safe(problem)}\n")
    if exc.hint:
        sys.stderr.write(f"  hint: {output.safe(exc.hint)}\n")
    return exc.exit_code


def report_system_error(exc: BaseException) -> int:
    """Disk full, permission denied, a database busy for too long: the system's
    refusal, said in one line without personal data. Nothing half-written stays."""
    from ehtool.errors import SYSTEM

    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            what = "the database stayed busy (another ehtool kept it locked); try again"
        elif "full" in text:
            what = "the disk is full"
        else:
            what = f"the database could not be used ({text})"
    else:
        what = exc.strerror or type(exc).__name__
        if getattr(exc, "filename", None):
            what = f"{exc.filename}: {what}"
    sys.stderr.write(f"ehtool: error: {output.safe(what)}. Nothing further was saved.\n")
    return SYSTEM


def main(argv: list[str] | None = None) -> None:
    from ehtool.errors import EhtoolError

    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args or os.environ.get("EHTOOL_DEBUG", "") not in ("", "0")
    if not debug:
        # A library's generator finalised after an error would print "Exception
        # ignored in ..." with a traceback; the error itself is reported once below.
        sys.unraisablehook = lambda unraisable: None
    try:
        app(args=args, prog_name="ehtool", standalone_mode=True)
    except SystemExit:
        raise
    except EhtoolError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        raise SystemExit(report_error(exc)) from None
    except (OSError, sqlite3.OperationalError) as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (`ehtool family list | head`): not an error.
            try:
                sys.stdout = open(os.devnull, "w")
            except OSError:
                pass
            raise SystemExit(0) from None
        if debug:
            import traceback

            traceback.print_exc()
        raise SystemExit(report_system_error(exc)) from None
    except KeyboardInterrupt:
        sys.stderr.write("ehtool: interrupted; nothing further was saved.\n")
        raise SystemExit(130) from None
    except Exception as exc:  # a bug: say so without dumping personal data
        from ehtool.files import as_os_error

        io_error = as_os_error(exc, "an output file")
        if io_error is not None:  # a full disk reported by an XML writer
            raise SystemExit(report_system_error(io_error)) from None
        if debug:
            import traceback

            traceback.print_exc()
        else:
            sys.stderr.write(f"ehtool: internal error ({type(exc).__name__}). Nothing further was saved. "
                             "Run again with --debug to see the traceback, and report it.\n")
        raise SystemExit(1) from None
    finally:
        common.forget_open_stores()
