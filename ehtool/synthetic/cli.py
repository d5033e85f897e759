"""The command line of the synthetic family generator (``python -m ehtool.synthetic``)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ehtool.synthetic.generator import generate_families
from ehtool.synthetic.rows import FAMILY_COLUMNS, MEMBER_COLUMNS, to_family_rows, to_rows, write_rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Write synthetic early help families (never real people).")
    p.add_argument("--families", type=int, default=100, help="number of households (default 100)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--format", choices=("csv", "json", "tsv"), default=None, help="default: from the --out extension, else csv"
    )
    p.add_argument(
        "--layout",
        choices=("members", "families"),
        default="members",
        help="members: one row per member (the import layout); families: one row per family",
    )
    p.add_argument("--today", default=None, help="pretend today is YYYY-MM-DD (for reproducible files)")
    p.add_argument("--localities", default="north,central,south", help="comma-separated locality names")
    p.add_argument("--out", default="-", help="output file (default: stdout)")
    args = p.parse_args(argv)
    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() if args.out != "-" else "csv")
    if fmt not in ("csv", "json", "tsv"):
        fmt = "csv"
    today = dt.date.fromisoformat(args.today) if args.today else None
    localities = tuple(s.strip() for s in args.localities.split(",") if s.strip())
    families = generate_families(args.families, seed=args.seed, today=today, localities=localities)
    if args.layout == "members":
        rows, columns = to_rows(families), FAMILY_COLUMNS + MEMBER_COLUMNS
    else:
        rows, columns = to_family_rows(families), FAMILY_COLUMNS
    if args.out == "-":
        write_rows(rows, sys.stdout, fmt, columns)
    else:
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            write_rows(rows, out, fmt, columns)
        print(f"wrote {len(rows)} rows ({len(families)} households) to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
