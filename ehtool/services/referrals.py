"""Referrals to the front door: recording one, its outcome, and a family's list.

A referral names the children it is about: those given, else the children whose latest
level routes to a referral, else every child. A "stepped-down" outcome brings the
family back to early help (:func:`ehtool.domain.referrals.stepped_down_level`)."""

from __future__ import annotations

from typing import Any

from ehtool.domain import families as fam
from ehtool.domain import referrals as rules
from ehtool.domain import validators as v
from ehtool.errors import Conflict, InvalidInput
from ehtool.services.settings import profile as current_profile
from ehtool.store import referrals as repo
from ehtool.store.families import family_row


def past_day(text: str | None, field: str) -> str:
    """A date given (today when not), refused if it is in the future: things are recorded once done."""
    day = v.parse_date(text, field=field) if text else v.today_london()
    if day > v.today_london():
        raise InvalidInput(f"The {field} {day.isoformat()} is in the future.", hint="Record it on or after the day.")
    return day.isoformat()


def optional_text(value: str | None, field: str, max_len: int) -> str | None:
    """Cleaned free text, or None when empty (multi-line above 200 characters)."""
    return v.clean_text(value, field=field, max_len=max_len, multiline=max_len > 200) or None if value else None


def record(
    store,
    family_ref: str,
    *,
    to: str,
    members: list[str] | None,
    date: str | None,
    reference: str | None,
    reason: str | None,
) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    family_row(store, fid)
    target = rules.parse_target(to)
    values = {
        "to_service": target,
        "date": past_day(date, "referral date"),
        "reference": optional_text(reference, "reference", 100),
        "reason": optional_text(reason, "reason", 2000),
    }
    rid = repo.record(store, fid, values, member_ids(store, fid, members))
    return _describe(repo.get(store, rid))


def member_ids(store, fid: int, members: list[str] | None) -> list[int]:
    """The children a referral is about: those named, else those whose latest level routes
    to a referral, else every child."""
    roles = repo.members_of_family(store, fid)
    if members:
        ids: list[int] = []
        for text in members:
            mid = fam.parse_ref(text, fam.MEMBER_PREFIX, "member")
            if mid not in roles:
                raise InvalidInput(
                    f"{fam.member_ref(mid)} is not a member of {fam.family_ref(fid)}.",
                    hint=f"`ehtool family show {fam.family_ref(fid)}` lists its members.",
                )
            if roles[mid] not in fam.CHILD_ROLES:
                raise InvalidInput(
                    f"{fam.member_ref(mid)} is not a child: a referral is about a child.",
                    hint="Name the children the referral is about with --member.",
                )
            if mid not in ids:
                ids.append(mid)
        return ids
    named = repo.children_at_referral(store, fid, current_profile(store).referral_levels())
    return named or sorted(m for m, role in roles.items() if role in fam.CHILD_ROLES)


def outcome(
    store, referral_ref: str, *, outcome: str, date: str | None, note: str | None, level: str | None
) -> dict[str, Any]:
    rid = fam.parse_ref(referral_ref, fam.REFERRAL_PREFIX, "referral")
    current = repo.get(store, rid)
    if current["outcome"]:
        raise Conflict(
            f"{current['id']} already has an outcome ({current['outcome']} on {current['outcome_date']}).",
            hint="Record a new referral if the family was referred again.",
        )
    result = rules.parse_outcome(outcome)
    when = past_day(date, "outcome date")
    if when < current["date"]:
        raise InvalidInput(
            f"The outcome date {when} is before the referral on {current['date']}.",
            hint="An outcome comes on or after the referral.",
        )
    if level is not None and result != "stepped-down":
        raise InvalidInput("--level is only for a stepped-down outcome.", hint="Leave out --level.")
    back_to = stepped_down_to(store, current, level) if result == "stepped-down" else None
    values = {
        "outcome": result,
        "outcome_date": when,
        "outcome_note": optional_text(note, "note", 2000),
        "stepped_down_to": back_to,
    }
    repo.set_outcome(store, rid, values, family_level=back_to)
    return _describe(repo.get(store, rid))


def stepped_down_to(store, current: dict[str, Any], level: str | None) -> str:
    """The early help level a stepped-down family returns to: never higher than where it stands."""
    if current["to"] == "other-service":
        raise InvalidInput(
            f"{current['id']} went to another service: only a referral to the front door or children's social "
            "care is stepped down.",
            hint="Record it as signposted, accepted or other.",
        )
    profile = current_profile(store)
    target = rules.stepped_down_level(profile, level)
    now = profile.level(family_row(store, fam.parse_ref(current["family_id"]))["level"] or "")
    return now.id if now is not None and now.rank < target.rank else target.id


def for_family(store, family_ref: str) -> dict[str, Any]:
    fid = fam.parse_ref(family_ref)
    return {"family_id": fam.family_ref(fid), "referrals": [_describe(r) for r in repo.for_family(store, fid)]}


def _describe(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["movement"] = rules.STEPPED_DOWN_NOTE if row["outcome"] == "stepped-down" else None
    out["outcome_label"] = rules.OUTCOME_LABELS.get(row["outcome"] or "", None)
    return out
