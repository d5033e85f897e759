"""Bulk loading for `family import`: one IMMEDIATE transaction, ids assigned up front."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ehtool.domain import families as fam
from ehtool.domain.validators import NameProbe, name_key, probe
from ehtool.store import audit
from ehtool.store.connection import insert_sql
from ehtool.store.families import BOOL_MEMBER, FAMILY_COLS, MEMBER_COLS

if TYPE_CHECKING:
    from ehtool.store.connection import Store

_CHUNK = 500  # bound parameters per IN (...) query, well inside SQLite's limit
# (name probe, reference) of a family or member.
Probe = tuple[NameProbe, str]


def _chunks(values: Iterable[str]) -> list[list[str]]:
    items = sorted(values)
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def families_at_postcodes(store: Store, postcodes: Iterable[str]) -> dict[str, list[Probe]]:
    """Families at any of these postcodes (through the postcode index): {postcode: [(name probe, reference)]}."""
    return _names_by(store, "families", "postcode", postcodes, fam.family_ref)


def members_born_on(store: Store, dobs: Iterable[str]) -> dict[str, list[Probe]]:
    """Members born on any of these dates (through the dob index): {dob: [(name probe, reference)]}."""
    return _names_by(store, "members", "dob", dobs, fam.member_ref)


def _names_by(
    store: Store, table: str, column: str, values: Iterable[str], ref: Callable[[int], str]
) -> dict[str, list[Probe]]:
    out: dict[str, list[Probe]] = {}
    for chunk in _chunks(values):
        sql = f"SELECT id, {column}, name_key FROM {table} WHERE {column} IN ({', '.join('?' * len(chunk))})"
        for pk, value, key in store.conn.execute(sql, chunk):
            out.setdefault(value, []).append((probe(key), ref(pk)))
    return out


IDENTIFIER_COLUMNS = ("nhs_number", "upn")


def members_with(store: Store, column: str, values: Iterable[str]) -> dict[str, list[str]]:
    """Members holding any of these NHS numbers or UPNs (through their indexes): {value: [member ref]}."""
    if column not in IDENTIFIER_COLUMNS:
        raise ValueError(column)
    out: dict[str, list[str]] = {}
    for chunk in _chunks(values):
        sql = f"SELECT id, {column} FROM members WHERE {column} IN ({', '.join('?' * len(chunk))})"
        for mid, value in store.conn.execute(sql, chunk):
            out.setdefault(value, []).append(fam.member_ref(mid))
    return out


def insert_families(store: Store, families: Sequence[Mapping[str, Any]], *, source: str) -> tuple[int, int]:
    """Insert validated families and members; return (first id, last id). Each of
    ``families`` is ``{"family": values, "members": [(line, values), ...]}``."""
    now = audit.now_utc()
    fcols = ["id", *FAMILY_COLS, "name_key", "created_at", "updated_at"]
    mcols = ["family_id", *MEMBER_COLS, "name_key", "created_at", "updated_at"]
    fsql, msql = insert_sql("families", fcols), insert_sql("members", mcols)
    with store.tx():
        start: int = store.scalar("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'families'") or 0
        start = max(start, store.scalar("SELECT COALESCE(MAX(id), 0) FROM families"))
        frows: list[tuple[Any, ...]] = []
        mrows: list[tuple[Any, ...]] = []
        for i, f in enumerate(families, start=start + 1):
            c = f["family"]
            frows.append(
                (
                    i,
                    *[(int(bool(c.get(k))) if k == "interpreter" else c.get(k)) for k in FAMILY_COLS],
                    name_key(c["name"]),
                    now,
                    now,
                )
            )
            for _, m in f["members"]:
                mrows.append(
                    (
                        i,
                        *[(int(bool(m.get(k))) if k in BOOL_MEMBER else m.get(k)) for k in MEMBER_COLS],
                        name_key(m["name"]),
                        now,
                        now,
                    )
                )
        store.conn.executemany(fsql, frows)
        store.conn.executemany(msql, mrows)
        first, last = start + 1, start + len(families)
        audit.record(
            store,
            "family.import",
            entity="family",
            entity_id=f"{fam.family_ref(first)}..{fam.family_ref(last)}",
            fields=["families", "members", "source"],
            values={"families": len(families), "members": len(mrows), "source": source},
        )
    return first, last
