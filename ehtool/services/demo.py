"""`ehtool demo`: a throwaway database of synthetic families, and the main job end to end.

Everything runs through the same functions the commands use, against a new
database in its own folder (never the user's). Synthetic people only.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ehtool import clock, synthetic
from ehtool.domain import validators as v
from ehtool.errors import Conflict, Refused
from ehtool.files import ensure_private_dir
from ehtool.services import panel_decisions as deciding
from ehtool.services import panels as paneling
from ehtool.services import plan_documents
from ehtool.services import plans as planning
from ehtool.services.demo_assess import SEED, assess_all
from ehtool.services.demo_families_first import families_first
from ehtool.services.due import collect
from ehtool.services.imports import import_file
from ehtool.services.reports import build_report, export_board
from ehtool.services.settings import framework, init, localities

if TYPE_CHECKING:
    from ehtool.domain.due import DueItem
    from ehtool.domain.thresholds import Profile
    from ehtool.store.rows import FamilySummary


class Tour(Protocol):
    """What the demo reports as it goes; the command shows it (``commands/views/demo.py``)."""

    folder: Path
    files: list[tuple[str, Path]]

    def step(self, text: str) -> None: ...
    def say(self, text: str) -> None: ...
    def file(self, label: str, path: Path) -> None: ...
    def harm(self, profile: Profile, indicators: list, child: str | None = None) -> None: ...
    def due(self, items: list[DueItem], day: dt.date) -> None: ...
    def done(self, db: Path) -> None: ...


def run_demo(
    folder: Path | None, make_tour: Callable[[Path], Tour], *, profile: str = "croydon", n_families: int = 24
) -> dict:
    """Build the demo database in ``folder`` (a new temporary one by default) and do the
    main job end to end, reporting each step to the tour ``make_tour(folder)`` returns."""

    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ehtool-demo-"))
    ensure_private_dir(folder)
    db = folder / "ehtool.db"
    if db.exists():
        raise Conflict(
            f"{db} already exists: the demo builds a new database.",
            hint="Choose an empty folder with --dir, or leave --dir out for a new temporary one.",
        )
    tour = make_tour(folder)
    store = _setup(tour, db, profile, n_families)
    try:
        families = assess_all(tour, store)
        planned = _plans(tour, store, families)
        _panel(tour, store, families, planned)
        _cron(tour, store)
        families_first(tour, store, planned)
    finally:
        store.close()
    tour.done(db)
    return {"folder": str(folder), "db": str(db), "files": {label: str(p) for label, p in tour.files}}


def _setup(tour: Tour, db: Path, profile: str, n: int):

    tour.step(f"1. Create a database for the {profile} profile")
    result = init(db, profile_name=profile, localities_override=None, marking_text=None)
    store = result["store"]
    tour.say(f"{result['profile_name']}; localities {', '.join(result['localities'])}")
    tour.file("database (0600)", db)

    tour.step(f"2. Register {n} synthetic families from a file")
    locs = tuple(result["localities"])
    families = synthetic.generate_families(n, seed=SEED, localities=locs)
    csv_path = tour.folder / "families.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        synthetic.write_rows(
            synthetic.to_rows(families), fh, "csv", synthetic.FAMILY_COLUMNS + synthetic.MEMBER_COLUMNS
        )
    imported = import_file(store, csv_path, allow_duplicate=True)
    tour.file("import file", csv_path)
    tour.say(
        f"imported {imported['families']} families and {imported['members']} members "
        f"({imported['first_id']}..{imported['last_id']}); every row checked first, all or nothing"
    )
    return store


def _plans(tour: Tour, store, families: list[FamilySummary]) -> list[str]:

    tour.step("4. Write One Family Plans, review one, and render it as Markdown, HTML and Word")
    areas = [a["id"] for a in framework(store).areas]
    rng = random.Random(SEED + 1)
    planned, refused = [], 0
    for fam in families[: max(6, len(families) // 2)]:
        plan = {
            "lead_professional": rng.choice(["Sam Keyworker", "Alex Family Worker", "Jo Lead"]),
            "team": [
                {
                    "name": "Designated Safeguarding Lead",
                    "agency": "School",
                    "role": "DSL",
                    "contact": "dsl@example.org",
                },
                {"name": "Health Visitor", "agency": "Health visiting", "role": "HV", "contact": "hv@example.org"},
            ],
            "working_well": "Parents are keen to work with us; grandparents help with the school run.",
            "worries": "Attendance is falling and mornings are hard.",
            "needs_to_happen": "A morning routine, a school attendance plan, and a check on the family's benefits.",
            "family_voice": "We want mornings to be calmer.",
            "child_voice": "I like my teacher.",
            "outcomes": [
                {
                    "area": a,
                    "description": f"Progress on {a.replace('-', ' ')}",
                    "baseline": rng.randint(2, 5),
                    "target": rng.randint(7, 9),
                    "actions": [
                        {
                            "what": "Agree a plan at the next Team Around the Family meeting",
                            "who": "Lead professional",
                            "due": (clock.today() + dt.timedelta(days=rng.randint(-10, 20))).isoformat(),
                        }
                    ],
                }
                for a in rng.sample(areas, 2)
            ],
            "contingency": "If things do not improve by the review, bring the family back to the locality panel.",
            "share_with": ["School", "Health visiting"],
        }
        try:
            planning.new_plan(store, fam["id"], plan)
            planned.append(fam["id"])
        except Refused:
            refused += 1
    tour.say(f"{len(planned)} plans started; {refused} refused (no consent yet, or significant harm)")
    first = planned[0]
    planning.review(
        store,
        first,
        date=None,
        attended=["Parent", "Sam Keyworker", "School DSL"],
        scores={"1": 6, "2": 5},
        done=["1.1"],
        notes="Mornings are calmer; attendance up.",
        next_review=None,
    )
    tour.say(f"{first}: reviewed (scores recorded, one action done, next review set)")
    for fmt in ("md", "html", "docx"):
        path = plan_documents.render(
            store,
            first,
            fmt,
            tour.folder / f"{first}-one-family-plan.{fmt}",
            template="one-family-plan",
            template_dir=None,
        )
        tour.file(f"One Family Plan ({fmt})", path)
    return planned


def _panel(tour: Tour, store, families: list[FamilySummary], planned: list[str]) -> None:
    from openpyxl import load_workbook

    tour.step("5. A locality panel: export the agenda, fill it in as a chair would, read the decisions back")
    loc = localities(store)[0]["name"]
    when = clock.today().isoformat()
    panel = paneling.schedule(store, loc, when, "Demo Chair")
    reasons = ["new-referral", "step-up", "review", "step-down", "closure", "escalation"]
    added = 0
    local = [f for f in families if f["id"] in planned and f["locality"] == loc]
    others = [f for f in families if f["id"] in planned and f["locality"] != loc]
    for n, fam in enumerate((local + others)[:6]):
        paneling.add(
            store,
            fam["id"],
            reason=reasons[n % len(reasons)],
            locality=None,
            date=None,
            panel=panel["id"],
            presenter="Sam Keyworker",
            notes=None,
            no_consent_reason=None,
        )
        added += 1
    tour.say(f"{panel['id']}: {loc} panel on {when}, {added} families on the agenda")
    agenda = paneling.export(
        store,
        panel=panel["id"],
        locality=None,
        date=None,
        out=tour.folder / f"panel-agenda-{when}.xlsx",
        named=False,
        marking=None,
    )
    tour.file("panel agenda (pseudonymised)", Path(agenda["path"]))
    wb = load_workbook(agenda["path"])
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    choices = [
        ("Allocate", "Sam Keyworker"),
        ("Step up to social care", None),
        ("Defer", None),
        ("Lead professional and TAF", "Ali Practitioner"),
        ("More information needed", None),
        ("Allocate", None),
    ]
    for i, row in enumerate(range(3, 3 + added)):
        decision, allocated = choices[i % len(choices)]
        ws.cell(row=row, column=headers.index("Decision") + 1, value=decision)
        ws.cell(row=row, column=headers.index("Allocated to") + 1, value=allocated)
        ws.cell(row=row, column=headers.index("Notes") + 1, value="Agreed at panel.")
    filled = tour.folder / f"panel-agenda-{when}-decisions.xlsx"
    wb.save(filled)
    tour.file("agenda with decisions", filled)
    result = deciding.read_back(store, filled, panel=None, locality=None, date=None, dry_run=False)
    tour.say(f"read back {result['recorded']} decisions, and what each did:")
    for d in result["decisions"]:
        for e in d["effects"]:
            tour.say(f"  {d['family_id']} {d['decision']}: {e['what']}" + (f" ({e['target']})" if e["target"] else ""))
    nxt = paneling.schedule(store, loc, (clock.today() + dt.timedelta(days=14)).isoformat(), "Demo Chair")
    tour.say(
        f"{nxt['id']}: the next {loc} sitting; the deferred families are carried onto it: {', '.join(nxt['carried'])}"
    )


def _cron(tour: Tour, store) -> None:
    """What the Monday-morning and month-end cron jobs produce."""

    tour.step("6. What cron would send: the due list, and the board report")
    today = v.today_london()
    items = collect(store, today, within=14, locality=None, lead=None)
    tour.due(items, today)
    data = build_report(store, start=None, end=None, locality=None, today=today)
    path = export_board(store, data, tour.folder / f"board-report-{today.isoformat()}.xlsx")
    tour.file("board report (counts only)", path)
    tour.say(f"{data['open_families']['total']} open families; {data['steps']['step_ups']} step-ups this year")
