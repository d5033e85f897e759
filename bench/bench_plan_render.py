"""Benchmark: One Family Plans to .docx through ehtool vs plain docxtpl.

    .venv/bin/python bench/bench_plan_render.py [--plans 1000] [--seed 1] [--keep]

Both sides render the same bundled template with the same synthetic plans:

- ehtool: ``render_plan_bytes(context, "docx")`` (sandbox, StrictUndefined,
  autoescape, XML-invalid characters dropped, template bytes cached).
- plain docxtpl: ``DocxTemplate(path).render(context, env, autoescape=True)`` and
  ``save()`` to a BytesIO, with an ordinary ``jinja2.Environment`` that has the two
  filters the template uses (``ukdate``, ``score``).

Prints both times and the ratio (target: ehtool within 1.3x of plain docxtpl).
Synthetic people only. ``--keep`` writes the first few documents to bench/out/.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ehtool.documents.plans import find_template, plan_context, render_plan_bytes  # noqa: E402

FIRST = ["Amara", "Bo", "Cai", "Dara", "Eli", "Fen", "Gus", "Hana", "Ido", "Jo", "Kit", "Lu"]
AGENCIES = [
    "Family Hub",
    "School",
    "Health visiting",
    "School nursing",
    "Housing",
    "Youth service",
    "CAMHS",
    "Adult mental health",
    "Police",
    "Children's centre",
]
AREAS = [
    "education",
    "early-years",
    "health",
    "substance-use",
    "family-relationships",
    "safe-from-abuse",
    "crime",
    "domestic-abuse",
    "housing",
    "financial-stability",
]
WORDS = (
    "support routine school attendance calm home visit weekly plan review mum dad "
    "child sleep football club appointment letter rent debt advice group"
).split()
STATUSES = ["not started", "in progress", "done", "stuck"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def synthetic_plan(rng: random.Random, n: int) -> dict:
    surname = f"Testfamily{n}"
    members = [
        {
            "id": f"M{n}-1",
            "name": f"{rng.choice(FIRST)} {surname}",
            "role": "parent",
            "dob": f"{rng.randint(1975, 2000)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        }
    ]
    for c in range(rng.randint(1, 4)):
        members.append(
            {
                "id": f"M{n}-{c + 2}",
                "name": f"{rng.choice(FIRST)} {surname}",
                "role": "child",
                "dob": f"{rng.randint(2009, 2025)}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}",
            }
        )
    family = {
        "id": f"F{n:06d}",
        "name": f"{surname} household",
        "address": f"{n} Example Road\nTesttown",
        "postcode": "ZZ99 9ZZ",
        "locality": rng.choice(["North", "Central", "South"]),
        "language": "English",
        "interpreter": False,
        "members": members,
    }
    outcomes = []
    for o in range(rng.randint(1, 5)):
        outcomes.append(
            {
                "id": f"O{o}",
                "area": rng.choice(AREAS),
                "description": sentence(rng, 8),
                "baseline": rng.randint(0, 5),
                "target": rng.randint(6, 10),
                "actions": [
                    {
                        "id": f"A{o}-{a}",
                        "what": sentence(rng, 10),
                        "who": rng.choice(AGENCIES),
                        "due": "2027-01-15",
                        "status": rng.choice(STATUSES),
                    }
                    for a in range(rng.randint(0, 4))
                ],
            }
        )
    reviews = [
        {
            "date": f"2026-{m:02d}-15",
            "attended": "Parent, lead professional, school",
            "notes": sentence(rng, 20) + "\n" + sentence(rng, 12),
            "next_review_date": f"2026-{m + 1:02d}-15",
            "scores": [{"outcome_id": o["id"], "score": rng.randint(0, 10)} for o in outcomes],
        }
        for m in range(3, 3 + rng.randint(0, 3))
    ]
    plan = {
        "id": f"P{n:06d}",
        "status": "open",
        "version": rng.randint(1, 5),
        "created_at": "2026-02-01",
        "lead_professional": f"Keyworker {n} (Family Hub)",
        "team": [
            {
                "name": f"{rng.choice(FIRST)} Worker",
                "agency": rng.choice(AGENCIES),
                "role": "practitioner",
                "contact": "0000 000000",
            }
            for _ in range(rng.randint(1, 6))
        ],
        "working_well": sentence(rng, 25),
        "worries": sentence(rng, 25),
        "needs_to_happen": sentence(rng, 25),
        "family_voice": sentence(rng, 15),
        "child_voice": sentence(rng, 10),
        "outcomes": outcomes,
        "contingency": sentence(rng, 15),
        "review_date": "2027-01-20",
        "share_with": rng.sample(AGENCIES, 3),
        "reviews": reviews,
    }
    return plan_context(family, plan, generated_on="2026-11-26")


def plain_env():
    from jinja2 import Environment

    from ehtool.documents.jinja_env import score, ukdate

    env = Environment(autoescape=True)
    env.filters["ukdate"] = ukdate
    env.filters["score"] = score
    return env


def render_plain(path: Path, ctx: dict, env) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(path)
    tpl.render(ctx, env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="write 3 documents to bench/out/")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    contexts = [synthetic_plan(rng, n) for n in range(1, args.plans + 1)]
    path = find_template("one-family-plan", "docx")
    env = plain_env()

    # Warm up both (imports, first compile) so neither pays one-off costs.
    render_plan_bytes(contexts[0], "docx")
    render_plain(path, contexts[0], env)

    t0 = time.perf_counter()
    plain_sizes = [len(render_plain(path, ctx, env)) for ctx in contexts]
    plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    ours = [render_plan_bytes(ctx, "docx") for ctx in contexts]
    ehtool_time = time.perf_counter() - t0

    n = len(contexts)
    print(f"plans rendered:  {n} (template {path.name})")
    print(f"plain docxtpl:   {plain:8.2f} s  ({plain / n * 1000:6.1f} ms/plan)")
    print(f"ehtool:          {ehtool_time:8.2f} s  ({ehtool_time / n * 1000:6.1f} ms/plan)")
    print(f"ratio ehtool/plain: {ehtool_time / plain:.2f}x (target <= 1.30x)")
    print(f"mean size: plain {sum(plain_sizes) / n / 1024:.1f} KiB, ehtool {sum(map(len, ours)) / n / 1024:.1f} KiB")
    if args.keep:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(ours[:3], start=1):
            (out / f"plan-{i}.docx").write_bytes(data)
        print(f"wrote 3 documents to {out}")


if __name__ == "__main__":
    main()
