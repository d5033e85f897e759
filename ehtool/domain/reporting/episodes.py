"""A family's episodes for the board report: the spells in which it is open,
rebuilt from the families row and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from ehtool.domain.validators import as_date, london_date


class Episode(TypedDict):
    """A spell in which a family is open (:func:`episodes`)."""

    start: dt.date
    end: dt.date | None  # None: still open
    referred: bool  # started by a referral (or a reopening), not only by the record being made
    prev_end: dt.date | None  # the previous episode's end, for a reopened family


def _new(value: Any) -> Any:
    return value[-1] if isinstance(value, list) and value else value


def episodes(family: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> list[Episode]:
    """A family's episodes: ``{"start", "end", "referred", "prev_end"}``, oldest first.

    ``history``: its family.add/close/reopen/edit audit entries in order, each
    ``{"action", "date", "values"}`` (values None when purged)."""
    created, closed_on = family["created"], family["closed_on"]
    if not any(h["action"] == "family.reopen" for h in history):
        return [
            {
                "start": family["referral_date"] or created,
                "end": closed_on,
                "referred": family["referral_date"] is not None,
                "prev_end": None,
            }
        ]
    edits = [h for h in history if h["action"] == "family.edit" and "referral_date" in (h["values"] or {})]
    add = next((h for h in history if h["action"] == "family.add"), None)
    if add is not None:
        start = as_date((add["values"] or {}).get("referral_date"))
    elif edits and isinstance(edits[0]["values"]["referral_date"], list):
        start = as_date(edits[0]["values"]["referral_date"][0])
    else:
        start = family["referral_date"]
    out: list[Episode] = []
    referred, is_open, last_end, prev_end = start is not None, True, None, None
    for h in history:
        values = h["values"] or {}
        if h["action"] == "family.close" and is_open:
            last_end = as_date(_new(values.get("closed_on"))) or h["date"]
            out.append({"start": start or created, "end": last_end, "referred": referred, "prev_end": prev_end})
            is_open = False
        elif h["action"] == "family.reopen" and not is_open:
            start, referred, prev_end, is_open = h["date"], True, last_end, True
        elif h in edits and is_open:
            new = as_date(_new(values["referral_date"]))
            if new is not None and (last_end is None or new >= last_end):
                start, referred = new, True
    if is_open:
        out.append({"start": start or created, "end": None, "referred": referred, "prev_end": prev_end})
    elif closed_on is not None:
        out[-1]["end"] = closed_on  # the families row holds the current closure's own date
    return out


def _open_during(eps: Iterable[Mapping[str, Any]], start: dt.date, end: dt.date) -> bool:
    return any(e["start"] <= end and (e["end"] is None or e["end"] >= start) for e in eps)


def _families(data: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """The families by id, with their dates parsed and their episodes rebuilt."""
    fams = {}
    for f in data["families"]:
        f = dict(
            f,
            created=london_date(f["created_at"]),
            referral_date=as_date(f["referral_date"]),
            closed_on=as_date(f["closed_on"]),
        )
        history = [dict(h, date=london_date(h["at"])) for h in data["history"].get(f["id"], [])]
        f["episodes"] = episodes(f, history)
        fams[f["id"]] = f
    return fams
