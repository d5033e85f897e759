"""What `ehtool panel ...` does: sittings of each kind, agendas and the agenda workbook.

Recording decisions is :mod:`ehtool.services.panel_decisions`; what they do,
:mod:`ehtool.services.panel_effects`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.documents.agenda import write_agenda
from ehtool.domain import consent as consent_rules
from ehtool.domain import decisions as D
from ehtool.domain import families as fam
from ehtool.domain import panels as P
from ehtool.domain import validators as v
from ehtool.domain.decisions import DEFAULT_KIND, EFFECTS
from ehtool.domain.families import match_locality
from ehtool.errors import InvalidInput, Refused, UsageError
from ehtool.services import exports
from ehtool.services.consent import check_can_share, status_of
from ehtool.services.panel_effects import carry_waiting
from ehtool.services.settings import localities
from ehtool.services.settings import marking as default_marking
from ehtool.services.settings import profile as current_profile
from ehtool.store import assessments, consent, plans
from ehtool.store import families as families_repo
from ehtool.store import panels as repo
from ehtool.store.families import family_row

if TYPE_CHECKING:
    from ehtool.store.rows import PanelRecord


def _locality(store, text: str) -> str:

    if not text or not text.strip():
        raise InvalidInput("A locality is required (--locality).")
    return match_locality(text, localities(store))


def _date(text: str, field: str = "panel date") -> str:
    return v.parse_date(text, field=field).isoformat()


def kind_of(store, text: str | None) -> str:
    """The id of a panel kind of the partnership's profile (by id or name); the locality panel when not given."""
    if text is None or not text.strip():
        return DEFAULT_KIND
    prof = current_profile(store)
    found = prof.panel_kind(text)
    if found is None:
        raise InvalidInput(
            f"{text!r} is not a kind of panel this partnership runs.",
            hint="Kinds: " + "; ".join(f"{k.id} ({k.name})" for k in prof.panel_kinds) + ".",
        )
    return found.id


def kind_name(store, kind: str) -> str:
    found = current_profile(store).panel_kind(kind)
    return found.name if found else f"{kind} panel"


def kinds(store) -> list[dict[str, Any]]:
    """The kinds of panel the partnership runs, each with the decisions it can make and their effects."""
    prof = current_profile(store)
    return [
        {
            "id": k.id,
            "name": k.name,
            "decisions": [{**d.to_dict(), "effect_help": EFFECTS[d.effect]} for d in prof.decisions_for(k.id)],
        }
        for k in prof.panel_kinds
    ]


def resolve(
    store, panel: str | None = None, locality: str | None = None, date: str | None = None, kind: str | None = None
) -> PanelRecord:
    """A sitting by reference (P000003) or by --locality and --date (and --kind when two kinds sit that day)."""
    if panel:
        return repo.find(store, pk=fam.parse_ref(panel, fam.PANEL_PREFIX, "panel"))
    if locality and date:
        return repo.find(
            store, locality=_locality(store, locality), date=_date(date), kind=kind_of(store, kind) if kind else None
        )
    raise UsageError("Name the panel: a reference such as P000003, or --locality and --date.")


def schedule(store, locality: str, date: str, chair: str | None, kind: str | None = None) -> dict:
    """A new sitting; items deferred at earlier sittings of the same kind and locality, and
    waiting for one, are carried onto its agenda in the same transaction."""
    loc = _locality(store, locality)
    when = _date(date)
    what = kind_of(store, kind)
    chair = v.clean_text(chair, field="chair", max_len=200) if chair else None
    with store.tx():
        pk = repo.schedule(store, what, loc, when, chair)
        carried = carry_waiting(store, repo.find(store, pk=pk))
    return {**show(store, fam.panel_ref(pk)), "carried": carried}


def list_panels(
    store, locality: str | None = None, upcoming: bool = False, kind: str | None = None
) -> list[dict[str, Any]]:
    loc = _locality(store, locality) if locality else None
    rows = repo.list_panels(
        store,
        locality=loc,
        since=v.today_london().isoformat() if upcoming else None,
        kind=kind_of(store, kind) if kind else None,
    )
    return [{k: val for k, val in r.items() if k != "_pk"} for r in rows]


def show(
    store, panel: str | None = None, locality: str | None = None, date: str | None = None, kind: str | None = None
) -> dict:
    row = resolve(store, panel, locality, date, kind)
    items = repo.items(store, row["id"])
    return {
        "id": fam.panel_ref(row["id"]),
        "kind": row["kind"],
        "kind_name": kind_name(store, row["kind"]),
        "locality": row["locality"],
        "date": row["date"],
        "chair": row["chair"],
        "items": [
            {
                "item": i["item"],
                "carried_from": i["carried_from_ref"],
                "family_id": i["family_id"],
                "reason": i["reason"],
                "presenter": i["presenter"],
                "notes": i["notes"],
                "consent": i["consent_status"],
                "no_consent_reason": i["no_consent_reason"],
                "decision": i["decision"],
                "decision_notes": i["decision_notes"],
                "actions": i["actions"],
                "allocated_to": i["allocated_to"],
                "decided_on": i["decided_on"],
            }
            for i in items
        ],
    }


def add(
    store,
    family_ref: str,
    *,
    reason: str,
    locality: str | None,
    date: str | None,
    panel: str | None,
    presenter: str | None,
    notes: str | None,
    no_consent_reason: str | None,
    kind: str | None = None,
) -> dict:

    fid = fam.parse_ref(family_ref)
    family = family_row(store, fid)
    rid = P.reason_id(reason)
    if rid is None:
        raise InvalidInput(f"reason {reason!r} is not one of: {', '.join(P.REASONS)}.")
    row: PanelRecord | None
    if panel or date:
        row = resolve(store, panel, locality or family["locality"], date, kind)
    else:
        loc = _locality(store, locality or family["locality"] or "")
        what = kind_of(store, kind)
        row = repo.next_sitting(store, what, loc, v.today_london().isoformat())
        if row is None:
            raise InvalidInput(
                f"No {kind_name(store, what)} for {loc} is scheduled from today on.",
                hint=f"Schedule one: `ehtool panel schedule --locality {loc} --kind {what} --date YYYY-MM-DD`.",
            )
    clean = {
        "reason": rid,
        "presenter": v.clean_text(presenter, field="presenter", max_len=200) if presenter else None,
        "notes": v.clean_text(notes, field="notes", max_len=4000, multiline=True) if notes else None,
        "no_consent_reason": v.clean_text(no_consent_reason, field="no-consent reason", max_len=2000)
        if no_consent_reason
        else None,
    }
    with store.tx():  # the consent read and the item written under one lock
        consent = status_of(store, fid, "panel")
        consent_text = f"{consent['status']} {consent['date']}" if consent else "not recorded"
        warning = None
        if not consent or not consent_rules.permits(consent["status"]):
            if not clean["no_consent_reason"]:
                raise Refused(
                    f"{fam.family_ref(fid)}'s consent to be discussed at panel is {consent_text}.",
                    hint=f"Record it (`ehtool consent record {fam.family_ref(fid)} --type panel --status "
                    "given`), or say why the family is discussed without it: --no-consent-reason '...'.",
                )
            warning = f"{fam.family_ref(fid)} is added without consent to be discussed ({consent_text})."
        number = repo.add_item(store, row["id"], fid, {**clean, "consent_status": consent_text})
    return {
        "panel_id": fam.panel_ref(row["id"]),
        "kind": row["kind"],
        "locality": row["locality"],
        "date": row["date"],
        "item": number,
        "family_id": fam.family_ref(fid),
        "reason": rid,
        "consent": consent_text,
        "warning": warning,
    }


# -- the agenda workbook ------------------------------------------------------------


def agenda_items(store, panel_row: PanelRecord, *, named: bool) -> list[dict]:
    """Rows for the workbook. Pseudonymised unless ``named``: initials, ages, no
    dates of birth, NHS numbers, UPNs or postcodes."""

    prof = current_profile(store)
    on = dt.date.fromisoformat(panel_row["date"])
    out = []
    for item in repo.items(store, panel_row["id"]):
        fid = item["family_pk"]
        family = family_row(store, fid)
        members = families_repo.members_for_papers(store, fid)
        latest = assessments.latest(store, fid)
        level = prof.level(latest["level"]) if latest else None
        plan = plans.open_plan(store, fid, required=False)
        if latest and latest["indicators"]:
            inds = [prof.indicator(i) for i in latest["indicators"] if prof.indicator(i)]
            inds.sort(key=lambda i: -prof.rank(i.level))
            matters = "; ".join(i.text for i in inds[:4])
        elif plan:
            matters = "; ".join(o["description"] for o in plan["outcomes"][:4])
        else:
            matters = family["referral_reason"] or ""
        agencies = sorted({t["agency"] for t in (plan.get("team", []) if plan else []) if t.get("agency")})
        c = consent.current(store, fid, "panel")
        referral = dt.date.fromisoformat(family["referral_date"]) if family["referral_date"] else None
        out.append(
            {
                "item": item["item"],
                "family_id": item["family_id"],
                "family": family["name"] if named else P.initials(family["name"]),
                "children": P.children_summary(members, on, named=named),
                "reason": item["reason"],
                "level": level.id if level else None,
                "level_name": level.name if level else "Not assessed",
                "assessed_on": latest["assessed_on"] if latest else None,
                "matters": matters,
                "lead_professional": (plan.get("lead_professional") if plan else None) or family["lead"] or "",
                "agencies": "; ".join(agencies),
                "consent": (f"{c['status'].capitalize()} {c['date']}" if c else "Not recorded")
                + (f" (without consent: {item['no_consent_reason']})" if item["no_consent_reason"] else ""),
                "days_since_referral": (on - referral).days if referral else None,
                "presenter": item["presenter"] or "",
                "notes": _history(item, prof) + (item["notes"] or ""),
            }
        )
    return out


def _history(item, prof) -> str:
    """Where a carried item comes from, for the agenda: the earlier sitting and what it decided."""
    if not item["carried_from_ref"]:
        return ""
    decided = D.lookup(prof.decisions, item["from_decision"]) if item["from_decision"] else None
    label = decided.label if decided else (item["from_decision"] or "no decision")
    return f"Carried from {item['carried_from_ref']} ({item['from_date']}: {label}). "


def export(
    store,
    *,
    panel: str | None,
    locality: str | None,
    date: str | None,
    out: Path | None,
    named: bool,
    marking: str | None,
    kind: str | None = None,
) -> dict:

    row = resolve(store, panel, locality, date, kind)
    ref = fam.panel_ref(row["id"])
    bases = {}
    if named:
        refused = []
        for item in repo.items(store, row["id"]):
            try:
                basis = check_can_share(store, item["family_pk"], "a named agenda")
                if basis:
                    bases[item["family_id"]] = basis
            except Refused:
                refused.append(item["family_id"])
        if refused:
            raise Refused(
                "A named agenda would share details of families whose consent was withdrawn or refused: "
                + ", ".join(refused)
                + ".",
                hint="Export the pseudonymised agenda (without --names), or record a lawful basis for each.",
            )
    items = agenda_items(store, row, named=named)
    prof = current_profile(store)
    levels = [{"id": lv.id, "name": lv.name, "description": lv.description} for lv in prof.levels]
    dest = Path(out) if out else Path.cwd() / f"panel-{row['locality'].lower().replace(' ', '-')}-{row['date']}.xlsx"
    if dest.is_dir():
        dest = dest / f"panel-{row['locality'].lower().replace(' ', '-')}-{row['date']}.xlsx"
    mark = v.clean_text(marking, field="marking", max_len=80) if marking else default_marking(store)
    sitting = {
        "id": ref,
        "locality": row["locality"],
        "date": row["date"],
        "chair": row["chair"] or "",
        "kind_name": kind_name(store, row["kind"]),
    }
    choices = prof.decisions_for(row["kind"])
    exports.export(
        store,
        exports.Entry(
            "panel.export",
            "panel",
            entity_id=ref,
            fields=["named", "items"],
            values={"named": named, "items": len(items), "file": dest.name, "lawful_basis": bases or None},
        ),
        [
            (
                dest,
                lambda tmp: write_agenda(
                    tmp, sitting, items, profile_levels=levels, marking=mark, named=named, decisions=choices
                ),
            )
        ],
    )
    return {"path": str(dest), "panel_id": ref, "items": len(items), "named": named, "marking": mark}
