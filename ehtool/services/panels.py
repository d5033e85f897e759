"""What `ehtool panel ...` does: sittings, agendas, the agenda workbook and decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.documents.agenda import read_decisions, write_agenda
from ehtool.documents.agenda_read import panel_id_of
from ehtool.domain import consent as consent_rules
from ehtool.domain import families as fam
from ehtool.domain import panels as P
from ehtool.domain import validators as v
from ehtool.domain.families import match_locality
from ehtool.errors import Conflict, InvalidInput, Refused, UsageError, capped
from ehtool.services import exports
from ehtool.services.consent import check_can_share, status_of
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


def resolve(store, panel: str | None = None, locality: str | None = None, date: str | None = None) -> PanelRecord:
    """A sitting by reference (P000003) or by --locality and --date."""
    if panel:
        return repo.find(store, pk=fam.parse_ref(panel, fam.PANEL_PREFIX, "panel"))
    if locality and date:
        return repo.find(store, locality=_locality(store, locality), date=_date(date))
    raise UsageError("Name the panel: a reference such as P000003, or --locality and --date.")


def schedule(store, locality: str, date: str, chair: str | None) -> dict:
    loc = _locality(store, locality)
    when = _date(date)
    chair = v.clean_text(chair, field="chair", max_len=200) if chair else None
    pk = repo.schedule(store, loc, when, chair)
    return show(store, fam.panel_ref(pk))


def list_panels(store, locality: str | None = None, upcoming: bool = False) -> list[dict[str, Any]]:
    loc = _locality(store, locality) if locality else None
    rows = repo.list_panels(store, locality=loc, since=v.today_london().isoformat() if upcoming else None)
    return [{k: val for k, val in r.items() if k != "_pk"} for r in rows]


def show(store, panel: str | None = None, locality: str | None = None, date: str | None = None) -> dict:
    row = resolve(store, panel, locality, date)
    items = repo.items(store, row["id"])
    return {
        "id": fam.panel_ref(row["id"]),
        "locality": row["locality"],
        "date": row["date"],
        "chair": row["chair"],
        "items": [
            {
                "item": i["item"],
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
) -> dict:

    fid = fam.parse_ref(family_ref)
    family = family_row(store, fid)
    rid = P.reason_id(reason)
    if rid is None:
        raise InvalidInput(f"reason {reason!r} is not one of: {', '.join(P.REASONS)}.")
    row: PanelRecord | None
    if panel or date:
        row = resolve(store, panel, locality or family["locality"], date)
    else:
        loc = _locality(store, locality or family["locality"] or "")
        row = repo.next_sitting(store, loc, v.today_london().isoformat())
        if row is None:
            raise InvalidInput(
                f"No {loc} panel is scheduled from today on.",
                hint=f"Schedule one: `ehtool panel schedule --locality {loc} --date YYYY-MM-DD`.",
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
                "notes": item["notes"] or "",
            }
        )
    return out


def export(
    store,
    *,
    panel: str | None,
    locality: str | None,
    date: str | None,
    out: Path | None,
    named: bool,
    marking: str | None,
) -> dict:

    row = resolve(store, panel, locality, date)
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
    sitting = {"id": ref, "locality": row["locality"], "date": row["date"], "chair": row["chair"] or ""}
    exports.export(
        store,
        exports.Entry(
            "panel.export",
            "panel",
            entity_id=ref,
            fields=["named", "items"],
            values={"named": named, "items": len(items), "file": dest.name, "lawful_basis": bases or None},
        ),
        [(dest, lambda tmp: write_agenda(tmp, sitting, items, profile_levels=levels, marking=mark, named=named))],
    )
    return {"path": str(dest), "panel_id": ref, "items": len(items), "named": named, "marking": mark}


def read_back(
    store,
    path: Path,
    *,
    panel: str | None,
    locality: str | None,
    date: str | None,
    dry_run: bool,
    overwrite: bool = False,
) -> dict:
    """Read a filled-in agenda and record its decisions, all or nothing.

    A blank cell leaves what is recorded alone; a row whose entries match what is
    recorded changes nothing (reading the same workbook twice records nothing the
    second time); a row that would change a decision (or its notes, actions or
    allocation) already recorded differently is refused, with every other row,
    unless ``overwrite``."""

    row = _panel_for_file(store, Path(path), panel, locality, date)
    ref = fam.panel_ref(row["id"])
    expected = {"panel_id": ref, "items": {i["item"]: i["family_id"] for i in repo.items(store, row["id"])}}
    warnings: list[str] = []
    decisions = read_decisions(Path(path), expected=expected, warnings=warnings)

    def apply(write: bool) -> tuple[list[dict], int]:
        stored = {i["item"]: i for i in repo.items(store, row["id"])}
        changes: list[dict] = []
        conflicts: list[str] = []
        unchanged = 0
        for d in decisions:
            item = stored[d["item"]]
            changed, clashes = P.merge_decision(item, d, overwrite=overwrite)
            conflicts.extend(f"row {d['row']} (item {d['item']}, {d['family_id']}): {c}" for c in clashes)
            if not changed:
                unchanged += not clashes
                continue
            changes.append(d)
            if write and not conflicts:
                values = _recorded(item) | changed
                repo.record_decision(
                    store, item, values, sorted(changed), panel_date=row["date"], source=Path(path).name
                )
        if conflicts:
            shown, more = capped(conflicts)
            raise Conflict(
                f"{Path(path).name}: {len(conflicts)} entr{'ies' if len(conflicts) != 1 else 'y'} would "
                "change what the panel already recorded; nothing was recorded.",
                hint="Check the rows named against `ehtool panel show`; to replace what is recorded with "
                "the workbook's entries, run again with --overwrite." + more,
                problems=shown,
            )
        return changes, unchanged

    if dry_run:
        changes, unchanged = apply(write=False)
    else:
        with store.tx():  # compared and written under one lock
            changes, unchanged = apply(write=True)
    return {
        "panel_id": ref,
        "date": row["date"],
        "dry_run": dry_run,
        "recorded": 0 if dry_run else len(changes),
        "unchanged": unchanged,
        "warnings": warnings,
        "decisions": [
            {k: d.get(k) for k in ("row", "item", "family_id", "decision", "actions", "allocated_to", "notes")}
            for d in changes
        ],
    }


def _panel_for_file(store, path: Path, panel, locality, date) -> PanelRecord:
    if panel or (locality and date):
        return resolve(store, panel, locality, date)

    found = panel_id_of(path)
    return repo.find(store, pk=fam.parse_ref(found, fam.PANEL_PREFIX, "panel"))


def decide(
    store,
    family_ref: str,
    *,
    decision: str,
    panel: str | None,
    locality: str | None,
    date: str | None,
    notes: str | None,
    actions: str | None,
    allocated_to: str | None,
) -> dict:
    fid = fam.parse_ref(family_ref)
    did = P.decision_from_cell(decision)
    if did is None:
        raise InvalidInput(f"decision {decision!r} is not one of: {', '.join(P.DECISIONS)}.")
    if panel or (locality and date):
        row = resolve(store, panel, locality, date)
        item = next((i for i in repo.items(store, row["id"]) if i["family_pk"] == fid), None)
        if item is None:
            raise InvalidInput(f"{fam.family_ref(fid)} is not on the agenda of {fam.panel_ref(row['id'])}.")
        pk, number, when = row["id"], item["item"], row["date"]
    else:
        pending = repo.undecided_items_for_family(store, fid)
        if not pending:
            raise InvalidInput(
                f"{fam.family_ref(fid)} has no panel item waiting for a decision.",
                hint="Name the panel with --panel to change a recorded decision.",
            )
        if len(pending) > 1:
            raise InvalidInput(
                f"{fam.family_ref(fid)} is waiting on {len(pending)} panels.",
                hint="Name one with --panel P000001 (see `ehtool panel list`).",
            )
        pk, number, when = pending[0]["panel_id"], pending[0]["item"], pending[0]["date"]
    clean = {
        k: (v.clean_text(val, field=k, max_len=P.MAX_CHAIR_TEXT, multiline=True) or None if val else None)
        for k, val in (("notes", notes), ("actions", actions), ("allocated_to", allocated_to))
    }
    with store.tx():
        item = next(i for i in repo.items(store, pk) if i["item"] == number)
        # A decision named by hand replaces the one recorded (that is what the command is for);
        # entries not given keep what is recorded rather than being erased.
        changed, _ = P.merge_decision(item, {"decision": did, **clean}, overwrite=True)
        if changed:
            values = _recorded(item) | changed
            repo.record_decision(store, item, values, sorted(changed), panel_date=when, source="panel decide")
    recorded = _recorded(item)
    return {
        "panel_id": fam.panel_ref(pk),
        "item": number,
        "family_id": fam.family_ref(fid),
        "decision": did,
        **{k: recorded[k] if k not in changed else changed[k] for k in clean},
    }


def _recorded(item: Mapping[str, Any]) -> dict[str, Any]:
    """The decision fields recorded on a panel item, by their decision keys (decision, notes, actions, allocated_to)."""
    return {key: item[col] for key, col in P.DECISION_FIELDS.items()}
