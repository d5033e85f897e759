"""The family register: what `ehtool family` and `ehtool member` do.

Each function validates with the domain (``ehtool.domain.families``), writes through
the store, and returns plain dicts ready for JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from ehtool.domain import families as fam
from ehtool.domain import validators as v
from ehtool.errors import Conflict, InvalidInput
from ehtool.services.settings import localities
from ehtool.services.settings import profile as current_profile
from ehtool.store import assessments as arepo
from ehtool.store import audit
from ehtool.store import consent as crepo
from ehtool.store import families as repo
from ehtool.store import meetings as meetings_repo
from ehtool.store import network as network_repo
from ehtool.store import panels as prepo
from ehtool.store import plans as plrepo
from ehtool.store import referrals as referrals_repo

if TYPE_CHECKING:
    from ehtool.store.rows import FamilyRow, FamilySummary, MemberRow


def _dup_error(kind: str, dups: Sequence[Mapping[str, Any]]) -> Conflict:
    refs = ", ".join(f"{d['id']} ({d['why']})" for d in dups)
    return Conflict(
        f"This {kind} may already be registered: {refs}.",
        hint="Check with `ehtool family show REF`; if it is someone else, run again with --allow-duplicate.",
    )


def add_family(store, values: dict, *, allow_duplicate: bool = False) -> FamilyRow:
    clean, problems = fam.clean_family(values, localities=localities(store))
    fam.raise_problems(problems, "The family was not registered")
    with store.tx():  # the check and the write under one lock: two adds at once cannot both pass
        if not allow_duplicate:
            dups = repo.family_duplicates(store, clean["name"], clean.get("postcode"))
            if dups:
                raise _dup_error("family", dups)
        fid = repo.add_family(store, clean)
    return repo.get_family(store, fid)


def list_families(store, **filters) -> list[FamilySummary]:
    for key in ("locality", "lead", "search", "level"):
        if filters.get(key) is not None:
            filters[key] = v.clean_text(filters[key], field=key, max_len=200)
    status = filters.get("status")
    if status and status not in ("open", "closed"):
        raise InvalidInput(f"status {status!r} is not open or closed.")
    rows = repo.list_families(store, **filters)
    return rows


def show_family(store, ref: str, *, audit_access: bool = True) -> dict[str, Any]:
    fid = fam.parse_ref(ref)
    # a new shape: the family with each member's age and what else ehtool holds about it
    record: dict[str, Any] = dict(repo.get_family(store, fid))
    today = v.today_london()
    members: list[dict[str, Any]] = [dict(m) for m in record["members"]]
    for m in members:
        m["age"] = v.age_years(v.parse_date(m["dob"]), today) if m.get("dob") else None
    record["members"] = members
    attach(store, record, fid)
    if audit_access:
        with store.tx():
            audit.record(store, "family.show", kind="access", entity="family", entity_id=record["id"], family_id=fid)
    return record


def edit_family(store, ref: str, values: dict) -> tuple[FamilyRow, list[str]]:
    fid = fam.parse_ref(ref)
    if not values:
        raise InvalidInput("Nothing to change.", hint="Pass the flags to change, e.g. --lead 'New Name'.")
    clean, problems = fam.clean_family(values, localities=localities(store), partial=True)
    fam.raise_problems(problems, f"{fam.family_ref(fid)} was not changed")
    with store.tx():  # the family's lead and its open plan's are one: they change together
        if "lead" in clean and not clean["lead"] and plrepo.open_plan(store, fid, required=False) is not None:
            raise InvalidInput(
                f"{fam.family_ref(fid)} has an open plan, which needs its lead professional.",
                hint="Give the new lead with --lead NAME, or close the plan first.",
            )
        changes = repo.edit_family(store, fid, clean)
        if "lead" in changes and clean.get("lead"):
            _plan_follows(store, fid, clean["lead"])
    return repo.get_family(store, fid), sorted(changes)


def set_lead(store, fid: int, lead: str) -> None:
    """One lead professional: the family's and its open plan's, changed together (one transaction,
    each change audited). Called inside the caller's transaction or alone."""
    with store.tx():
        if repo.family_row(store, fid)["lead"] != lead:
            repo.edit_family(store, fid, {"lead": lead})
        _plan_follows(store, fid, lead)


def _plan_follows(store, fid: int, lead: str) -> None:
    plan = plrepo.open_plan(store, fid, required=False)
    if plan is not None and plan.get("lead_professional") != lead:
        plrepo.update(
            store,
            fid,
            lambda content: ({**content, "lead_professional": lead}, ["lead_professional"]),
            change="lead professional changed with the family's",
        )


def close_family(store, ref: str, reason: str, date: str | None) -> FamilyRow:
    fid = fam.parse_ref(ref)
    reason = v.clean_text(reason, field="reason", max_len=500)
    if not reason:
        raise InvalidInput("A closure reason is required.", hint=f"One of {', '.join(fam.CLOSE_REASONS)}, or text.")
    on = (v.parse_date(date, field="closure date") if date else v.today_london()).isoformat()
    repo.set_status(store, fid, "closed", reason, on)
    return repo.get_family(store, fid)


def reopen_family(store, ref: str) -> FamilyRow:
    fid = fam.parse_ref(ref)
    repo.set_status(store, fid, "open", None, None)
    return repo.get_family(store, fid)


def add_member(store, ref: str, values: dict, *, allow_duplicate: bool = False) -> tuple[MemberRow, list[str]]:
    fid = fam.parse_ref(ref)
    repo.family_row(store, fid)  # NotFound before validation noise
    clean, problems, warnings = fam.clean_member(values)
    fam.raise_problems(problems, "The member was not added")
    with store.tx():  # the check and the write under one lock
        if not allow_duplicate:
            dups = repo.member_duplicates(
                store, clean["name"], clean.get("dob"), nhs_number=clean.get("nhs_number"), upn=clean.get("upn")
            )
            if dups:
                raise _dup_error("person", dups)
        mid = repo.add_member(store, fid, clean)
    return repo.get_member(store, mid), warnings


_IDENTITY_FIELDS: tuple[Literal["name", "dob", "nhs_number", "upn"], ...] = ("name", "dob", "nhs_number", "upn")


def edit_member(
    store, ref: str, values: dict, *, allow_duplicate: bool = False
) -> tuple[MemberRow, list[str], list[str]]:
    mid = fam.parse_ref(ref, fam.MEMBER_PREFIX, "member")
    if not values:
        raise InvalidInput("Nothing to change.", hint="Pass the flags to change, e.g. --school 'Example Primary'.")
    clean, problems, warnings = fam.clean_member(values, partial=True)
    fam.raise_problems(problems, f"{fam.member_ref(mid)} was not changed")
    with store.tx():
        current = repo.member_row(store, mid)
        changing = {k for k in _IDENTITY_FIELDS if k in clean and clean[k] != current[k]}
        if changing and not allow_duplicate:
            merged = {**current, **clean}
            dups = repo.member_duplicates(
                store,
                merged["name"] if changing & {"name", "dob"} else None,
                merged["dob"],
                nhs_number=clean.get("nhs_number") if "nhs_number" in changing else None,
                upn=clean.get("upn") if "upn" in changing else None,
                exclude=mid,
            )
            if dups:
                raise _dup_error("person", dups)
        changes = repo.edit_member(store, mid, clean)
    return repo.get_member(store, mid), sorted(changes), warnings


def remove_member(store, ref: str) -> MemberRow:
    """Remove a person registered by mistake. A child named in an assessment or a referral
    stays: removing them would rewrite records already made about them."""
    mid = fam.parse_ref(ref, fam.MEMBER_PREFIX, "member")
    named = referrals_repo.records_naming(store, mid)
    if named:
        held = ", ".join(f"{n} {what}" for what, n in named.items())
        raise Conflict(
            f"{fam.member_ref(mid)} is named in records already made ({held}); they are not removed.",
            hint="Correct their details with `ehtool member edit`; erasing a family's records is "
            "`ehtool retention purge`.",
        )
    return repo.remove_member(store, mid)


def attach(store, record: dict[str, Any], fid: int) -> None:
    """What other parts of ehtool hold about the family, for `family show`."""

    profile = current_profile(store)
    sections = record.setdefault("sections", [])
    level = profile.level(record["level"]) if record.get("level") else None
    record["level_name"] = level.name if level else None
    history = arepo.for_family(store, fid)
    record["assessments"] = [
        {
            "id": a["id"],
            "assessed_on": a["assessed_on"],
            "level": a["level"],
            "computed_level": a["computed_level"],
            "significant_harm": a["significant_harm"],
            "override_direction": a["override_direction"],
            "override_reason": a["override_reason"],
            "movement": a["movement"],
        }
        for a in history
    ]
    lines = []
    for a in history:
        name = profile.level(a["level"]).name if profile.level(a["level"]) else a["level"]
        extra = []
        if a["significant_harm"]:
            extra.append("SIGNIFICANT HARM indicated")
        if a["override_direction"]:
            extra.append(
                f"practitioner judgement {a['override_direction']} the threshold result: {a['override_reason']}"
            )
        if a["movement"]:
            extra.append(a["movement"])
        lines.append(f"{a['id']}  {a['assessed_on']}  {name}" + (f"  ({'; '.join(extra)})" if extra else ""))
    sections.append({"title": "Assessments", "lines": lines or ["None yet: `ehtool assess run " + record["id"] + "`."]})
    current = {}
    for e in crepo.ledger(store, fid):
        current[(e["type"], e["member_id"])] = e
    record["consent"] = [
        {"type": t, "member_id": m, "status": e["status"], "date": e["date"]} for (t, m), e in current.items()
    ]
    sections.append(
        {
            "title": "Consent",
            "lines": [
                f"{c['type']}{' (' + c['member_id'] + ')' if c['member_id'] else ''}: {c['status']} since {c['date']}"
                for c in record["consent"]
            ]
            or ["None recorded yet."],
        }
    )
    _attach_plan_and_panels(store, record, fid, sections)


def _attach_plan_and_panels(store, record: dict[str, Any], fid: int, sections: list) -> None:

    plan = plrepo.latest_plan(store, fid)
    if plan:
        record["plan"] = {
            "id": plan["id"],
            "status": plan["status"],
            "version": plan["version"],
            "review_date": plan.get("review_date"),
            "lead_professional": plan.get("lead_professional"),
            "closed_reason": plan.get("closed_reason"),
        }
        line = f"{plan['id']} ({plan['status']}, version {plan['version']}), lead {plan.get('lead_professional')}, " + (
            f"closed: {plan['closed_reason']}"
            if plan["status"] == "closed"
            else f"review due {plan.get('review_date')}"
        )
        sections.append(
            {
                "title": current_profile(store).words["plan_title"],
                "lines": [line, f"`ehtool plan show {record['id']}` for the whole plan."],
            }
        )
    else:
        record["plan"] = None
    items = prepo.items_for_family(store, fid)
    record["panel_items"] = items
    if items:
        sections.append(
            {
                "title": "Locality panels",
                "lines": [
                    f"{i['date']} {i['locality']} ({i['panel_id']} item {i['item']}): {i['reason']} -> "
                    + (
                        f"{i['decision']}" + (f" ({i['decision_notes']})" if i["decision_notes"] else "")
                        if i["decision"]
                        else "no decision yet"
                    )
                    for i in items
                ],
            }
        )
    _attach_network(store, record, fid, sections)


def _attach_network(store, record: dict[str, Any], fid: int, sections: list) -> None:
    """The family's network and its family group decision-making (Families First)."""
    record["network"] = network_repo.for_family(store, fid)
    record["meetings"] = meetings_repo.for_family(store, fid)
    lines = [
        f"{p['id']} {p['name']} ({p['relationship']})"
        + (f": {p['offer']}" if p["offer"] else "")
        + ("; agreed to be part of the plan" if p["agreed"] else "")
        for p in record["network"]
    ]
    for m in record["meetings"]:
        state = (
            f"held {m['held_on']}"
            if m["held_on"]
            else f"{m['response']} {m['response_on']}"
            if m["response"]
            else "no answer yet"
        )
        lines.append(f"{m['id']} family group decision-making offered {m['offered_on']}: {state}")
    if lines:
        sections.append({"title": "Family network", "lines": lines})
