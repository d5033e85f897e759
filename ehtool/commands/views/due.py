"""How `ehtool due` looks on a terminal or in a pipe: grouped by lead professional."""

from __future__ import annotations

import datetime as dt

from ehtool.domain import due as rules
from ehtool.term import output

COLUMNS = [
    ("family_id", "Family"),
    ("category", "Category"),
    ("what", "What"),
    ("date", "Date"),
    ("when", "When"),
    ("locality", "Locality"),
]


def render_due(items: list[rules.DueItem], day: dt.date) -> None:
    """The due list, one table per lead professional, then a one-line summary (stderr)."""
    if not items:
        output.message(f"Nothing due as of {day.isoformat()}.")
        return
    for lead, group in rules.by_lead(items):
        late = sum(1 for i in group if i["overdue"])
        output.heading(
            f"{lead or 'No lead professional recorded'}: {len(group)} item{'s' if len(group) != 1 else ''}"
            f", {late} overdue"
        )
        output.emit_table([{**i, "when": rules.when(i)} for i in group], COLUMNS)
    late = sum(1 for i in items if i["overdue"])
    harm = sum(1 for i in items if i["category"] == "significant-harm")
    output.message(
        f"{len(items)} item{'s' if len(items) != 1 else ''} as of {day.isoformat()}: {late} overdue"
        + (f", {harm} with possible significant harm (contact the front door)" if harm else "")
        + "."
    )
