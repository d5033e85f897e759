"""`ehtool family import`: read a file, check every row, then write all or nothing.

Layout (documented in the README): one row per person, grouped by the
``household`` column; family columns are the ``family add`` flag names with
underscores; member columns carry a ``member_`` prefix. JSON may instead nest
a ``members`` list in each family object. Rows are read with the csv module
(streamed), json and openpyxl (xlsx), each through :mod:`ehtool.documents.inputs`,
which bounds every read (ordinary files only, sizes, encoding, zip directory,
cell lengths, XML entities). Rows are validated before the write lock is taken;
the duplicate check and the write then run in one transaction.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
from pathlib import Path

from ehtool.documents import inputs
from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.errors import InvalidInput, capped
from ehtool.services.settings import localities
from ehtool.store import imports as repo

FAMILY_COLUMNS = set(fam.FAMILY_FIELDS)
MEMBER_COLUMNS = {f"member_{f}" for f in fam.MEMBER_FIELDS}
KNOWN = FAMILY_COLUMNS | MEMBER_COLUMNS | {"household"}
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}
# What a cell may hold: text, a number, a yes/no, a date (xlsx); never a list or an object.
_SCALARS = (str, int, float, bool, dt.date, dt.time)

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


def _blank(value) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _row(names: list[str], values, where: str, problems: list[str]) -> dict | None:
    """The row's cells by column name, blank cells left out; None when every
    cell is blank. Data under a blank header (or past the last header) is a problem."""
    if len(values) <= len(names) and all(names[: len(values)]):  # the common case, in one pass
        row = {n: x for n, x in zip(names, values) if not _blank(x)}
        return row or None
    row = {}
    for i, value in enumerate(values):
        if _blank(value):
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
    _raise_problems(problems)
    return {n for n in names if n}, out


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def _read_json(text: str, name: str) -> tuple[set[str], Rows]:
    data = inputs.parse_structured(text, "json", name)
    if isinstance(data, dict):
        data = [data]  # one family
    if not isinstance(data, list):
        raise InvalidInput(
            f"{name} holds {_kind(data)}; a JSON import file is a list of family objects.",
            hint="See examples/families.json.",
        )
    out: Rows = []
    problems: list[str] = []
    columns: set[str] = set()
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"item {i}: is {_kind(item)}, not an object with a family's fields")
            continue
        base = {k: val for k, val in item.items() if k != "members"}
        columns.update(base)
        nested = item.get("members")
        if nested is None:
            out.append((f"item {i}", base))
            continue
        if not isinstance(nested, list):
            problems.append(f"item {i}, members: is {_kind(nested)}, not a list of member objects")
            continue
        base.setdefault("household", f"item-{i}")
        if not nested:
            out.append((f"item {i}", base))
        for j, m in enumerate(nested, start=1):
            if not isinstance(m, dict):
                problems.append(f"item {i} member {j}: is {_kind(m)}, not an object with a person's fields")
                continue
            member = {f"member_{k}": val for k, val in m.items()}
            columns.update(member)
            out.append((f"item {i} member {j}", {**base, **member}))
    _raise_problems(problems)
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
        _raise_problems(problems)
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


def _norm(value) -> str:
    """A cell's value for comparing rows of one household (true/yes/1 alike)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    low = text.casefold()
    if low in ("true", "yes", "y", "1"):
        return "yes"
    if low in ("false", "no", "n", "0"):
        return "no"
    return text


def _present(value) -> bool:
    return not _blank(value)


def plan_import(rows: Rows, *, localities: list[dict], today=None, on_progress=None) -> dict:
    """Validate every row (no database needed); return the families to insert,
    or raise listing every problem."""
    problems: list[str] = []
    warnings: list[str] = []
    today = today or v.today_london()
    groups: dict[str, list[tuple[str, dict]]] = {}
    for i, (where, row) in enumerate(rows):
        key = str(row.get("household") or "").strip() or f"\0{i}"
        groups.setdefault(key, []).append((where, row))
    families = []
    done = 0
    for members in groups.values():
        first_where, first = members[0]
        fvals = {c: first[c] for c in fam.FAMILY_FIELDS if c in first}
        clean, fprobs = fam.clean_family(fvals, localities=localities, today=today)
        problems.extend(f"{first_where}, column {p.field}: {p.message}" for p in fprobs)
        for where, row in members[1:]:
            for c in fam.FAMILY_FIELDS:
                value = row.get(c)
                if (
                    value is not None
                    and value != first.get(c)
                    and _present(value)
                    and _norm(value) != _norm(first.get(c))
                ):
                    problems.append(f"{where}, column {c}: differs from the household's first row ({first_where})")
        people = []
        for where, row in members:
            for c, value in row.items():
                if not isinstance(value, _SCALARS):
                    problems.append(f"{where}, column {c}: holds {_kind(value)}, not a single value")
            mvals = {f: row[f"member_{f}"] for f in fam.MEMBER_FIELDS if f"member_{f}" in row}
            if not any(_present(x) and x is not False for x in mvals.values()):
                continue
            mclean, mprobs, mwarn = fam.clean_member(mvals, today=today)
            problems.extend(f"{where}, column member_{p.field.replace(' ', '_')}: {p.message}" for p in mprobs)
            warnings.extend(f"{where}: {w}" for w in mwarn)
            people.append((where, mclean))
        families.append({"where": first_where, "family": clean, "members": people})
        done += len(members)
        if on_progress and len(families) % 1000 == 0:
            on_progress("Checking rows", done, len(rows))
    _raise_problems(problems)
    return {"families": families, "warnings": warnings}


def _raise_problems(problems: list[str]) -> None:
    if problems:
        shown, more = capped(problems)
        raise InvalidInput(
            f"Nothing was imported: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the file.",
            hint="Fix the rows listed and import again (--dry-run checks without writing)." + more,
            problems=shown,
        )


_SAME_IDENTIFIER = (("nhs_number", "the same NHS number"), ("upn", "the same UPN"))


def find_duplicates(store, families: list[dict]) -> list[str]:
    """Possible duplicates of the file's families and people, in the database
    and earlier in the file. The database is asked only about the file's own
    blocking keys (postcodes, dates of birth, NHS numbers, UPNs) through their
    indexes, so the cost follows the file, not the size of the database. Call
    it inside the write transaction, so nothing can be registered between the
    check and the write."""

    people = [(where, m) for f in families for where, m in f["members"]]
    by_postcode = repo.families_at_postcodes(
        store, {f["family"]["postcode"] for f in families if f["family"].get("postcode")}
    )
    by_dob = repo.members_born_on(store, {m["dob"] for _, m in people if m.get("dob")})
    by_id = {
        col: repo.members_with(store, col, {m[col] for _, m in people if m.get(col)}) for col, _ in _SAME_IDENTIFIER
    }
    problems = []
    for f in families:
        clean = f["family"]
        pc = clean.get("postcode")
        if pc:
            name = v.probe(clean["name"])
            block = by_postcode.setdefault(pc, [])
            found = v.first_similar(name, block)
            if found:
                problems.append(
                    f"{f['where']}: may already be registered as {found} "
                    f"(same postcode and similar family name); use --allow-duplicate if not"
                )
            block.append((name, f"the family at {f['where']}"))
    for where, m in people:
        why = None
        if m.get("dob"):
            name = v.probe(m["name"])
            block = by_dob.setdefault(m["dob"], [])
            found = v.first_similar(name, block)
            if found:
                why = (found, "similar name and same date of birth")
            block.append((name, f"the person at {where}"))
        for col, label in _SAME_IDENTIFIER:
            value = m.get(col)
            if value:
                holders = by_id[col].setdefault(value, [])
                if holders and why is None:
                    why = (holders[0], label)
                holders.append(f"the person at {where}")
        if why:
            problems.append(
                f"{where}: this person may already be registered as {why[0]} ({why[1]}); use --allow-duplicate if not"
            )
    return problems


def import_file(store, path: Path, *, dry_run: bool = False, allow_duplicate: bool = False, on_progress=None) -> dict:
    """Read, check and (unless ``dry_run``) write a family import file, all or
    nothing. Rows are validated before the write lock is taken; the duplicate
    check and the write then happen in one transaction. ``on_progress(stage,
    done, total)`` hears how far it has got (for a progress bar)."""

    with _no_cyclic_gc():
        return _import(
            store, path, localities(store), dry_run=dry_run, allow_duplicate=allow_duplicate, on_progress=on_progress
        )


@contextlib.contextmanager
def _no_cyclic_gc():
    """A file's rows are hundreds of thousands of small acyclic objects that live
    until the import ends: the cyclic collector would rescan them again and again
    (a third of a large import's time) to free nothing. Reference counting still
    frees them when the import is over."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import(store, path: Path, localities: list[dict], *, dry_run: bool, allow_duplicate: bool, on_progress) -> dict:

    rows, fmt = read_rows(path)
    plan = plan_import(rows, localities=localities, on_progress=on_progress)
    families = plan["families"]
    n_members = sum(len(f["members"]) for f in families)
    result = {
        "file": Path(path).name,
        "format": fmt,
        "rows": len(rows),
        "families": len(families),
        "members": n_members,
        "dry_run": dry_run,
        "first_id": None,
        "last_id": None,
        "warnings": plan["warnings"],
    }
    if on_progress:
        on_progress("Checking for duplicates" if not allow_duplicate else "Writing", len(rows), len(rows))
    if dry_run:
        if not allow_duplicate:
            _raise_problems(find_duplicates(store, families))
        return result
    with store.tx():
        if not allow_duplicate:
            _raise_problems(find_duplicates(store, families))
        if on_progress:
            on_progress("Writing", len(rows), len(rows))
        first, last = repo.insert_families(store, families, source=Path(path).name)
    result["first_id"], result["last_id"] = fam.family_ref(first), fam.family_ref(last)
    return result
