"""Write synthetic families (never real people) for benchmarks and trials.

The generator lives in :mod:`ehtool.synthetic` (the demo uses it too):

    python bench/synth.py --families 100000 --seed 1 --layout families --out bench/out/families.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from ehtool.synthetic import main
except ImportError:  # run from a checkout without an install
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ehtool.synthetic import main

if __name__ == "__main__":
    sys.exit(main())
