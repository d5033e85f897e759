"""Reading a family import file into rows: one row per person, by column name.

Layout (documented in the README): one row per person, grouped by the
``household`` column; family columns are the ``family add`` flag names with
underscores; member columns carry a ``member_`` prefix. JSON may instead nest
a ``members`` list in each family object. Rows are read with the csv module
(streamed), json and openpyxl (xlsx), each through :mod:`ehtool.documents.inputs`,
which bounds every read (ordinary files only, sizes, encoding, zip directory,
cell lengths, XML entities). Checking the rows' values is
:func:`ehtool.services.imports.plan_import`'s.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ehtool.documents import inputs
from ehtool.domain import families as fam
from ehtool.errors import InvalidInput, capped

FAMILY_COLUMNS = set(fam.FAMILY_FIELDS)
MEMBER_COLUMNS = {f"member_{f}" for f in fam.MEMBER_FIELDS}
KNOWN = FAMILY_COLUMNS | MEMBER_COLUMNS | {"household"}
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}

Rows = list[tuple[str, dict]]


def read_rows(path: Path) -> tuple[Rows, str]:
    """Return [(where, row)] with a human place for each row, and the format.
    Every problem with the file itself (its kind, size, encoding, header) is an
    :class:`InvalidInput`; a file with no rows is one too."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(
            f"{path.name}: ehtool imports .csv, .tsv, .json or .xlsx files.",
            hint="Rename the file with the extension that matches its contents.",
        )
    if fmt == "xlsx":
        columns, rows = _read_xlsx(path)
    elif fmt == "json":
        columns, rows = _read_json(
            inputs.read_text(path, what="import file", max_bytes=inputs.MAX_IMPORT_BYTES), path.name
        )
    else:
        columns, rows = _read_delimited(path, "\t" if fmt == "tsv" else ",")
    _check_columns(columns)
    if not rows:
        raise InvalidInput(
            f"{path.name} has no rows to import.",
            hint="An import file has a header row, then one row per person (see the README).",
        )
    return rows, fmt


def _header(cells, name: str) -> list[str]:
    names = ["" if c is None else " ".join(str(c).split()) for c in cells]
    seen: dict[str, int] = {}
    repeated = []
    for i, n in enumerate(names):
        if n in seen:
            repeated.append(f"'{n}' (columns {inputs.column_letter(seen[n])} and {inputs.column_letter(i)})")
        elif n:
            seen[n] = i
    if repeated:
        raise InvalidInput(
            f"{name}: the header row names {', '.join(repeated)} twice; each column is named once.",
            hint="Delete or rename the repeated column, so no value is silently chosen over another.",
        )
    return names


def is_blank(value) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _row(names: list[str], values, where: str, problems: list[str]) -> dict | None:
    """The row's cells by column name, blank cells left out; None when every
    cell is blank. Data under a blank header (or past the last header) is a problem."""
    if len(values) <= len(names) and all(names[: len(values)]):  # the common case, in one pass
        row = {n: x for n, x in zip(names, values) if not is_blank(x)}
        return row or None
    row = {}
    for i, value in enumerate(values):
        if is_blank(value):
            continue
        col = names[i] if i < len(names) else ""
        if not col:
            problems.append(
                f"{where}, column {inputs.column_letter(i)}: holds data under a blank (or merged) "
                "header; name the column or clear it"
            )
            continue
        row[col] = value
    return row or None


def _read_delimited(path: Path, delimiter: str) -> tuple[set[str], Rows]:
    """CSV or TSV, streamed from the file (UTF-8; a byte-order mark is fine)."""
    out: Rows = []
    problems: list[str] = []
    record = 1
    kind = "TSV" if delimiter != "," else "CSV"
    with inputs.open_input(path, what="import file", max_bytes=inputs.MAX_IMPORT_BYTES) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None:
                return set(), []
            names = _header(header, path.name)
            for record, values in enumerate(reader, start=2):
                row = _row(names, values, f"row {record}", problems)
                if row is not None:  # blank rows, trailing ones included, are skipped as in a workbook
                    out.append((f"row {record}", row))
        except csv.Error as exc:
            raise InvalidInput(
                f"{path.name}: row {record + 1} could not be read as {kind}: {exc}.",
                hint=f"Check that row's quoting; a cell holds at most {csv.field_size_limit():,} characters.",
            ) from None
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{path.name} is not UTF-8 text (first seen near row {record + 1}); ehtool reads "
                "UTF-8 files (a Windows-1252 or Latin-1 file looks like this).",
                hint=inputs.ENCODING_HINT,
            ) from None
    raise_problems(problems)
    return {n for n in names if n}, out


def value_kind(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _read_json(text: str, name: str) -> tuple[set[str], Rows]:
    data = inputs.parse_structured(text, "json", name)
    if isinstance(data, dict):
        data = [data]  # one family
    if not isinstance(data, list):
        raise InvalidInput(
            f"{name} holds {value_kind(data)}; a JSON import file is a list of family objects.",
            hint="See examples/families.json.",
        )
    out: Rows = []
    problems: list[str] = []
    columns: set[str] = set()
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"item {i}: is {value_kind(item)}, not an object with a family's fields")
            continue
        base = {k: val for k, val in item.items() if k != "members"}
        columns.update(base)
        nested = item.get("members")
        if nested is None:
            out.append((f"item {i}", base))
            continue
        if not isinstance(nested, list):
            problems.append(f"item {i}, members: is {value_kind(nested)}, not a list of member objects")
            continue
        base.setdefault("household", f"item-{i}")
        if not nested:
            out.append((f"item {i}", base))
        for j, m in enumerate(nested, start=1):
            if not isinstance(m, dict):
                problems.append(f"item {i} member {j}: is {value_kind(m)}, not an object with a person's fields")
                continue
            member = {f"member_{k}": val for k, val in m.items()}
            columns.update(member)
            out.append((f"item {i} member {j}", {**base, **member}))
    raise_problems(problems)
    return columns, out


def _read_xlsx(path: Path) -> tuple[set[str], Rows]:
    fh, wb = inputs.open_workbook(path, what="import file", data_only=True)
    try:
        ws = wb["Families"] if "Families" in wb.sheetnames else wb.worksheets[0]
        rows = inputs.sheet_rows(ws, path.name)
        first = next(rows, None)
        if first is None:
            return set(), []
        names = _header(first[1], path.name)
        out: Rows = []
        problems: list[str] = []
        for row_no, values in rows:
            row = _row(names, values, f"row {row_no}", problems)
            if row is not None:
                out.append((f"row {row_no}", row))
        raise_problems(problems)
        return {n for n in names if n}, out
    finally:
        wb.close()
        fh.close()


def _check_columns(columns: set[str]) -> None:
    unknown = sorted(c for c in columns if c not in KNOWN)
    if unknown:
        raise InvalidInput(
            f"Unknown column(s): {', '.join(unknown)}.",
            hint="Family columns: "
            + ", ".join(fam.FAMILY_FIELDS)
            + "; member columns: member_"
            + ", member_".join(fam.MEMBER_FIELDS)
            + "; and household.",
        )
    if columns and "name" not in columns:
        raise InvalidInput("The file has no 'name' column (the family name or label).")


def raise_problems(problems: list[str]) -> None:
    if problems:
        shown, more = capped(problems)
        raise InvalidInput(
            f"Nothing was imported: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the file.",
            hint="Fix the rows listed and import again (--dry-run checks without writing)." + more,
            problems=shown,
        )
