"""The family's network (Families First): relatives, friends, neighbours, a teacher or a youth
worker who can help. Not members of the household, and never on a pseudonymised agenda."""

from __future__ import annotations

from typing import Any

from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.errors import InvalidInput
from ehtool.store import network as repo
from ehtool.store.families import family_row


def _text(value: str | None, field: str, max_len: int, *, required: bool = False) -> str | None:
    cleaned = v.clean_text(value, field=field, max_len=max_len) if value is not None else None
    if required and not cleaned:
        raise InvalidInput(f"The {field} is required.", hint=f"Give it with --{field.replace(' ', '-')}.")
    return cleaned or None


def add(
    store,
    family_ref: str,
    *,
    name: str,
    relationship: str,
    offer: str | None = None,
    contact: str | None = None,
    agreed: bool = False,
) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    family_row(store, fid)
    values = {
        "name": _text(name, "name", 200, required=True),
        "relationship": _text(relationship, "relationship", 200, required=True),
        "offer": _text(offer, "offer", 2000),
        "contact": _text(contact, "contact", 500),
        "agreed": 1 if agreed else 0,
    }
    return repo.add(store, fid, values)


def list_for_family(store, family_ref: str) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    family_row(store, fid)
    return {"family_id": fam.family_ref(fid), "network": repo.for_family(store, fid)}


def remove(store, ref: str) -> dict[str, Any]:
    return repo.remove(store, fam.parse_ref(ref, fam.NETWORK_PREFIX, "network"))
