"""`ehtool family import`: read a file, check every row, then write all or nothing.

Layout (documented in the README): one row per person, grouped by the
``household`` column; family columns are the ``family add`` flag names with
underscores; member columns carry a ``member_`` prefix. JSON may instead nest
a ``members`` list in each family object. Rows are read with sqlite-utils'
row readers (CSV, TSV, JSON) and openpyxl (xlsx).
"""

from __future__ import annotations

from pathlib import Path

from ehtool import families as fam
from ehtool import validators as v
from ehtool.errors import InvalidInput, NotFound

FAMILY_COLUMNS = set(fam.FAMILY_FIELDS)
MEMBER_COLUMNS = {f"member_{f}" for f in fam.MEMBER_FIELDS}
KNOWN = FAMILY_COLUMNS | MEMBER_COLUMNS | {"household", "members"}
MAX_PROBLEMS_SHOWN = 200


def read_rows(path: Path) -> tuple[list[tuple[str, dict]], str]:
    """Return [(where, row)] with a human place for each row, and the format."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"No file at {path}.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path), "xlsx"
    from sqlite_utils.utils import Format, RowError, rows_from_file

    formats = {".csv": Format.CSV, ".tsv": Format.TSV, ".tab": Format.TSV, ".json": Format.JSON}
    if suffix not in formats:
        raise InvalidInput(f"{path.name}: ehtool imports .csv, .tsv, .json or .xlsx files.",
                           hint="Rename the file with the extension that matches its contents.")
    try:
        with open(path, "rb") as fp:
            rows, fmt = rows_from_file(fp, format=formats[suffix])
            rows = list(rows)
    except (UnicodeDecodeError, ValueError, RowError) as exc:
        raise InvalidInput(f"{path.name} could not be read as {suffix[1:].upper()}: {exc}.",
                           hint="Check the file is UTF-8 text with a header row.") from None
    if suffix == ".json":
        out = []
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise InvalidInput(f"{path.name}: item {i} is not an object.")
            nested = row.get("members")
            if isinstance(nested, list):
                base = {k: val for k, val in row.items() if k != "members"}
                base.setdefault("household", f"item-{i}")
                if not nested:
                    out.append((f"item {i}", base))
                for j, m in enumerate(nested, start=1):
                    if not isinstance(m, dict):
                        raise InvalidInput(f"{path.name}: item {i} member {j} is not an object.")
                    out.append((f"item {i} member {j}", {**base, **{f"member_{k}": val for k, val in m.items()}}))
            else:
                out.append((f"item {i}", row))
        return out, "json"
    return [(f"row {i}", r) for i, r in enumerate(rows, start=2)], suffix[1:]


def _read_xlsx(path: Path) -> list[tuple[str, dict]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput(f"{path.name} is not a readable xlsx workbook ({type(exc).__name__}).") from None
    try:
        ws = wb["Families"] if "Families" in wb.sheetnames else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if not header:
            return []
        names = [str(h).strip() if h is not None else "" for h in header]
        out = []
        for i, values in enumerate(it, start=2):
            if values is None or all(c is None or str(c).strip() == "" for c in values):
                continue
            out.append((f"row {i}", {n: c for n, c in zip(names, values) if n}))
        return out
    finally:
        wb.close()


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
    return value is not None and str(value).strip() != ""


def plan_import(store, rows: list[tuple[str, dict]], *, localities: list[dict], allow_duplicate: bool,
                today=None) -> dict:
    """Validate everything; return families to insert, or raise listing every problem."""
    problems: list[str] = []
    warnings: list[str] = []
    if not rows:
        raise InvalidInput("The file has no rows to import.")
    columns = set()
    for _, row in rows:
        columns.update(k for k in row if k is not None)
    unknown = sorted(c for c in columns if c not in KNOWN)
    if unknown:
        raise InvalidInput(f"Unknown column(s): {', '.join(unknown)}.",
                           hint="Family columns: " + ", ".join(fam.FAMILY_FIELDS) + "; member columns: member_"
                                + ", member_".join(fam.MEMBER_FIELDS) + "; and household.")
    if "name" not in columns:
        raise InvalidInput("The file has no 'name' column (the family name or label).")
    today = today or v.today_london()
    groups: dict[str, list[tuple[str, dict]]] = {}
    for i, (where, row) in enumerate(rows):
        key = str(row.get("household") or "").strip() or f"\0{i}"
        groups.setdefault(key, []).append((where, row))
    families = []
    for key, members in groups.items():
        first_where, first = members[0]
        fvals = {c: first.get(c) for c in fam.FAMILY_FIELDS if c in first}
        clean, fprobs = fam.clean_family(fvals, localities=localities, today=today)
        problems.extend(f"{first_where}, column {p.field}: {p.message}" for p in fprobs)
        for where, row in members[1:]:
            for c in fam.FAMILY_FIELDS:
                if c in row and _present(row[c]) and _norm(row[c]) != _norm(first.get(c)):
                    problems.append(f"{where}, column {c}: differs from the household's first row ({first_where})")
        people = []
        for where, row in members:
            mvals = {f: row.get(f"member_{f}") for f in fam.MEMBER_FIELDS if f"member_{f}" in row}
            if not any(_present(x) and x is not False for x in mvals.values()):
                continue
            mclean, mprobs, mwarn = fam.clean_member(mvals, today=today)
            problems.extend(f"{where}, column member_{p.field.replace(' ', '_')}: {p.message}" for p in mprobs)
            warnings.extend(f"{where}: {w}" for w in mwarn)
            people.append((where, mclean))
        families.append({"where": first_where, "family": clean, "members": people})
    if not problems and not allow_duplicate:
        problems.extend(_duplicates(store, families))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        raise InvalidInput(
            f"Nothing was imported: {len(problems)} problem{'s' if len(problems) != 1 else ''} in the file.",
            hint="Fix the rows listed and import again (--dry-run checks without writing)."
                 + (f" {more} more not shown." if more else ""),
            problems=shown)
    return {"families": families, "warnings": warnings}


def _duplicates(store, families: list[dict]) -> list[str]:
    from ehtool.store import imports as repo

    problems = []
    by_postcode = repo.families_by_postcode(store)
    by_dob = repo.members_by_dob(store)
    for f in families:
        clean = f["family"]
        pc = clean.get("postcode")
        key = v.name_key(clean["name"])
        if pc:
            for c in by_postcode.get(pc, []):
                if v.similar_names(key, c["name_key"]):
                    problems.append(f"{f['where']}: may already be registered as {c['ref']} "
                                    f"(same postcode and similar family name); use --allow-duplicate if not")
                    break
            by_postcode.setdefault(pc, []).append({"name_key": key, "ref": f"the family at {f['where']}"})
        for where, m in f["members"]:
            if not m.get("dob"):
                continue
            mkey = v.name_key(m["name"])
            for c in by_dob.get(m["dob"], []):
                if v.similar_names(mkey, c["name_key"]):
                    problems.append(f"{where}: this person may already be registered as {c['ref']} "
                                    f"(similar name and same date of birth); use --allow-duplicate if not")
                    break
            by_dob.setdefault(m["dob"], []).append({"name_key": mkey, "ref": f"the person at {where}"})
    return problems


def import_file(store, path: Path, *, dry_run: bool = False, allow_duplicate: bool = False,
                progress: bool = False) -> dict:
    from ehtool.partnership import localities
    from ehtool.store import imports as repo

    rows, fmt = read_rows(path)
    plan = plan_import(store, rows, localities=localities(store), allow_duplicate=allow_duplicate)
    families = plan["families"]
    n_members = sum(len(f["members"]) for f in families)
    result = {"file": Path(path).name, "format": fmt, "rows": len(rows), "families": len(families),
              "members": n_members, "dry_run": dry_run, "first_id": None, "last_id": None,
              "warnings": plan["warnings"]}
    if dry_run:
        return result
    first, last = repo.insert_families(store, families, source=Path(path).name)
    result["first_id"], result["last_id"] = fam.family_ref(first), fam.family_ref(last)
    return result


