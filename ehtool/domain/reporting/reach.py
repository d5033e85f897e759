"""The board report's reach: families open at some time in the period, and their members."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ehtool.domain.reporting.episodes import _open_during
from ehtool.domain.reporting.summaries import NOT_RECORDED
from ehtool.errors import InvalidInput


def _grouped(values: Iterable[Any]) -> list[dict[str, Any]]:
    """Counts of text values, grouped ignoring case and spaces (first spelling shown)."""
    counts: Counter[str | None] = Counter()
    label: dict[str | None, str] = {}
    for value in values:
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        key = text.casefold() if text and text.casefold() != NOT_RECORDED.casefold() else None
        label.setdefault(key, text or NOT_RECORDED)
        counts[key] += 1
    rows = [{"value": label[k], "count": n} for k, n in counts.items()]
    return sorted(rows, key=lambda r: (r["value"] == NOT_RECORDED, -r["count"], r["value"].casefold()))


def _reach(
    data: Mapping[str, Any],
    fams: Mapping[int, Mapping[str, Any]],
    start: dt.date,
    end: dt.date,
    district: Callable[[str], str | None] | None,
) -> dict[str, Any]:
    """Families open at some time in the period (and their members), by district, language,
    interpreter need and ethnicity."""
    reach_ids = {fid for fid, f in fams.items() if _open_during(f["episodes"], start, end)}

    def district_of(pc: str | None) -> str | None:
        try:
            return district(pc) if pc and district else None
        except InvalidInput:
            return None

    reach_fams = [fams[i] for i in sorted(reach_ids)]
    members = [m for m in data["members"] if m["family_id"] in reach_ids]
    return {
        "families": len(reach_fams),
        "members": len(members),
        "postcode_district": _grouped(district_of(f["postcode"]) for f in reach_fams),
        "language": _grouped(f["language"] for f in reach_fams),
        "interpreter": {
            "needed": sum(1 for f in reach_fams if f["interpreter"]),
            "not_needed": sum(1 for f in reach_fams if not f["interpreter"]),
        },
        "ethnicity": _grouped(m["ethnicity"] for m in members),
    }
