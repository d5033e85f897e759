"""A family's plan as a document: the context its templates get (the family, the plan, the
partnership's words for them, consent, the family's moves), and rendering one plan or every open one."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ehtool.documents.plan_context import plan_context
from ehtool.documents.plans import normalise_format, render_plan
from ehtool.domain import families as fam
from ehtool.domain import plan_sources as sources
from ehtool.domain import validators as v
from ehtool.errors import Refused as RefusedError
from ehtool.services import exports
from ehtool.services.consent import check_can_share
from ehtool.services.families import show_family
from ehtool.services.plans import show
from ehtool.services.settings import framework, marking, profile
from ehtool.store import consent as consent_repo
from ehtool.store import panel_effects as effects_repo
from ehtool.store import plans as repo
from ehtool.store import referrals as referrals_repo


def _context(store, fid: int) -> dict:

    family = show_family(store, fam.family_ref(fid), audit_access=False)
    plan = show(store, fam.family_ref(fid), audit_access=False)
    prof = profile(store)
    level = prof.level(family["level"]) if family.get("level") else None

    def level_name(lid: str) -> str:
        found = prof.level(lid)
        return found.name if found else lid

    steps = sources.step_history(
        family["assessments"], referrals_repo.for_family(store, fid), effects_repo.for_family(store, fid), level_name
    )
    return plan_context(
        family,
        plan,
        marking=marking(store),
        generated_on=v.today_london(),
        framework=framework(store),
        profile={"name": prof.name, **prof.words},
        level={"id": level.id, "name": level.name} if level else None,
        consent=_current_consent(store, fid),
        steps=steps,
    )


def _current_consent(store, fid: int) -> list[dict[str, Any]]:
    """The current consent decision of each type (and member), with when and by whom, for the documents."""
    current: dict[tuple[str, str | None], Mapping[str, Any]] = {}
    for e in consent_repo.ledger(store, fid):
        current[(e["type"], e["member_id"])] = e
    return [{k: e.get(k) for k in ("type", "member_id", "status", "date", "given_by", "how")} for e in current.values()]


def render(store, family_ref: str, fmt: str, out: Path | None, *, template: str, template_dir: Path | None) -> Path:

    fid = fam.parse_ref(family_ref)
    fmt = normalise_format(fmt)
    basis = check_can_share(store, fid, "a plan document to share with the Team Around the Family")
    context = _context(store, fid)
    dest = Path(out) if out else Path.cwd() / f"{fam.family_ref(fid)}-one-family-plan.{fmt}"
    if dest.is_dir():
        dest = dest / f"{fam.family_ref(fid)}-one-family-plan.{fmt}"
    exports.export(
        store,
        exports.Entry(
            "plan.render",
            "plan",
            entity_id=context["plan"]["id"],
            family_id=fid,
            fields=["format", "template"],
            values={"format": fmt, "template": template, "file": dest.name, "lawful_basis": basis},
        ),
        [(dest, lambda tmp: render_plan(context, fmt, tmp, template=template, template_dir=template_dir))],
    )
    return dest


def render_all_open(store, fmt: str, out_dir: Path, *, template: str, template_dir: Path | None, progress=None) -> dict:
    """Render every open plan into ``out_dir``; families whose consent stops sharing are skipped and listed."""

    out_dir = Path(out_dir)
    written, skipped = [], []
    fids = [fam.parse_ref(p["family_id"]) for p in repo.open_plans(store)]
    for fid in progress(fids) if progress else fids:
        try:
            written.append(
                str(
                    render(
                        store,
                        fam.family_ref(fid),
                        fmt,
                        out_dir / f"{fam.family_ref(fid)}-one-family-plan.{fmt}",
                        template=template,
                        template_dir=template_dir,
                    )
                )
            )
        except RefusedError as exc:
            skipped.append({"family_id": fam.family_ref(fid), "reason": exc.message})
    return {"written": written, "skipped": skipped}
