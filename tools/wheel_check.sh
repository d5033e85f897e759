#!/usr/bin/env bash
# Build the wheel, install it into a new virtualenv outside the checkout, and run
# ehtool from there: templates, profiles and frameworks must come from the wheel.
set -euo pipefail
PYTHON="${1:-python3}"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m build --wheel --outdir "$work/dist" . >/dev/null
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$work"/dist/ehtool-*.whl
cd "$work"   # nowhere near the source tree
export EHTOOL_HOME="$work/home" EHTOOL_DB="$work/home/ehtool.db" EHTOOL_USER="wheel.check" NO_COLOR=1
"$work/venv/bin/python" - "$work/venv/bin/ehtool" <<'PY'
import json, subprocess, sys, pathlib
ehtool = sys.argv[1]
def run(*args):
    done = subprocess.run([ehtool, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"ehtool {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout
import ehtool as pkg
src = pathlib.Path(pkg.__file__).resolve()
assert "site-packages" in str(src), f"not the installed wheel: {src}"
print(run("--version").strip())
profiles = json.loads(run("profile", "list", "--json"))
assert len(profiles) >= 5, profiles
templates = json.loads(run("plan", "templates", "--json"))
assert any(t["name"] == "one-family-plan" for t in templates), templates
run("init", "--profile", "croydon")
ref = json.loads(run("family", "add", "--name", "Wheel Check", "--postcode", "CR0 1AA", "--json"))["id"]
areas = json.loads(run("plan", "areas", "--json"))
assert areas, "no outcome framework areas from the wheel"
run("demo", "--dir", str(pathlib.Path.cwd() / "demo"))
print(f"wheel ok: {len(profiles)} profiles, {len(templates)} templates, {len(areas)} areas, family {ref}, demo ran")
PY
