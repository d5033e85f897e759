"""`ehtool family import`: read a file, check every row, then write all or nothing.

The file is read into rows by :mod:`ehtool.documents.family_rows` (its layout,
formats and bounds are described there). Rows are validated before the write
lock is taken; the duplicate check and the write then run in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from pathlib import Path

from ehtool.documents.family_rows import (
    FAMILY_COLUMNS,
    FORMATS,
    KNOWN,
    MEMBER_COLUMNS,
    Rows,
    is_blank,
    raise_problems,
    read_rows,
    value_kind,
)
from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.services.settings import localities
from ehtool.store import imports as repo

__all__ = [
    "FAMILY_COLUMNS",
    "FORMATS",
    "KNOWN",
    "MEMBER_COLUMNS",
    "Rows",
    "find_duplicates",
    "import_file",
    "plan_import",
    "read_rows",
]


# What a cell may hold: text, a number, a yes/no, a date (xlsx); never a list or an object.
_SCALARS = (str, int, float, bool, dt.date, dt.time)


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
    return not is_blank(value)


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
                    problems.append(f"{where}, column {c}: holds {value_kind(value)}, not a single value")
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
    raise_problems(problems)
    return {"families": families, "warnings": warnings}


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
            raise_problems(find_duplicates(store, families))
        return result
    with store.tx():
        if not allow_duplicate:
            raise_problems(find_duplicates(store, families))
        if on_progress:
            on_progress("Writing", len(rows), len(rows))
        first, last = repo.insert_families(store, families, source=Path(path).name)
    result["first_id"], result["last_id"] = fam.family_ref(first), fam.family_ref(last)
    return result
