"""Run every benchmark in bench/ with modest sizes and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = [
    ["bench_register.py", "--families", "100000", "--runs", "11"],
    ["bench_agenda.py", "--items", "2000"],
    ["bench_plan_render.py", "--plans", "1000"],
    ["bench_report.py", "--families", "20000", "--runs", "5"],
    ["bench_import.py", "--families", "48000", "--runs", "3"],
]

if __name__ == "__main__":
    for script, *args in RUNS:
        print(f"\n# {script} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args], check=False)
