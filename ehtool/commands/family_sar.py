"""`ehtool family sar`: the subject access export (registered by commands/family.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ehtool.commands.common import DbOpt, JsonOpt, store
from ehtool.commands.views.projections import sar_json
from ehtool.services.subject_access import export
from ehtool.term import output


def sar(
    ctx: typer.Context,
    family_id: Annotated[str, typer.Argument(help="Family reference, e.g. F000123.", show_default=False)],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write into (created private, 0700).", show_default=False)
    ],
    member: Annotated[
        Optional[str],
        typer.Option(
            "--member", help="Only what concerns this member (e.g. M000004): their record and the family-level records."
        ),
    ] = None,
    json: JsonOpt = False,
    db: DbOpt = None,
):
    """Subject access export: everything held about a family (or one member) as JSON
    plus a readable HTML document, both private (0600). Audited as access."""

    result = export(store(ctx, db), family_id, out, member=member)
    if json:
        output.emit_json(sar_json(result))
        return
    output.line(result["json"])
    output.line(result["html"])
    scope = f"{result['member_id']} of {result['family_id']}" if result["member_id"] else result["family_id"]
    output.message(
        f"Subject access export for {scope} written. Check family-level records for other people's "
        "information before disclosing."
    )
    for w in result["warnings"]:
        output.warn(w)
