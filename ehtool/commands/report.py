"""`ehtool report`: the partnership board's measures, on the terminal, as JSON,
or as a pseudonymised workbook with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, store
from ehtool.commands.views.projections import report_json
from ehtool.commands.views.report import render
from ehtool.domain import validators as v
from ehtool.services.reports import build_report, export_board
from ehtool.term import output


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    from_: Annotated[
        Optional[str],
        typer.Option(
            "--from", help="First day of the period (YYYY-MM-DD or DD/MM/YYYY). Default: 12 months before --to."
        ),
    ] = None,
    to: Annotated[
        Optional[str],
        typer.Option("--to", help="Last day of the period, and the day 'now' means. Default: today (UK)."),
    ] = None,
    locality: Annotated[Optional[str], typer.Option("--locality", help="Only families of this locality.")] = None,
    json: JsonOpt = False,
    xlsx: Annotated[
        Optional[Path],
        typer.Option(
            "--xlsx",
            help="Also write the board workbook (.xlsx, pseudonymised: counts only, 1 to 4 shown as '<5'; "
            "mode 0600; the export is audited).",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
):
    """The board report: families by rung over time, step-ups and step-downs, referrals and
    re-referrals, plans closed, progress, timeliness and reach, for a period."""

    st = store(ctx, db)
    start = v.parse_date(from_, field="--from") if from_ else None
    end = v.parse_date(to, field="--to") if to else None
    data = build_report(st, start=start, end=end, locality=locality, today=v.today_london())
    written = export_board(st, data, xlsx) if xlsx else None
    if json:
        output.emit_json(report_json(data))
    elif written:
        output.line(str(written))
    else:
        render(data)
    if written:
        output.message(f"Wrote the board workbook {written} (pseudonymised: counts from 1 to 4 shown as <5).")
