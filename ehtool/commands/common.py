"""Shared option aliases and the house settings for every sub-app."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.term import output


class _Globals:
    db: Path | None = None
    debug = False
    allow_unsafe = False


globals_ = _Globals()
_open: dict = {}


def make_app(help: str, **kwargs) -> typer.Typer:
    """A sub-app with the house settings."""
    return typer.Typer(help=help, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                       pretty_exceptions_show_locals=False, rich_markup_mode=None,
                       context_settings={"help_option_names": ["-h", "--help"]}, **kwargs)


DbOpt = Annotated[Optional[Path], typer.Option(
    "--db", help="The database file. Default: $EHTOOL_DB, else ehtool.db in the user data folder.",
    show_default=False, rich_help_panel=None)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys, documented in the README).")]
CsvOpt = Annotated[bool, typer.Option(
    "--csv", help="Print CSV with a header row, safe for a spreadsheet: text starting with = + - @, a tab or a "
                  "line break (even after spaces) gets a leading ', and control characters are escaped.")]
RawCsvOpt = Annotated[bool, typer.Option(
    "--raw-csv", help="Print CSV with every cell exactly as stored: no ' before formulas, nothing escaped "
                      "(for programs, not spreadsheets).")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Answer yes to the confirmation (for scripts).")]


def given(**values) -> dict:
    """The options the user passed (None means not given)."""
    return {k: v for k, v in values.items() if v is not None}


def db_path(db: Path | None = None) -> Path:
    from ehtool import paths

    return Path(db or globals_.db or paths.default_db()).expanduser()


def store(db: Path | None = None):
    """The open store for this invocation (opened once, closed at exit)."""
    path = db_path(db)
    key = str(path)
    if key not in _open:
        from ehtool.store import open_store

        _open[key] = open_store(path, allow_unsafe=globals_.allow_unsafe)
        atexit.register(_open[key].close)
    return _open[key]


def forget_open_stores() -> None:
    """Close every store this process opened (tests run many commands in one process)."""
    for s in _open.values():
        try:
            s.close()
        except Exception:
            pass
    _open.clear()


def json_or(json_flag: bool, data, render) -> None:
    if json_flag:
        output.emit_json(data)
    else:
        render()
