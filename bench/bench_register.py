"""Benchmark: the family register at 100,000 synthetic families.

Times whole processes (the way a coordinator or cron meets ehtool) and prints
medians and ratios:

* `ehtool --help`, `ehtool family show`, `ehtool family list --limit 50`
  against a minimal Typer app with two commands (bench/hello_typer.py), each
  run as a fresh process the same way (targets: --help within 1.3x, look-ups
  within 1.5x);
* `ehtool family import` of 100,000 rows (every row validated, written in one
  transaction with its audit entry; `--allow-duplicate` because a random
  100k draw holds many similar names at one postcode) against
  `sqlite-utils insert --csv` of the same file into a fresh database (target
  within 1.5x).

    .venv/bin/python bench/bench_register.py [--families 100000] [--runs 15]

Synthetic families only (ehtool.synthetic).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict, runs: int, *, setup=None) -> list[float]:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def paired(a: list[str], b: list[str], env: dict, runs: int) -> tuple[float, float, float]:
    """Run A and B in turn (A B A B ...) so drift hits both; median of each and of the ratios."""
    ta, tb, ratios = [], [], []
    for cmd in (a, b):  # warm-up
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        x = timed(a, env, 1)[0]
        y = timed(b, env, 1)[0]
        ta.append(x)
        tb.append(y)
        ratios.append(x / y)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--families", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--import-runs", type=int, default=3)
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ehtool-bench-"))
    csv_path = work / "families.csv"
    env = dict(os.environ, EHTOOL_HOME=str(work / "home"), EHTOOL_USER="bench", NO_COLOR="1")
    py = sys.executable
    ehtool = [py, "-m", "ehtool"]
    print(f"generating {args.families} synthetic families in {work} ...", file=sys.stderr)
    subprocess.run(
        [
            py,
            str(HERE / "synth.py"),
            "--families",
            str(args.families),
            "--seed",
            "1",
            "--layout",
            "families",
            "--out",
            str(csv_path),
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )

    db = work / "ehtool.db"
    su_db = work / "sqlite-utils.db"

    def fresh_ehtool():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        subprocess.run(
            ehtool + ["--db", str(db), "init", "--profile", "croydon"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def fresh_su():
        su_db.unlink(missing_ok=True)

    imp, su = [], []
    for _ in range(args.import_runs):
        imp += timed(
            ehtool + ["--db", str(db), "family", "import", str(csv_path), "--allow-duplicate"],
            env,
            1,
            setup=fresh_ehtool,
        )
        su += timed(
            [str(BIN / "sqlite-utils"), "insert", str(su_db), "families", str(csv_path), "--csv"],
            env,
            1,
            setup=fresh_su,
        )
    rows = [
        (
            "family import (100k rows)",
            statistics.median(imp),
            statistics.median(su),
            statistics.median(imp) / statistics.median(su),
            "sqlite-utils insert --csv",
            1.5,
        )
    ]

    hello = [py, str(HERE / "hello_typer.py")]
    env_db = dict(env, EHTOOL_DB=str(db))
    middle = f"F{args.families // 2:06d}"
    for label, a, b, target in (
        ("ehtool --help", ehtool + ["--help"], hello + ["--help"], 1.3),
        (f"family show {middle}", ehtool + ["family", "show", middle], hello + ["hello"], 1.5),
        ("family list --limit 50", ehtool + ["family", "list", "--limit", "50"], hello + ["hello"], 1.5),
    ):
        ma, mb, ratio = paired(a, b, env_db, args.runs)
        rows.append((label, ma, mb, ratio, "hello-world Typer app", target))

    print(f"{'scenario':<28} {'ehtool':>9} {'baseline':>9} {'ratio':>7} {'target':>7}  baseline")
    for label, a, b, ratio, base, target in rows:
        print(f"{label:<28} {a:>8.3f}s {b:>8.3f}s {ratio:>6.2f}x {target:>6.2f}x  {base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
