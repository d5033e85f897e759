"""Benchmark: `ehtool report` over a large synthetic partnership.

Imports N synthetic households (ehtool.synthetic, through `ehtool family
import`), gives each one to three assessments on random days of the last two
years (through the assessment store, so movements are worked out as usual) and
closes a fifth of them, then times whole processes: `ehtool report --json`
and `ehtool report --xlsx` (median of --runs).

    .venv/bin/python bench/bench_report.py [--families 20000] [--runs 5]

Synthetic families only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEVEL_ANSWERS = [[], ["health-missed-checks"], ["health-yp-substance-experimenting"], ["health-disability-specialist"]]


def populate(db: Path, seed: int = 3) -> None:
    from ehtool import clock
    from ehtool.domain.thresholds import movement
    from ehtool.services import assessments as assessing
    from ehtool.services.settings import profile
    from ehtool.store import assessments, open_store
    from ehtool.store import families as repo

    rng = random.Random(seed)
    store = open_store(db)
    prof = profile(store)
    today = clock.today()
    ids = [r["id"] for r in store.all("SELECT id FROM families")]
    with store.tx():
        for fid in ids:
            days = sorted(rng.sample(range(1, 730), rng.randint(1, 3)), reverse=True)
            for ago in days:
                values = assessing.build(
                    prof,
                    {
                        "indicators": rng.choice(LEVEL_ANSWERS),
                        "assessed_on": (today - dt.timedelta(days=ago)).isoformat(),
                    },
                )
                assessments.save(store, fid, values, movement_of=lambda a, b: movement(a, b, prof))
            if rng.random() < 0.2:
                closed = today - dt.timedelta(days=rng.randint(0, days[-1]))
                repo.set_status(store, fid, "closed", "needs-met", closed.isoformat())
    store.close()


def timed(cmd: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--families", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ehtool-bench-report-"))
    db = work / "home" / "ehtool.db"
    env = dict(os.environ, EHTOOL_HOME=str(work / "home"), EHTOOL_DB=str(db), EHTOOL_USER="bench", NO_COLOR="1")
    os.environ.update(EHTOOL_USER="bench")
    py = sys.executable
    ehtool = [py, "-m", "ehtool"]
    csv_path = work / "members.csv"
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
            "members",
            "--out",
            str(csv_path),
        ],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(ehtool + ["init", "--profile", "croydon"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ehtool + ["family", "import", str(csv_path), "--allow-duplicate"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = time.perf_counter()
    populate(db)
    print(f"assessments and closures written in {time.perf_counter() - start:.1f}s", file=sys.stderr)

    as_json = timed(ehtool + ["report", "--json"], env, args.runs)
    as_xlsx = timed(ehtool + ["report", "--xlsx", str(work / "board.xlsx")], env, args.runs)
    print(f"families: {args.families}")
    print(f"report --json: {as_json:.2f}s (median of {args.runs})")
    print(f"report --xlsx: {as_xlsx:.2f}s (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
