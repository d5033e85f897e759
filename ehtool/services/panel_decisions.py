"""Recording a panel's decisions: by hand (`panel decide`) or read back from the agenda
workbook (`panel decisions`), each with its effect in the same transaction
(:mod:`ehtool.services.panel_effects`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtool.documents.agenda import read_decisions
from ehtool.documents.agenda_read import panel_id_of
from ehtool.domain import decisions as D
from ehtool.domain import families as fam
from ehtool.domain import panels as P
from ehtool.domain import validators as v
from ehtool.errors import Conflict, InvalidInput, capped
from ehtool.services import panel_effects as effects
from ehtool.services.panels import resolve
from ehtool.services.settings import profile as current_profile
from ehtool.store import panels as repo

if TYPE_CHECKING:
    from ehtool.domain.profile_schema import Profile
    from ehtool.store.rows import PanelRecord


def _choices(prof: Profile, sitting: Mapping[str, Any]) -> tuple[D.Decision, ...]:
    return prof.decisions_for(sitting["kind"])


def read_back(
    store,
    path: Path,
    *,
    panel: str | None,
    locality: str | None,
    date: str | None,
    dry_run: bool,
    overwrite: bool = False,
    keep_open: bool = False,
) -> dict:
    """Read a filled-in agenda and record its decisions with their effects, all or nothing.

    A blank cell leaves what is recorded alone; a row whose entries match what is
    recorded changes nothing (reading the same workbook twice records nothing, and
    applies no effect, the second time); a row that would change a decision (or its
    notes, actions or allocation) already recorded differently is refused, with every
    other row, unless ``overwrite``. ``dry_run`` checks and describes, writing nothing."""

    row = _panel_for_file(store, Path(path), panel, locality, date)
    prof = current_profile(store)
    ref = fam.panel_ref(row["id"])
    items = {i["item"]: i["family_id"] for i in repo.items(store, row["id"])}
    expected = {"panel_id": ref, "items": items, "decisions": _choices(prof, row)}
    warnings: list[str] = []
    decisions = read_decisions(Path(path), expected=expected, warnings=warnings)

    how = _Reading(store, prof, row, Path(path).name, overwrite=overwrite, keep_open=keep_open)
    if dry_run:
        changes, unchanged = how.apply(decisions, write=False)
    else:
        with store.tx():  # compared, written and their effects applied under one lock
            changes, unchanged = how.apply(decisions, write=True)
    return {
        "panel_id": ref,
        "date": row["date"],
        "dry_run": dry_run,
        "recorded": 0 if dry_run else len(changes),
        "unchanged": unchanged,
        "warnings": warnings,
        "decisions": [
            {
                k: d.get(k)
                for k in ("row", "item", "family_id", "decision", "actions", "allocated_to", "notes", "effects")
            }
            for d in changes
        ],
    }


@dataclass
class _Reading:
    """One reading of a workbook: the sitting, the rules it is read under, and the rows recorded."""

    store: Any
    prof: Profile
    sitting: Mapping[str, Any]
    source: str
    overwrite: bool
    keep_open: bool

    def apply(self, decisions: list[dict], *, write: bool) -> tuple[list[dict], int]:
        """Compare each row with what is recorded; record the changes and their effects when
        ``write``. Raises Conflict (nothing recorded) if a row would change a recorded decision."""
        stored = {i["item"]: i for i in repo.items(self.store, self.sitting["id"])}
        changes: list[dict] = []
        conflicts: list[str] = []
        unchanged = 0
        predicted: dict[int, int] = {}  # a dry run's foreseen item numbers on the sittings items carry to
        for d in decisions:
            item = stored[d["item"]]
            changed, clashes = P.merge_decision(item, d, overwrite=self.overwrite)
            conflicts.extend(f"row {d['row']} (item {d['item']}, {d['family_id']}): {c}" for c in clashes)
            if not changed:
                unchanged += not clashes
                continue
            values = _recorded(item) | changed
            writing = write and not conflicts
            if writing:
                repo.record_decision(
                    self.store, item, values, sorted(changed), panel_date=self.sitting["date"], source=self.source
                )
            done = _effects(
                self.store, self.prof, self.sitting, item, values, changed,
                keep_open=self.keep_open, write=writing, predicted=predicted,
            )  # fmt: skip
            changes.append({**d, "effects": done})
        if conflicts:
            shown, more = capped(conflicts)
            raise Conflict(
                f"{self.source}: {len(conflicts)} entr{'ies' if len(conflicts) != 1 else 'y'} would "
                "change what the panel already recorded; nothing was recorded.",
                hint="Check the rows named against `ehtool panel show`; to replace what is recorded with "
                "the workbook's entries, run again with --overwrite." + more,
                problems=shown,
            )
        return changes, unchanged


def _effects(
    store, prof: Profile, sitting, item, values, changed, *, keep_open: bool, write: bool, predicted=None
) -> list[dict]:
    """The effect of the decision now recorded on ``item``, when the decision (or, for an
    allocation, who the family is allocated to) changed."""
    decision = D.lookup(prof.decisions, values.get("decision")) if values.get("decision") else None
    if decision is None or not ({"decision", "allocated_to"} & set(changed)):
        return []
    return effects.apply(
        store, prof, sitting, item, decision, values, changed, keep_open=keep_open, write=write, predicted=predicted
    )


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
    keep_open: bool = False,
    kind: str | None = None,
) -> dict:
    """Record one decision by hand, with its effect, in one transaction."""
    fid = fam.parse_ref(family_ref)
    prof = current_profile(store)
    row, number = _item_for(store, fid, panel, locality, date, kind)
    choices = _choices(prof, row)
    chosen = D.lookup(choices, decision)
    if chosen is None:
        raise InvalidInput(
            f"decision {decision!r} is not one a {_kind_name(prof, row)} can make.",
            hint="One of: " + ", ".join(d.id for d in choices) + ".",
        )
    clean = {
        k: (v.clean_text(val, field=k, max_len=P.MAX_CHAIR_TEXT, multiline=True) or None if val else None)
        for k, val in (("notes", notes), ("actions", actions), ("allocated_to", allocated_to))
    }
    with store.tx():
        item = next(i for i in repo.items(store, row["id"]) if i["item"] == number)
        # A decision named by hand replaces the one recorded (that is what the command is for);
        # entries not given keep what is recorded rather than being erased.
        changed, _ = P.merge_decision(item, {"decision": chosen.id, **clean}, overwrite=True)
        values = _recorded(item) | changed
        done: list[dict] = []
        if changed:
            repo.record_decision(store, item, values, sorted(changed), panel_date=row["date"], source="panel decide")
            done = _effects(store, prof, row, item, values, changed, keep_open=keep_open, write=True)
    return {
        "panel_id": fam.panel_ref(row["id"]),
        "item": number,
        "family_id": fam.family_ref(fid),
        "decision": chosen.id,
        **{k: values[k] for k in clean},
        "effects": done,
    }


def _kind_name(prof: Profile, row: Mapping[str, Any]) -> str:
    kind = prof.panel_kind(row["kind"])
    return kind.name if kind else f"{row['kind']} panel"


def _item_for(store, fid: int, panel, locality, date, kind) -> tuple[PanelRecord, int]:
    """The sitting and item number a hand-recorded decision is for: the named sitting's
    item for the family, else the family's one undecided item."""
    if panel or (locality and date):
        row = resolve(store, panel, locality, date, kind)
        item = next((i for i in repo.items(store, row["id"]) if i["family_pk"] == fid), None)
        if item is None:
            raise InvalidInput(f"{fam.family_ref(fid)} is not on the agenda of {fam.panel_ref(row['id'])}.")
        return row, item["item"]
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
    return repo.find(store, pk=pending[0]["panel_id"]), pending[0]["item"]


def _recorded(item: Mapping[str, Any]) -> dict[str, Any]:
    """The decision fields recorded on a panel item, by their decision keys (decision, notes, actions, allocated_to)."""
    return {key: item[col] for key, col in P.DECISION_FIELDS.items()}
