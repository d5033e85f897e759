"""Benchmark: export a 2,000-item panel agenda.

Compares ``write_agenda`` (cleaning, formula guard, styles, row heights
fitted to the text, dropdown, print setup, Summary/Key/metadata sheets) with
openpyxl's write-only workbook writing the very same cell values (read back
from the agenda) with no styling and no row heights. Target: ratio <= 1.25.

    .venv/bin/python bench/bench_agenda.py [--items 2000] [--repeat 7]

Synthetic families only: references, initials and text are generated.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from ehtool.documents.agenda import write_agenda
from ehtool.domain.panels import REASONS

LEVELS = [
    {"id": "1", "name": "Level 1 Universal", "description": "Needs met by universal services."},
    {"id": "2a", "name": "Level 2a Targeted", "description": "Single agency targeted support."},
    {"id": "2b", "name": "Level 2b Intensive early help", "description": "Multi-agency, lead professional."},
    {"id": "3", "name": "Level 3 Specialist complex", "description": "Referral to children's social care."},
    {"id": "4", "name": "Level 4 Specialist acute", "description": "Significant harm: immediate referral."},
]
MATTERS = [
    "Attendance below 90%",
    "Parental conflict",
    "Rent arrears",
    "Low mood",
    "Speech and language delay",
    "Young carer",
    "Food poverty",
    "New to the area",
]
AGENCIES = ["School", "Health visiting", "GP", "Housing", "CAMHS", "Youth service", "Police"]


def synthetic_items(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPRSTW"
    items = []
    for i in range(1, n + 1):
        surname = rnd.choice(letters)
        kids = ", ".join(f"{rnd.choice(letters)}.{surname}. ({rnd.randint(2, 17)})" for _ in range(rnd.randint(1, 3)))
        level = rnd.choice(LEVELS)
        items.append(
            {
                "item": i,
                "family_id": f"F{100000 + i:06d}",
                "family": f"{rnd.choice(letters)}.{surname}.",
                "children": kids,
                "reason": rnd.choice(list(REASONS)),
                "level": level["id"],
                "level_name": level["name"],
                "assessed_on": f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}",
                "matters": "; ".join(rnd.sample(MATTERS, 2)),
                "lead_professional": f"Worker {rnd.randint(1, 40)}",
                "agencies": "; ".join(rnd.sample(AGENCIES, 3)),
                "consent": f"Given 2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}",
                "days_since_referral": rnd.randint(1, 120),
                "presenter": f"Presenter {rnd.randint(1, 9)}",
                "notes": "Synthetic notes for the panel. " * rnd.randint(0, 3),
            }
        )
    return items


def read_cells(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def plain_write(path: Path, sheets: dict[str, list[tuple]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    items = synthetic_items(args.items)
    panel = {"id": "P0001", "locality": "North", "date": "2026-12-03", "chair": "Chair Synthetic"}
    with tempfile.TemporaryDirectory() as tmp:
        dest, plain = Path(tmp) / "agenda.xlsx", Path(tmp) / "plain.xlsx"
        write_agenda(dest, panel, items, profile_levels=LEVELS)  # warm up (imports)
        sheets = read_cells(dest)
        plain_write(plain, sheets)
        ours, base = [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both alike
            t = time.perf_counter()
            write_agenda(dest, panel, items, profile_levels=LEVELS)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            plain_write(plain, sheets)
            base.append(time.perf_counter() - t)
        cells = sum(sum(v is not None for v in row) for rows in sheets.values() for row in rows)
    a, b = statistics.median(ours), statistics.median(base)
    print(f"items: {args.items}  cells: {cells}  repeats: {args.repeat} (medians)")
    print(f"write_agenda:              {a * 1000:8.1f} ms")
    print(f"openpyxl write-only, plain: {b * 1000:8.1f} ms")
    print(f"ratio: {a / b:.2f}x (target <= 1.25x)")


if __name__ == "__main__":
    main()
