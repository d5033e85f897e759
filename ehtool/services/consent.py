"""Recording consent and reading what the family has decided (the rules: ehtool.domain.consent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehtool.domain import consent as rules
from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.errors import InvalidInput, Refused
from ehtool.store import consent as repo
from ehtool.store.families import member_row

if TYPE_CHECKING:
    from ehtool.store.rows import ConsentRecord


def record(
    store,
    family_ref: str,
    *,
    type_: str,
    status: str,
    date: str | None,
    by: str | None,
    how: str | None,
    reason: str | None,
    member: str | None,
) -> dict:

    fid = fam.parse_ref(family_ref)
    type_ = rules.parse_type(type_)
    status = rules.parse_status(status)
    reason = v.clean_text(reason, field="reason", max_len=2000, multiline=True) if reason else None
    if status == "lawful-basis" and not reason:
        raise InvalidInput(
            "A lawful basis other than consent needs a reason (for example safeguarding).",
            hint="Pass --reason 'Safeguarding: ...'.",
        )
    when = v.parse_date(date, field="consent date") if date else v.today_london()
    if when > v.today_london():
        raise InvalidInput("consent date is in the future")
    member_id = None
    if member:
        member_id = fam.parse_ref(member, fam.MEMBER_PREFIX, "member")
        if member_row(store, member_id)["family_id"] != fid:
            raise InvalidInput(f"{fam.member_ref(member_id)} is not a member of {fam.family_ref(fid)}.")
    values = {
        "type": type_,
        "status": status,
        "date": when.isoformat(),
        "member_id": member_id,
        "given_by": v.clean_text(by, field="by", max_len=200) if by else None,
        "how": v.clean_text(how, field="how", max_len=500) if how else None,
        "reason": reason,
    }
    repo.record(store, fid, values)
    return summary(store, family_ref)


def summary(store, family_ref: str) -> dict:
    """The ledger and the current decision per type."""

    fid = fam.parse_ref(family_ref)
    entries = repo.ledger(store, fid)
    current: dict[str, dict] = {}
    for e in entries:
        key = e["type"] if not e["member_id"] else f"{e['type']}@{e['member_id']}"
        current[key] = {
            "type": e["type"],
            "member_id": e["member_id"],
            "status": e["status"],
            "date": e["date"],
            "reason": e["reason"],
        }
    return {"family_id": fam.family_ref(fid), "current": list(current.values()), "ledger": entries}


def early_help_consent(store, family_ref: str) -> ConsentRecord | None:
    """The current early-help decision if it allows early help (given / lawful basis), else None."""

    row = repo.current(store, fam.parse_ref(family_ref), rules.EARLY_HELP)
    return row if row and rules.permits(row["status"]) else None


def status_of(store, family_id: int, type_: str) -> ConsentRecord | None:

    return repo.current(store, family_id, type_)


def check_can_share(store, family_id: int, what: str) -> str | None:
    """Refuse to produce ``what`` when the family's early-help consent is refused or
    withdrawn, unless the latest decision is a recorded lawful basis. Returns the
    lawful-basis reason when that is what allows it (for the audit), else None."""

    row = repo.current(store, family_id, rules.EARLY_HELP)
    if row and rules.stops(row["status"]):
        ref = fam.family_ref(family_id)
        raise Refused(
            f"{ref}'s consent to early help was {row['status']} on {row['date']}, so ehtool will not produce {what}.",
            hint=f"If there is a lawful basis other than consent (safeguarding), record it: "
            f"`ehtool consent record {ref} --type early-help --status lawful-basis --reason '...'`.",
        )
    if row and row["status"] == "lawful-basis":
        return row["reason"]
    return None
