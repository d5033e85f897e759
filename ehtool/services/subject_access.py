"""The subject access export: everything ehtool holds about a family, or what
concerns one member of it, as JSON plus a readable HTML document.

What is in it comes from :func:`ehtool.store.retention.held_about`, the same
inventory a purge deletes, so the export and the purge cannot disagree about
what is held.

Scope with ``--member`` (the rule):

* included: the household record (the family as a whole), that member's own
  record, the family-level records (assessments, plans with every version and
  review, panel items and decisions), consent decisions made for the whole
  family or for that member, and audit entries about the family as a whole or
  about that member;
* left out: other members' records, consent decisions recorded for another
  member, and audit entries about another member (adding, editing, removing
  them, or their own consent).

Family-level records are included whole: free text in them (a plan's worries,
a panel's notes) may mention other people, and whoever discloses the export
must check it for third-party information first, as for any subject access
request.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool import __version__
from ehtool.domain import families as fam
from ehtool.errors import InvalidInput
from ehtool.files import ensure_private_dir
from ehtool.services import exports
from ehtool.services.settings import marking
from ehtool.store import assessments as arepo
from ehtool.store import audit
from ehtool.store import consent as crepo
from ehtool.store import families as frepo
from ehtool.store import meetings as meetings_repo
from ehtool.store import network as network_repo
from ehtool.store import plans as plrepo
from ehtool.store import referrals as refrepo
from ehtool.store import retention as rrepo

if TYPE_CHECKING:
    from ehtool.store.connection import Store
    from ehtool.store.rows import ConsentRow, MemberRow

SECTIONS = (
    "household",
    "members",
    "assessments",
    "referrals",
    "consent_ledger",
    "plans",
    "panel_items",
    "network",
    "family_group_meetings",
    "retention",
    "audit",
)
TITLES = {
    "household": "Household",
    "members": "Members",
    "assessments": "Assessments",
    "referrals": "Referrals to the front door",
    "consent_ledger": "Consent ledger",
    "plans": "One Family Plans (every version, every review)",
    "panel_items": "Panels, their decisions and what each decision did",
    "network": "The family's network (people around the family, not household members)",
    "family_group_meetings": "Family group decision-making",
    "retention": "Retention",
    "audit": "Audit trail: changes and accesses, with their values",
}
SCOPE_RULE = (
    "Whole family: everything held about the household and every member.",
    "One member: that member's record; the household and family-level records (assessments, plans, "
    "panel items); consent for the whole family or that member; audit entries about the family as a "
    "whole or that member. Other members' records, consent and audit entries are left out. "
    "Family-level free text may mention other people: check it before disclosing.",
)


def _public(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: val for k, val in d.items() if not str(k).startswith("_")}


def build(store, family_ref: str, member: str | None = None) -> dict:

    fid = fam.parse_ref(family_ref)
    record = frepo.get_family(store, fid)
    ref = record["id"]
    members = record.pop("members")
    household = {**record, "legal_hold": bool(record.get("legal_hold"))}
    mpk, mref, members = _scope_members(ref, members, member)

    raw = rrepo.held_about(store, fid)
    plans = _plans(store, fid, raw["plan_versions"])
    panel_items = _panel_items(raw, ref)
    consents, entries = _scoped_consent_and_audit(crepo.ledger(store, fid), raw["audit"], ref, mpk, mref)

    data = {
        "subject_access_export": _export_meta(store, ref, mref),
        "household": household,
        "members": members,
        "assessments": _assessments(store, fid, mref),
        "referrals": [r for r in refrepo.for_family(store, fid) if not mref or mref in r["member_ids"]],
        "consent_ledger": consents,
        "plans": plans,
        "panel_items": panel_items,
        "network": network_repo.for_family(store, fid),
        "family_group_meetings": meetings_repo.for_family(store, fid),
        "retention": rrepo.status(store, fid),
        "audit": entries,
    }
    return data


def _assessments(store: Store, fid: int, mref: str | None) -> list[dict[str, Any]]:
    """The family's assessments. For one member: the household's answers and that member's own
    (their result among the children's, their indicators and explanation), never a sibling's."""
    rows: list[dict[str, Any]] = [dict(a) for a in arepo.for_family(store, fid)]
    if not mref:
        return rows
    for a in rows:
        answers = arepo.answers_of(store, fam.parse_ref(a["id"], fam.ASSESSMENT_PREFIX, "assessment"))
        kept = {i for i, scope, member in answers if member == mref or (scope == "household" and member is None)}
        a["children"] = [c for c in a["children"] if c["member_id"] == mref]
        a["indicators"] = [i for i in a["indicators"] if i in kept]
        a["explanation"] = [e for e in a["explanation"] if _about(e, mref, kept)]
    return rows


def _about(entry: Mapping[str, Any], mref: str, kept: set[str]) -> bool:
    """Whether an assessment's explanation entry is about the member or the household only."""
    kind, ident = entry.get("kind"), entry.get("id")
    if kind in ("child", "judgement") and ident:
        return bool(ident == mref)
    if kind == "indicator":
        return ident in kept
    if kind == "significant-harm":
        return mref in str(entry.get("text"))
    return kind != "rule"  # a rule reads one child's answers: it may be a sibling's


def _scope_members(
    ref: str, members: list[MemberRow], member: str | None
) -> tuple[int | None, str | None, list[MemberRow]]:
    """The member asked for (number and reference, or None for the whole family) and
    the members in scope; refused if that member is not in the family."""
    mpk = mref = None
    if member:
        mpk = fam.parse_ref(member, fam.MEMBER_PREFIX, "member")
        mref = fam.member_ref(mpk)
        if not any(m["id"] == mref for m in members):
            raise InvalidInput(
                f"{mref} is not a member of {ref}.", hint=f"`ehtool family show {ref}` lists its members."
            )
        members = [m for m in members if m["id"] == mref]
    return mpk, mref, members


def _plans(store: Store, fid: int, version_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The family's plans, each with every saved version, oldest version first."""
    versions: dict[int, list[dict]] = {}
    for row in version_rows:
        versions.setdefault(row["plan_id"], []).append(
            {
                "version": row["version"],
                "change": row["change"],
                "saved_by": row["saved_by"],
                "saved_at": row["saved_at"],
                "content": _public(json.loads(row["content"])),
            }
        )
    plans = []
    for p in plrepo.plans_for_family(store, fid):
        pk = p["_pk"]
        plans.append({**_public(p), "versions": sorted(versions.get(pk, []), key=lambda x: x["version"])})
    return plans


def _panel_items(raw: dict[str, list[dict[str, Any]]], ref: str) -> list[dict[str, Any]]:
    """The family's panel items with their sitting's details, by panel date then panel."""
    sittings = {p["id"]: p for p in raw["panels"]}
    effects: dict[int, list[dict[str, Any]]] = {}
    for e in raw["panel_effects"]:
        effects.setdefault(e["item_id"], []).append(
            {k: e[k] for k in ("effect", "outcome", "detail", "target", "applied_on", "recorded_by")}
        )
    panel_items = []
    for i in raw["panel_items"]:
        s = sittings.get(i["panel_id"], {})
        panel_items.append(
            {
                "panel_id": fam.panel_ref(i["panel_id"]),
                "kind": s.get("kind"),
                "locality": s.get("locality"),
                "date": s.get("date"),
                "chair": s.get("chair"),
                "item": i["item"],
                "family_id": ref,
                "reason": i["reason"],
                "presenter": i["presenter"],
                "notes": i["notes"],
                "consent_status": i["consent_status"],
                "no_consent_reason": i["no_consent_reason"],
                "decision": i["decision"],
                "decision_notes": i["decision_notes"],
                "actions": i["actions"],
                "allocated_to": i["allocated_to"],
                "decided_on": i["decided_on"],
                "decided_by": i["decided_by"],
                "created_at": i["created_at"],
                "effects": effects.get(i["id"], []),
            }
        )
    panel_items.sort(key=lambda x: (x["date"] or "", x["panel_id"]))
    return panel_items


def _scoped_consent_and_audit(
    consents: list[ConsentRow], entries: list[dict[str, Any]], ref: str, mpk: int | None, mref: str | None
) -> tuple[list[ConsentRow], list[dict[str, Any]]]:
    """The consent ledger and audit entries (each given the family reference), left
    to those about the family as a whole or the member when one is asked for."""
    for e in entries:
        e["family_id"] = ref
    if mref:
        consents = [c for c in consents if c["member_id"] in (None, mref)]
        entries = [e for e in entries if _concerns_member(e, mpk, mref)]
    return consents, entries


def _export_meta(store: Store, ref: str, mref: str | None) -> dict[str, Any]:
    """The export's own header: who, when, under which marking and scope rule."""
    return {
        "family_id": ref,
        "member_id": mref,
        "generated_at": audit.now_utc(),
        "generated_by": store.actor,
        "marking": marking(store),
        "ehtool_version": __version__,
        "scope": SCOPE_RULE[1] if mref else SCOPE_RULE[0],
    }


def _concerns_member(entry: dict, mpk: int | None, mref: str) -> bool:
    """Audit entries about another member are left out of a member's export."""
    if entry.get("entity") == "member":
        return entry.get("entity_id") == mref
    if entry.get("entity") == "consent":
        values = entry.get("values") or {}
        other = values.get("member_id")
        return other in (None, mpk, mref)
    return True


def export(store, family_ref: str, out_dir, *, member: str | None = None) -> dict:
    """Write the JSON and HTML files (0600, atomically) into ``out_dir`` (made 0700)
    and record the access in the audit trail."""

    data = build(store, family_ref, member)
    meta_ = data["subject_access_export"]
    ref, mref = meta_["family_id"], meta_["member_id"]
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is a file, not a folder.")
    warnings = []
    existed = out.exists()
    ensure_private_dir(out)
    if existed and os.stat(out).st_mode & 0o077:
        warnings.append(
            f"the folder {out} can be read by other users of this computer; move the export somewhere private."
        )
    stem = f"{ref}-{mref}-subject-access" if mref else f"{ref}-subject-access"
    json_path, html_path = out / f"{stem}.json", out / f"{stem}.html"
    sections = {s: (len(data[s]) if isinstance(data[s], list) else 1) for s in SECTIONS}
    exports.export(
        store,
        exports.Entry(
            "family.sar",
            "family",
            entity_id=ref,
            family_id=fam.parse_ref(ref),
            fields=["member", "files", "sections"],
            values={"member": mref, "files": [json_path.name, html_path.name], "sections": sections},
        ),
        [
            (
                json_path,
                lambda tmp: tmp.write_text(
                    json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
                ),
            ),
            (html_path, lambda tmp: tmp.write_text(render_html(data), encoding="utf-8")),
        ],
    )
    return {
        "family_id": ref,
        "member_id": mref,
        "json": str(json_path),
        "html": str(html_path),
        "sections": sections,
        "warnings": warnings,
    }


# -- the readable document ---------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;margin:.4em 0 1em;width:100%}th,td{border:1px solid #bbb;padding:.25em .5em;"
    "text-align:left;vertical-align:top}th{background:#f2f2f2;width:14em}td{white-space:pre-wrap}"
    ".marking{font-weight:bold;text-align:center;letter-spacing:.05em}.empty{color:#555;font-style:italic}"
)


def _esc(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    return html.escape(text, quote=True)


def _label(key) -> str:
    return _esc(str(key).replace("_", " ").capitalize())


def _value(value, depth: int = 0) -> str:
    if isinstance(value, dict):
        return _table(value, depth + 1)
    if isinstance(value, list):
        if not value:
            return ""
        if all(not isinstance(x, (dict, list)) for x in value):
            return ", ".join(_esc(x) for x in value)
        return "".join(_value(x, depth + 1) for x in value)
    return _esc(value)


def _table(record: dict, depth: int = 0) -> str:
    rows = "".join(
        f"<tr><th>{_label(k)}</th><td>{_value(v, depth)}</td></tr>"
        for k, v in record.items()
        if v not in (None, "", [], {})
    )
    return f"<table>{rows}</table>" if rows else '<p class="empty">(empty)</p>'


def render_html(data: dict) -> str:
    meta_ = data["subject_access_export"]
    mark = _esc(meta_["marking"])
    subject = _esc(meta_["family_id"]) + (f", member {_esc(meta_['member_id'])}" if meta_["member_id"] else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>Subject access export: {subject}</title><style>{_CSS}</style></head><body>",
        f'<p class="marking">{mark}</p>',
        f"<h1>Subject access export: {subject}</h1>",
        _table(
            {
                "generated_at": meta_["generated_at"],
                "generated_by": meta_["generated_by"],
                "ehtool_version": meta_["ehtool_version"],
                "scope": meta_["scope"],
            }
        ),
    ]
    for section in SECTIONS:
        value = data[section]
        parts.append(f"<h2>{_esc(TITLES[section])}</h2>")
        if isinstance(value, list):
            if not value:
                parts.append('<p class="empty">None held.</p>')
            for item in value:
                parts.append(_table(item))
        else:
            parts.append(_table(value))
    parts.append(f'<p class="marking">{mark}</p></body></html>')
    return "\n".join(parts) + "\n"
