"""The partnership board report: gather, compute, and hand over as a workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ehtool import __version__
from ehtool.documents.board import write_board
from ehtool.domain import reporting
from ehtool.domain.families import match_locality
from ehtool.domain.plans import CLOSE_REASONS
from ehtool.domain.validators import postcode_district
from ehtool.errors import InvalidInput
from ehtool.services import exports
from ehtool.services.settings import framework, localities, marking, profile
from ehtool.store import reports as repo

if TYPE_CHECKING:
    from ehtool.store.connection import Store


def build_report(store, *, start: dt.date | None, end: dt.date | None, locality: str | None, today: dt.date) -> dict:
    """The whole board report (the ``--json`` shape) for the partnership in ``store``."""
    start, end = reporting.period(start, end, today)
    if locality is not None:
        locality = match_locality(locality, localities(store)) or None  # unknown: InvalidInput naming them
    prof = profile(store)
    data = repo.fetch(store, end=end.isoformat(), locality=locality)
    body = reporting.compute(
        data,
        levels=[{"id": lv.id, "name": lv.name} for lv in prof.levels],
        lowest=prof.lowest.id,
        areas=[{"id": a["id"], "name": a["name"]} for a in framework(store).areas],
        close_reasons=CLOSE_REASONS,
        start=start,
        end=end,
        district=postcode_district,
    )
    head = {
        "report": "ehtool-board-report",
        "format_version": 1,
        "generated_on": today.isoformat(),
        "generated_by": f"ehtool {__version__}",
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "locality": locality,
        "marking": marking(store),
        "profile": {"id": prof.id, "name": prof.name, "lowest": prof.lowest.id},
    }
    return {**head, **body}


def export_board(st: Store, data: dict, dest: Path) -> Path:
    """Write the pseudonymised board workbook (audited as one unit with the file)."""
    dest = Path(dest).expanduser()
    period = data["period"]
    if dest.is_dir():
        dest = dest / f"board-report-{period['from']}-to-{period['to']}.xlsx"
    elif dest.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{dest.name} does not end in .xlsx.", hint="Name the workbook e.g. board-report.xlsx.")
    exports.export(
        st,
        exports.Entry(
            "report.export",
            "report",
            values={
                "format": "xlsx",
                "file": dest.name,
                "from": period["from"],
                "to": period["to"],
                "locality": data["locality"],
                "pseudonymised": True,
            },
        ),
        [(dest, lambda tmp: write_board(data, tmp, marking=data["marking"]))],
    )
    return dest
