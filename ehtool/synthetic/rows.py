"""The import layout of synthetic families: its columns, flattening families to rows, writing them.

Rows are written as csv, tsv or json, ready for ``ehtool family import``.
"""

from __future__ import annotations

import csv
import json

from ehtool.domain import families as fam
from ehtool.synthetic.generator import _gc_paused

# The import file's columns are the domain's fields (one list, ehtool.domain.families).
FAMILY_COLUMNS = ("household", *fam.FAMILY_FIELDS)
MEMBER_FIELDS = fam.MEMBER_FIELDS
MEMBER_COLUMNS = tuple(f"member_{f}" for f in MEMBER_FIELDS)
ROLES = fam.ROLES
BOOL_COLUMNS = frozenset({"interpreter", *(f"member_{f}" for f in fam.MEMBER_FLAGS)})

_BLANK_MEMBER = {c: "" for c in MEMBER_COLUMNS}
_MEMBER_KEYS = tuple(zip(MEMBER_FIELDS, MEMBER_COLUMNS))


def to_rows(families: list[dict]) -> list[dict]:
    """The members import layout: one row per member, a household's rows
    together, the family columns repeated on each; a family without members
    is one row with blank member columns. Booleans stay ``bool`` (the CSV
    writer spells them yes/no); a blank member column is ``""``."""
    rows = []
    with _gc_paused():
        for fam in families:
            base = {c: fam.get(c, "") for c in FAMILY_COLUMNS}
            members = fam.get("members") or ()
            if not members:
                rows.append(base | _BLANK_MEMBER)
                continue
            for m in members:
                row = dict(base)
                for f, col in _MEMBER_KEYS:
                    row[col] = m.get(f, "")
                rows.append(row)
    return rows


def to_family_rows(families: list[dict]) -> list[dict]:
    """One row per family, family columns only."""
    with _gc_paused():
        return [{c: fam.get(c, "") for c in FAMILY_COLUMNS} for fam in families]


def _cell(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def write_rows(rows: list[dict], out, fmt: str, columns) -> None:
    """Write rows to a text stream as csv, tsv or json (a list of flat objects)."""
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    writer = csv.writer(out, dialect="excel-tab" if fmt == "tsv" else "excel", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
