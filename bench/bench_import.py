"""Benchmark: what the duplicate check costs a family import.

Times whole processes and prints medians and ratios:

* a ~50 MB import file (48,000 synthetic households, ~155,000 people) imported
  into a fresh database with the duplicate check (families at the same postcode
  with similar names, people with the same date of birth and similar names, the
  same NHS number or UPN, in the database and earlier in the file) against
  `--allow-duplicate` (the same validation and write without the check).
  Target: within 1.5x. A random synthetic draw holds possible duplicates, so
  the households the check flags are dropped from the file first (found with
  ehtool's own check, in this process), leaving a file that imports cleanly.
* a 10-household file imported into a database already holding that 50 MB
  file, with the check against `--allow-duplicate`: the check asks the
  database only about the file's own postcodes, dates of birth and
  identifiers, through their indexes, so it must not grow with the database
  (target within 1.5x; before this, it read both tables whole).
    .venv/bin/python bench/bench_import.py [--families 48000] [--runs 3]

Synthetic families only (ehtool.synthetic).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], env: dict, *, setup=None) -> float:
    if setup:
        setup()
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def paired(a: list[str], b: list[str], env: dict, runs: int, *, setup=None) -> tuple[float, float, float]:
    """A and B in turn (A B A B ...): medians of each and of the ratios."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a, env, setup=setup))
        tb.append(timed(b, env, setup=setup))
    return statistics.median(ta), statistics.median(tb), statistics.median(x / y for x, y in zip(ta, tb))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--families", type=int, default=48_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ehtool-bench-import-"))
    big, small = work / "families.csv", work / "ten.csv"
    env = dict(
        os.environ,
        EHTOOL_HOME=str(work / "home"),
        EHTOOL_USER="bench",
        NO_COLOR="1",
        EHTOOL_TODAY=os.environ.get("EHTOOL_TODAY", "2026-12-02"),
    )
    py = [sys.executable, "-m", "ehtool"]
    print(f"generating {args.families} synthetic households in {work} ...", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            str(HERE / "synth.py"),
            "--families",
            str(args.families),
            "--seed",
            "5",
            "--layout",
            "members",
            "--today",
            env["EHTOOL_TODAY"],
            "--out",
            str(big),
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            sys.executable,
            str(HERE / "synth.py"),
            "--families",
            "10",
            "--seed",
            "99",
            "--layout",
            "members",
            "--today",
            env["EHTOOL_TODAY"],
            "--out",
            str(small),
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    with big.open(newline="", encoding="utf-8") as fh:
        people = sum(1 for _ in csv.reader(fh)) - 1
    print(f"{big.stat().st_size / 1e6:.1f} MB, {people} rows", file=sys.stderr)

    db = work / "ehtool.db"

    def fresh():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        subprocess.run(
            py + ["--db", str(db), "init", "--profile", "croydon"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    fresh()
    drop_flagged(big, db, env)
    print(f"without possible duplicates: {big.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    rows = []
    a, b, ratio = paired(
        py + ["--db", str(db), "family", "import", str(big)],
        py + ["--db", str(db), "family", "import", str(big), "--allow-duplicate"],
        env,
        args.runs,
        setup=fresh,
    )
    rows.append((f"import {big.stat().st_size / 1e6:.0f} MB file", a, b, ratio, "--allow-duplicate", 1.5))
    subprocess.run(
        py + ["--db", str(db), "family", "import", str(big), "--allow-duplicate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # the populated database
    # Each timed import of the small file is rolled back by --dry-run, so every run meets the same database.
    a, b, ratio = paired(
        py + ["--db", str(db), "family", "import", str(small), "--dry-run"],
        py + ["--db", str(db), "family", "import", str(small), "--dry-run", "--allow-duplicate"],
        env,
        max(args.runs, 5),
    )
    rows.append((f"10 households into {args.families // 1000}k", a, b, ratio, "--allow-duplicate", 1.5))

    print(f"{'scenario':<30} {'checked':>9} {'baseline':>9} {'ratio':>7} {'target':>7}  baseline")
    for label, x, y, r, base, target in rows:
        print(f"{label:<30} {x:>8.3f}s {y:>8.3f}s {r:>6.2f}x {target:>6.2f}x  {base}")
    return 0


def drop_flagged(path: Path, db: Path, env: dict) -> None:
    """Remove the households ehtool's duplicate check flags, so the file imports cleanly."""
    os.environ.update({k: env[k] for k in ("EHTOOL_TODAY", "EHTOOL_USER")})
    from ehtool.services import imports as importing
    from ehtool.services.settings import localities
    from ehtool.store import open_store

    store = open_store(db)
    try:
        for _ in range(3):
            rows, _fmt = importing.read_rows(path)
            plan = importing.plan_import(rows, localities=localities(store))
            problems = importing.find_duplicates(store, plan["families"])
            if not problems:
                return
            flagged = {int(p.split(":")[0].split()[1]) for p in problems}
            with path.open(newline="", encoding="utf-8") as fh:
                records = list(csv.reader(fh))
            households = {records[n - 1][0] for n in flagged}
            with path.open("w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(r for i, r in enumerate(records) if i == 0 or r[0] not in households)
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
