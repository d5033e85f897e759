"""Families and members in SQLite. Every write is one transaction with its audit entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ehtool.domain import families as fam
from ehtool.domain.validators import name_key
from ehtool.errors import Conflict, NotFound
from ehtool.store import audit

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import (
        Changes,
        FamilyDuplicate,
        FamilyRecord,
        FamilyRow,
        FamilySummary,
        MemberDuplicate,
        MemberRecord,
        MemberRow,
    )

# The columns are the domain's fields (ehtool.domain.families), one list for both.
FAMILY_COLS = fam.FAMILY_FIELDS
MEMBER_COLS = fam.MEMBER_FIELDS
BOOL_FAMILY = ("interpreter",)
BOOL_MEMBER = fam.MEMBER_FLAGS


def _family_out(record: Mapping[str, Any]) -> FamilyRow:
    row = dict(record)
    row.pop("name_key", None)
    row["id"] = fam.family_ref(row["id"])
    row.setdefault("level", None)
    for b in BOOL_FAMILY:
        row[b] = bool(row[b])
    return cast("FamilyRow", row)


def _member_out(record: Mapping[str, Any]) -> MemberRow:
    row = dict(record)
    row.pop("name_key", None)
    row["id"] = fam.member_ref(row["id"])
    row["family_id"] = fam.family_ref(row["family_id"])
    for b in BOOL_MEMBER:
        row[b] = bool(row[b])
    return cast("MemberRow", row)


def _family_record(store: Store, family_id: int) -> dict[str, Any]:
    row = store.one("SELECT * FROM families WHERE id = ?", (family_id,))
    if row is None:
        raise NotFound(f"No family {fam.family_ref(family_id)}.", hint="`ehtool family list` shows the families held.")
    return row


def family_row(store: Store, family_id: int) -> FamilyRecord:
    """The family's row as stored; NotFound if there is none."""
    return cast("FamilyRecord", _family_record(store, family_id))


def get_family(store: Store, family_id: int, *, with_members: bool = True) -> FamilyRow:
    out = _family_out(_family_record(store, family_id))
    if with_members:
        out["members"] = [
            _member_out(m)
            for m in store.all(
                "SELECT * FROM members WHERE family_id = ? ORDER BY (role = 'unborn'), role != 'parent' AND role != "
                "'carer', COALESCE(dob, due_date), id",
                (family_id,),
            )
        ]
    return out


def family_duplicates(
    store: Store, name: str, postcode: str | None, *, exclude: int | None = None
) -> list[FamilyDuplicate]:
    """Possible duplicates of a family: {id, why}, references only (never a name)."""
    if not postcode:
        return []
    rows = store.all("SELECT id, name_key FROM families WHERE postcode = ? AND id != ?", (postcode, exclude or 0))
    return [
        {"id": fam.family_ref(r["id"]), "why": "same postcode and similar family name"}
        for r in fam.duplicate_family(name_key(name), postcode, rows)
    ]


_SAME_IDENTIFIER = {"nhs_number": "the same NHS number", "upn": "the same UPN"}


def member_duplicates(
    store: Store,
    name: str | None,
    dob: str | None,
    *,
    nhs_number: str | None = None,
    upn: str | None = None,
    exclude: int | None = None,
) -> list[MemberDuplicate]:
    """Possible duplicates of a person, in any family: a similar name and the
    same date of birth, or the same NHS number or UPN. {id, family_id, why},
    references only (never a name)."""
    found: dict[int, MemberDuplicate] = {}
    if name and dob:
        rows = store.all("SELECT id, family_id, name_key FROM members WHERE dob = ? AND id != ?", (dob, exclude or 0))
        for r in fam.duplicate_member(name_key(name), dob, rows):
            found[r["id"]] = {
                "id": fam.member_ref(r["id"]),
                "family_id": fam.family_ref(r["family_id"]),
                "why": "similar name and same date of birth",
            }
    for column, value in (("nhs_number", nhs_number), ("upn", upn)):
        if not value:
            continue
        for r in store.all(f"SELECT id, family_id FROM members WHERE {column} = ? AND id != ?", (value, exclude or 0)):
            found.setdefault(
                r["id"],
                {
                    "id": fam.member_ref(r["id"]),
                    "family_id": fam.family_ref(r["family_id"]),
                    "why": _SAME_IDENTIFIER[column],
                },
            )
    return list(found.values())


def add_family(store: Store, values: Mapping[str, Any], *, now: str | None = None) -> int:
    now = now or audit.now_utc()
    cols = [c for c in FAMILY_COLS if c in values]
    row: dict[str, Any] = {c: values[c] for c in cols}
    row["interpreter"] = int(bool(values.get("interpreter")))
    row["name_key"] = name_key(values["name"])
    row["created_at"] = row["updated_at"] = now
    with store.tx():
        fid = store.insert("families", row)
        audit.record(
            store,
            "family.add",
            entity="family",
            entity_id=fam.family_ref(fid),
            family_id=fid,
            values={c: values[c] for c in cols if values[c] not in (None, "", False)},
        )
    return fid


def edit_family(store: Store, family_id: int, values: Mapping[str, Any]) -> Changes:
    """Apply changed values; returns {field: [old, new]} of what changed."""
    with store.tx():
        current = _family_record(store, family_id)
        changes = {
            k: [current[k], (int(val) if k in BOOL_FAMILY else val)]
            for k, val in values.items()
            if (int(val) if k in BOOL_FAMILY else val) != current[k]
        }
        if not changes:
            return {}
        sets = {k: new for k, (_, new) in changes.items()}
        if "name" in sets:
            sets["name_key"] = name_key(sets["name"])
        sets["updated_at"] = audit.now_utc()
        store.execute(
            f"UPDATE families SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", (*sets.values(), family_id)
        )
        audit.record(
            store,
            "family.edit",
            entity="family",
            entity_id=fam.family_ref(family_id),
            family_id=family_id,
            values=changes,
        )
    return changes


def open_levels_outside(store: Store, levels: set[str]) -> int:
    """How many open families have a current level that is not one of ``levels``."""
    marks = ", ".join("?" * len(levels)) or "''"
    count: int = store.scalar(
        f"SELECT COUNT(*) FROM families WHERE status = 'open' AND level IS NOT NULL AND level NOT IN ({marks})",
        tuple(sorted(levels)),
    )
    return count


def set_status(store: Store, family_id: int, status: str, reason: str | None, on: str | None) -> None:
    with store.tx():
        current = family_row(store, family_id)
        if current["status"] == status:
            ref = fam.family_ref(family_id)
            raise Conflict(
                f"{ref} is already {status}.",
                hint=f"`ehtool family {'reopen' if status == 'closed' else 'close'} {ref}` does the opposite.",
            )
        store.execute(
            "UPDATE families SET status = ?, closed_reason = ?, closed_on = ?, updated_at = ? WHERE id = ?",
            (status, reason, on, audit.now_utc(), family_id),
        )
        audit.record(
            store,
            "family.close" if status == "closed" else "family.reopen",
            entity="family",
            entity_id=fam.family_ref(family_id),
            family_id=family_id,
            values={
                "status": [current["status"], status],
                "closed_reason": [current["closed_reason"], reason],
                "closed_on": [current["closed_on"], on],
            },
        )


def add_member(store: Store, family_id: int, values: Mapping[str, Any]) -> int:
    now = audit.now_utc()
    row: dict[str, Any] = {c: values.get(c) for c in MEMBER_COLS}
    for b in BOOL_MEMBER:
        row[b] = int(bool(row[b]))
    row["family_id"] = family_id
    row["name_key"] = name_key(values["name"])
    row["created_at"] = row["updated_at"] = now
    with store.tx():
        family_row(store, family_id)
        mid = store.insert("members", row)
        audit.record(
            store,
            "member.add",
            entity="member",
            entity_id=fam.member_ref(mid),
            family_id=family_id,
            values={c: values[c] for c in MEMBER_COLS if values.get(c) not in (None, "", False)},
        )
    return mid


def _member_record(store: Store, member_id: int) -> dict[str, Any]:
    row = store.one("SELECT * FROM members WHERE id = ?", (member_id,))
    if row is None:
        raise NotFound(
            f"No member {fam.member_ref(member_id)}.",
            hint="`ehtool family show FAMILY_ID` lists a family's members with their references.",
        )
    return row


def member_row(store: Store, member_id: int) -> MemberRecord:
    """The member's row as stored; NotFound if there is none."""
    return cast("MemberRecord", _member_record(store, member_id))


def get_member(store: Store, member_id: int) -> MemberRow:
    return _member_out(_member_record(store, member_id))


def edit_member(store: Store, member_id: int, values: Mapping[str, Any]) -> Changes:
    with store.tx():
        current = _member_record(store, member_id)
        norm = {k: (int(val) if k in BOOL_MEMBER else val) for k, val in values.items()}
        changes = {k: [current[k], val] for k, val in norm.items() if val != current[k]}
        if not changes:
            return {}
        merged = {**current, **{k: new for k, (_, new) in changes.items()}}
        fam.raise_problems(
            fam.birth_date_problems(merged["role"], merged.get("dob"), merged.get("due_date")),
            f"Member {fam.member_ref(member_id)}",
        )
        sets = {k: new for k, (_, new) in changes.items()}
        if "name" in sets:
            sets["name_key"] = name_key(sets["name"])
        sets["updated_at"] = audit.now_utc()
        store.execute(
            f"UPDATE members SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", (*sets.values(), member_id)
        )
        audit.record(
            store,
            "member.edit",
            entity="member",
            entity_id=fam.member_ref(member_id),
            family_id=current["family_id"],
            values=changes,
        )
    return changes


def remove_member(store: Store, member_id: int) -> MemberRow:
    with store.tx():
        current = _member_record(store, member_id)
        store.execute("DELETE FROM members WHERE id = ?", (member_id,))
        audit.record(
            store,
            "member.remove",
            entity="member",
            entity_id=fam.member_ref(member_id),
            family_id=current["family_id"],
            values={"name": current["name"], "role": current["role"]},
        )
    return _member_out(current)


def list_families(
    store: Store,
    *,
    locality: str | None = None,
    status: str | None = None,
    level: str | None = None,
    lead: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[FamilySummary]:
    """Families with member counts and current level, oldest reference first."""
    where: list[str] = []
    params: list[Any] = []
    if locality:
        where.append("f.locality = ? COLLATE NOCASE")
        params.append(locality)
    if status:
        where.append("f.status = ?")
        params.append(status)
    if lead:
        where.append("f.lead LIKE ? ESCAPE '\\'")
        params.append(f"%{_like(lead)}%")
    if search:
        text = search.strip()
        if fam.looks_like_ref(text) or text.isdigit():
            where.append("f.id = ?")
            params.append(fam.parse_ref(text))
        else:
            col, key = ("name_key", name_key(text)) if name_key(text) else ("name", text)
            pattern = f"%{_like(key)}%"
            where.append(
                f"(f.{col} LIKE ? ESCAPE '\\' OR f.id IN "
                f"(SELECT family_id FROM members WHERE {col} LIKE ? ESCAPE '\\'))"
            )
            params += [pattern, pattern]
    if level:
        where.append("f.level = ?")
        params.append(level)
    sql = (
        "SELECT f.id, f.name, f.postcode, f.locality, f.status, f.lead, f.referral_date, f.level,"
        " (SELECT COUNT(*) FROM members m WHERE m.family_id = f.id) AS member_count FROM families f"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY f.id"
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = store.all(sql, tuple(params))
    for r in rows:
        r["id"] = fam.family_ref(r["id"])
    return cast("list[FamilySummary]", rows)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def members_for_papers(store: Store, family_id: int) -> list[dict[str, Any]]:
    """The household's names, roles and dates, for panel papers (no identifiers)."""
    return store.all("SELECT name, role, dob, due_date FROM members WHERE family_id = ?", (family_id,))
