"""Shared option aliases and the house settings for every sub-app."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ehtool import paths
from ehtool.store import Store, open_store


@dataclass
class AppState:
    """One run's settings from the global options, and the stores it opened.

    Kept on the root Typer context (``ctx.obj``); the stores are closed when that
    context closes, whatever way the command ends."""

    db: Path | None = None
    debug: bool = False
    allow_unsafe: bool = False
    stores: dict[str, Store] = field(default_factory=dict)

    def close(self) -> None:
        for opened in self.stores.values():
            with contextlib.suppress(Exception):
                opened.close()
        self.stores.clear()


def app_state(ctx: typer.Context) -> AppState:
    """The run's state (a fresh default one when a sub-app runs on its own, as in some tests)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
        root.call_on_close(root.obj.close)
    return root.obj


def make_app(help: str, *, no_args_is_help: bool = True, **kwargs: Any) -> typer.Typer:
    """A sub-app with the house settings (a group that runs without a subcommand, like
    `ehtool audit`, passes ``invoke_without_command=True, no_args_is_help=False``)."""
    return typer.Typer(
        help=help,
        no_args_is_help=no_args_is_help,
        add_completion=False,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        **kwargs,
    )


DbOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        help="The database file. Default: $EHTOOL_DB, else ehtool.db in the user data folder.",
        show_default=False,
        rich_help_panel=None,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys, documented in the README).")]
CsvOpt = Annotated[
    bool,
    typer.Option(
        "--csv",
        help="Print CSV with a header row, safe for a spreadsheet: text starting with = + - @, a tab or a "
        "line break (even after spaces) gets a leading ', and control characters are escaped.",
    ),
]
RawCsvOpt = Annotated[
    bool,
    typer.Option(
        "--raw-csv",
        help="Print CSV with every cell exactly as stored: no ' before formulas, nothing escaped "
        "(for programs, not spreadsheets).",
    ),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Answer yes to the confirmation (for scripts).")]


def given(**values) -> dict:
    """The options the user passed (None means not given)."""
    return {k: v for k, v in values.items() if v is not None}


def db_path(ctx: typer.Context, db: Path | None = None) -> Path:
    """The database this command works on: --db here, else the global --db, else $EHTOOL_DB or the default."""
    return Path(db or app_state(ctx).db or paths.default_db()).expanduser()


def store(ctx: typer.Context, db: Path | None = None) -> Store:
    """The open store for this run (opened once, closed when the run ends)."""
    state = app_state(ctx)
    path = db_path(ctx, db)
    key = str(path)
    if key not in state.stores:
        state.stores[key] = open_store(path, allow_unsafe=state.allow_unsafe)
    return state.stores[key]
