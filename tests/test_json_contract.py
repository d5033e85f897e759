"""The `--json` contract: every command that takes `--json` prints exactly the keys
the README's "JSON keys" section documents, no more and no fewer (in the spirit of
sqlite-utils' documentation tests).

The README format (see the section's own "How to read the list"):

- each bullet starts with one or more bold headers such as **`family show --json`**;
  `plan show|new|edit --json` names several commands of one group, and a header with a
  flag (`plan render --all-open --json`) documents that form of the command only;
  a bullet may hold several headers, each one's keys running to the next header;
- the top-level keys are the backticked names outside parentheses;
- the parentheses after a key describe it, and the backticked names inside them are
  the keys of that nested object (or of each element of that list);
- "the keys of `X --json`" includes all of X's keys at that level.

One synthetic partnership is built through the CLI, every `--json` command is run on
it (each at least once, with data in the lists the README describes), and every
object printed is checked against the README, nested objects and lists included.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from ehtool.documents.profiles import load_profile

README = ROOT / "README.md"
CROYDON = load_profile("croydon")
L2A = next(i.id for i in CROYDON.indicators if i.level == "2a")
HARM = next(i.id for i in CROYDON.indicators if i.significant_harm)
HOUSEHOLD_2A = next(i.id for i in CROYDON.indicators if i.level == "2a" and not i.child_level and not i.age_band)

_HEADER = re.compile(r"\*\*`([^`]+)`\*\*")
_TOKEN = re.compile(r"`([^`]*)`|([()])")
_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_REF = re.compile(r"(.+?) --json")
_BETWEEN_HEADERS = re.compile(r"[\s,]*(?:and\s*)?")


# -- the README's JSON keys, parsed ------------------------------------------------------


class Node:
    """Keys documented at one level: each key with its nested Node, and references to
    other commands whose keys are included at this level."""

    def __init__(self):
        self.keys: dict[str, Node] = {}
        self.refs: list[str] = []


def _parse_body(text: str, where: str) -> Node:
    root = Node()
    stack: list[tuple[Node, str | None]] = []
    node, last = root, None
    for code, paren in _TOKEN.findall(text):
        if paren == "(":
            child = node.keys[last] if last is not None else Node()  # prose in parentheses: described nothing
            stack.append((node, last))
            node, last = child, None
        elif paren == ")":
            assert stack, f"README JSON keys, {where}: unbalanced ')'"
            node, last = stack.pop()
        elif _KEY.fullmatch(code):
            node.keys.setdefault(code, Node())
            last = code
        elif m := _REF.fullmatch(code):
            node.refs.append(" ".join(m.group(1).split()))
    assert not stack, f"README JSON keys, {where}: unbalanced '('"
    return root


def _commands_of(header: str) -> list[tuple[str, str]]:
    """`plan action add|done --json` -> [("plan action add", ""), ("plan action done", "")];
    `plan render --all-open --json` -> [("plan render", "--all-open")]."""
    words = header.split()
    assert words[-1] == "--json", f"README JSON keys: a bold header {header!r} should end with --json"
    words = words[:-1]
    names = [w for w in words if not w.startswith("-")]
    flags = [w for w in words if w.startswith("-")]
    assert names and words[: len(names)] == names, f"README JSON keys: {header!r}: the command comes first"
    *group, last = names
    return [(" ".join([*group, alt]), " ".join(flags)) for alt in last.split("|")]


def parse_json_keys(markdown: str) -> dict[tuple[str, str], Node]:
    """{(command, flags): Node} from the "## JSON keys" section of ``markdown``."""
    start = markdown.index("\n## JSON keys\n")
    end = markdown.find("\n## ", start + 1)
    section = markdown[start : end if end != -1 else len(markdown)]
    bullets: list[str] = []
    in_bullet = False
    for line in section.splitlines():
        if line.startswith("- "):
            bullets.append(line[2:])
            in_bullet = True
        elif in_bullet and line.startswith(" ") and line.strip():
            bullets[-1] += " " + line.strip()
        else:
            in_bullet = False  # a blank line or a paragraph ends the bullet; prose outside bullets is not parsed
    entries: dict[tuple[str, str], Node] = {}
    for bullet in bullets:
        text = " ".join(bullet.split())
        headers = list(_HEADER.finditer(text))
        assert headers and headers[0].start() == 0, (
            f"README JSON keys: a bullet should start with a header: {text[:60]!r}"
        )
        groups: list[list[re.Match]] = []
        for h in headers:
            if groups and _BETWEEN_HEADERS.fullmatch(text[groups[-1][-1].end() : h.start()]):
                groups[-1].append(h)
            else:
                groups.append([h])
        for i, group in enumerate(groups):
            body_end = groups[i + 1][0].start() if i + 1 < len(groups) else len(text)
            body = text[group[-1].end() : body_end]
            for h in group:
                for command in _commands_of(h.group(1)):
                    assert command not in entries, f"README JSON keys: {command} is documented twice"
                    entries[command] = _parse_body(body, h.group(1))
    return entries


def _merge(into: dict, other: dict) -> dict:
    for key, sub in other.items():
        _merge(into.setdefault(key, {}), sub)
    return into


def resolve(entries: dict[tuple[str, str], Node], command: str, flags: str = "") -> dict:
    """The documented keys of ``command`` as a tree {key: {nested key: {...}}}."""

    def walk(node: Node, seen: tuple) -> dict:
        tree: dict = {}
        for ref in node.refs:
            target = _commands_of(ref + " --json")
            assert len(target) == 1 and target[0] in entries, f"README JSON keys: `{ref} --json` is not documented"
            assert target[0] not in seen, f"README JSON keys: `{ref} --json` refers to itself"
            _merge(tree, walk(entries[target[0]], (*seen, target[0])))
        for key, child in node.keys.items():
            _merge(tree.setdefault(key, {}), walk(child, seen))
        return tree

    return walk(entries[(command, flags)], ((command, flags),))


@pytest.fixture(scope="module")
def documented() -> dict[tuple[str, str], Node]:
    return parse_json_keys(README.read_text(encoding="utf-8"))


def json_commands() -> set[str]:
    """Every command of the real CLI that has a --json option."""
    from typer.main import get_command

    from ehtool.cli import build_app

    found = set()

    def walk(cmd, path):
        if any("--json" in (getattr(p, "opts", None) or []) for p in cmd.params):
            found.add(" ".join(path))
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, [*path, name])

    walk(get_command(build_app(listing_only=False)), [])
    return found


# -- the parser itself ---------------------------------------------------------------------

SAMPLE = """
## JSON keys

Prose, ignored: `not_a_key`.

- **`thing add|edit --json`**: `id`, `flag` (bool), `kind` (`a`/`b`), `parts` (each `name`,
  `sub` (each `x`, `y`)), `note`. **`thing list --json`**: an array, each with the keys of
  `thing add --json`, plus `count` (a number).
- **`thing show --json`** and **`other
  --json`**: the keys of `thing add --json`, with `parts` (each also `z`).
- **`thing render --all --json`**: `written`.

## Next
"""


def test_the_readme_format_parses_as_documented():
    entries = parse_json_keys(SAMPLE)
    assert set(entries) == {
        ("thing add", ""),
        ("thing edit", ""),
        ("thing list", ""),
        ("thing show", ""),
        ("other", ""),
        ("thing render", "--all"),
    }
    add = resolve(entries, "thing add")
    assert set(add) == {"id", "flag", "kind", "parts", "note"}
    assert set(add["parts"]) == {"name", "sub"} and set(add["parts"]["sub"]) == {"x", "y"}
    assert set(add["flag"]) == set() and set(add["kind"]) == {"a", "b"}
    assert set(resolve(entries, "thing list")) == {"id", "flag", "kind", "parts", "note", "count"}
    shown = resolve(entries, "other")
    assert set(shown) == set(add) and set(shown["parts"]) == {"name", "sub", "z"}
    assert set(resolve(entries, "thing render", "--all")) == {"written"}


def test_every_json_command_is_documented(documented):
    commands = json_commands()
    assert len(commands) > 40  # the walk found the real CLI
    missing = sorted(c for c in commands if (c, "") not in documented)
    assert not missing, f"commands with --json but no README entry under '## JSON keys': {missing}"
    stale = sorted(f"{c} {f}".strip() for c, f in documented if c not in commands)
    assert not stale, f"README JSON keys documents commands that have no --json: {stale}"


# -- the whole CLI, on a synthetic partnership -----------------------------------------------

PLAN = {
    "lead_professional": "Pat Keyworker",
    "team": [{"name": "Sam Teststaff", "agency": "Testbrook Primary", "role": "DSL", "contact": "sam@example.org"}],
    "working_well": "Jo walks Rowan to school most days.",
    "worries": "Rowan missed 14 days of school.",
    "needs_to_happen": "A steady morning routine.",
    "family_voice": "We want calmer mornings.",
    "child_voice": "I like football.",
    "contingency": "Back to panel.",
    "review_date": "2027-01-10",
    "share_with": ["Testbrook Primary"],
    "outcomes": [
        {
            "area": "education",
            "description": "Attend every day",
            "baseline": 3,
            "target": 8,
            "actions": [{"what": "Routine chart", "who": "Parent", "due": "2026-12-10", "status": "in-progress"}],
        }
    ],
}
SMALL_PLAN = {
    "lead_professional": "Sol Lead",
    "worries": "Housing",
    "review_date": "2027-01-20",
    "outcomes": [{"area": "housing", "description": "Stable tenancy", "baseline": 2, "target": 7}],
}
IMPORT_CSV = (
    "household,name,postcode,locality,member_name,member_role,member_dob\n"
    "h1,Importwell family,CR0 3AB,south,Ivy Importwell,child,2016-02-03\n"
    "h1,,,,Ike Importwell,parent,1985-07-08\n"
)

# The nested lists and objects the walk must actually see with data in them.
MUST_CHECK = {
    ("family show", "members"),
    ("family show", "assessments"),
    ("family show", "consent"),
    ("family show", "plan"),
    ("family show", "panel_items"),
    ("family edit", "members"),
    ("plan show", "team"),
    ("plan show", "outcomes"),
    ("plan show", "outcomes.actions"),
    ("plan show", "reviews"),
    ("plan show", "progress"),
    ("panel show", "items"),
    ("consent show", "current"),
    ("consent show", "ledger"),
    ("assess run", "explanation"),
    ("assess run", "children"),
    ("assess run", "children.explanation"),
    ("referral list", "referrals"),
    ("settings show", "front_door"),
    ("assess run", "front_door"),
    ("assess show", "override"),
    ("panel decisions", "decisions"),
    ("panel decisions", "decisions.effects"),
    ("panel decide", "effects"),
    ("plan needs", "outcomes"),
    ("plan close", "closing_summary"),
    ("panel kinds", "decisions"),
    ("profile show", "decisions"),
    ("network list", "network"),
    ("fgdm list", "meetings"),
    ("family show", "network"),
    ("family show", "meetings"),
    ("profile show", "panel_kinds"),
    ("plan render --all-open", "skipped"),
    ("db check", "audit"),
    ("family sar", "sections"),
    ("retention purge", "deleted"),
    ("retention purge --dry-run", "would_delete"),
    ("profile show", "levels"),
    ("profile show", "indicators"),
    ("profile show", "settings"),
    ("report", "open_families.by_locality"),
    ("report", "rung_distribution"),
    ("report", "steps.by_month"),
    ("report", "plans_closed.by_reason"),
    ("report", "progress"),
    ("report", "reach.postcode_district"),
}


class Walk:
    """Runs `--json` commands and keeps what each printed."""

    def __init__(self, run):
        self.run = run
        self.printed: dict[tuple[str, str], list] = defaultdict(list)

    def __call__(self, command: str, *args, flags: str = "", code: int = 0):
        r = self.run(*command.split(), *args, "--json")
        assert r.code == code, f"{command} {flags}: exit {r.code}: {r.err}"
        data = json.loads(r.out)
        self.printed[(command, flags)].append(data)
        return data


def _fill_agenda(path: Path, dest: Path, row: int, values: dict) -> Path:
    wb = load_workbook(path)
    ws = wb["Agenda"]
    headers = [c.value for c in ws[2]]
    for header, value in values.items():
        ws.cell(row=row, column=headers.index(header) + 1, value=value)
    wb.save(dest)
    return dest


def build_and_walk(run, family, tmp_path) -> Walk:
    """A partnership with something in every list, and every --json command run on it."""
    j = Walk(run)

    def put(name: str, data: dict) -> Path:
        (tmp_path / name).write_text(json.dumps(data))
        return tmp_path / name

    j("init", "--profile", "sutton", "--db", tmp_path / "another.db")
    fam = family
    parent, child = None, None
    for m in run("family", "show", fam, "--json").json["members"]:
        parent, child = (m["id"], child) if m["role"] == "parent" else (parent, m["id"])
    j("member add", fam, "--name", "Ada Testwood", "--role", "child", "--dob", "2021-05-06", "--send", "--ehcp")
    j("member edit", parent, "--nhs-number", "943 476 5919", "--school", "Adult Learning Centre")
    visitor = j("member add", fam, "--name", "Vic Testwood", "--role", "other-adult")["id"]
    j("member remove", visitor)
    j("family edit", fam, "--language", "Yoruba", "--interpreter", "--notes", "Prefers mornings")

    # Assessments: one judged above the threshold result, one of significant harm elsewhere.
    j(
        "assess run",
        fam,
        "--answers",
        put(
            "a.json",
            {
                "children": {child: {"indicators": [L2A], "child_view": "I like football"}},
                "household": {"indicators": [HOUSEHOLD_2A], "affects": {HOUSEHOLD_2A: [child]}},
                "family_view": "Busy mornings",
                "override": {"level": "2b", "reason": "Several worries"},
            },
        ),
    )
    harmed = j(
        "family add",
        "--name",
        "Harmby family",
        "--locality",
        "south",
        "--lead",
        "Dana Lead",
        "--referral-date",
        "2026-10-01",
    )["id"]
    j("assess run", harmed, "--answers", put("h.json", {"indicators": [HARM]}), code=10)
    j("settings show")
    j("settings front-door", "--contact", "Test front door: 0000 000 0000 (a test number)")
    j("settings organisation", "Early Help Test Service")
    referral = j("referral record", harmed, "--to", "front-door", "--reference", "MARF-TEST-1", "--reason", "Harm")
    j("referral outcome", referral["id"], "--outcome", "stepped-down", "--note", "Early help instead")
    j("referral list", harmed)

    # Consent, a plan with everything in it, and a second plan whose consent is later withdrawn.
    j("consent record", fam, "--type", "early-help", "--status", "given", "--by", "Parent", "--how", "signed form")
    j("consent record", fam, "--type", "panel", "--status", "given")
    j(
        "consent record",
        fam,
        "--type",
        "share:School",
        "--status",
        "refused",
        "--member",
        parent,
        "--reason",
        "Parent's own decision",
    )
    j("plan needs", fam)
    j("plan new", fam, "--from", put("plan.json", PLAN))
    j("plan edit", fam, "--worries", "Rowan missed 12 days of school.")
    j(
        "plan outcome add",
        fam,
        "--area",
        "family-relationships",
        "--description",
        "Fewer arguments",
        "--baseline",
        "4",
        "--target",
        "7",
    )
    j("plan outcome edit", fam, "2", "--target", "8")
    j("plan action add", fam, "2", "--what", "Family time each week", "--who", "Parent", "--due", "2026-12-20")
    j("plan action done", fam, "1.1")
    j("plan action update", fam, "2.1", "--status", "in-progress")
    j("plan team add", fam, "--name", "Lee Testnurse", "--agency", "School nursing", "--role", "School nurse")
    j(
        "plan review",
        fam,
        "--date",
        "2026-11-20",
        "--attended",
        "Parent",
        "--attended",
        "Lee Testnurse",
        "--score",
        "1=6",
        "--score",
        "2=5",
        "--notes",
        "Mornings are calmer",
    )
    j("plan show", fam)

    second = j(
        "family add",
        "--name",
        "Secondly family",
        "--locality",
        "north",
        "--lead",
        "Sol Lead",
        "--referral-date",
        "2026-08-01",
    )["id"]
    j("member add", second, "--name", "Sid Secondly", "--role", "child", "--dob", "2019-01-02")
    opened = j("assess run", second, "--answers", put("s.json", {"indicators": [L2A]}), "--start")["id"]
    j("assess complete", opened, "--organisation", "Testbrook Primary")
    j("consent record", second, "--type", "early-help", "--status", "given")
    j("plan new", second, "--from", put("small.json", SMALL_PLAN))
    j("consent record", second, "--type", "early-help", "--status", "withdrawn")
    j("plan render", fam, "--format", "md", "--out", tmp_path / "plan.md")
    j("plan render", "--all-open", "--format", "md", "--out-dir", tmp_path / "plans", flags="--all-open")
    j(
        "plan close",
        second,
        "--reason",
        "consent-withdrawn",
        "--note",
        "Family asked to stop",
        "--what-changed",
        "Less",
        "--family-says",
        "We will come back",
    )
    j("plan areas")
    j("plan templates")

    # A locality panel: agenda, the chair's workbook read back, and a decision by hand.
    sitting = j("panel schedule", "--locality", "north", "--date", "2026-12-03", "--chair", "Chair Person")["id"]
    j(
        "panel add",
        fam,
        "--reason",
        "step-up",
        "--panel",
        sitting,
        "--presenter",
        "Pat Keyworker",
        "--notes",
        "Attendance",
    )
    j("panel add", second, "--reason", "review", "--panel", sitting, "--no-consent-reason", "Consent being sought")
    j("panel list")
    j("panel export", sitting, "--out", tmp_path / "agenda.xlsx")
    filled = _fill_agenda(
        tmp_path / "agenda.xlsx",
        tmp_path / "filled.xlsx",
        3,
        {
            "Decision": "Allocate",
            "Actions": "Keyworker to visit",
            "Allocated to": "Early Help North",
            "Notes": "=SUM(A1:A2)",
        },
    )
    j("panel decisions", filled, "--dry-run")
    j("panel decisions", filled)
    j("panel decide", second, "--decision", "defer", "--notes", "Back next month")
    j("panel show", sitting)
    j("panel schedule", "--locality", "north", "--date", "2026-12-17")  # carries the deferred item
    j("panel kinds")

    j("assess list", fam)
    first = run("assess", "list", fam, "--json").json[0]["id"]
    j("assess show", first)
    j("consent show", fam)

    # The register: an import, a closed family long past its date, a reopened one.
    (tmp_path / "families.csv").write_text(IMPORT_CSV)
    j("family import", tmp_path / "families.csv", "--dry-run")
    j("family import", tmp_path / "families.csv")
    old = j("family add", "--name", "Oldacre family", "--locality", "central", "--referral-date", "2005-01-01")["id"]
    j("member add", old, "--name", "Olly Oldacre", "--role", "child", "--dob", "1999-03-04")
    j("family close", old, "--reason", "needs-met", "--date", "2010-01-01")
    j("family close", harmed, "--reason", "stepped-up")
    j("family reopen", harmed)
    # Families First: the family's network and family group decision-making.
    person = j("network add", fam, "--name", "Testname Aunt", "--relationship", "aunt", "--offer", "School runs")
    j("network add", fam, "--name", "Testname Neighbour", "--relationship", "neighbour", "--agreed")
    j("network list", fam)
    j("network remove", person["id"])
    j("fgdm offer", fam, "--by", "Pat Keyworker")
    j("fgdm answer", fam, "--accepted")
    j("fgdm held", fam, "--attended", "Mum, aunt", "--family-plan", "Aunt does the school runs")
    j("fgdm list", fam)
    j("family list")
    j("family show", fam)
    j("family sar", fam, "--out", tmp_path / "sar")

    j("profile list")
    j("profile show", "croydon")
    j("profile validate", ROOT / "ehtool" / "profiles" / "croydon.toml")
    j("profile switch", "families-first")

    j("due")
    j("report", "--from", "2026-01-01")

    j("retention policy")
    j("retention hold", fam, "--reason", "Litigation pending")
    j("retention release", fam)
    j("retention due")
    j("retention purge", old, "--dry-run", flags="--dry-run")
    j("retention purge", old, "--confirm", old)

    j("audit", "--family", fam)
    j("audit verify")
    j("audit head")

    j("db backup", tmp_path / "backup.db")
    j("db check")
    j("db restore", tmp_path / "backup.db", "--yes")
    return j


def _check(value, tree: dict, where: str, path: str, problems: list, checked: set) -> None:
    """``value`` (an object printed by ``where``) has exactly the keys ``tree`` documents;
    then each documented nested object, or list of objects, the same way."""
    if set(value) != set(tree):
        extra, missing = sorted(set(value) - set(tree)), sorted(set(tree) - set(value))
        problems.append(
            f"{where}{' ' + path if path else ''}: "
            + "; ".join(
                filter(
                    None,
                    [
                        extra and f"printed but not documented: {extra}",
                        missing and f"documented but not printed: {missing}",
                    ],
                )
            )
        )
    for key, sub in tree.items():
        if not sub or key not in value:
            continue
        inner = value[key]
        objects = (
            [inner]
            if isinstance(inner, dict)
            else [i for i in inner if isinstance(i, dict)]
            if isinstance(inner, list)
            else []
        )
        here = f"{path}.{key}" if path else key
        for obj in objects:
            _check(obj, sub, where, here, problems, checked)
        if objects:
            checked.add((where, here))


def test_every_json_command_prints_exactly_the_documented_keys(run, family, tmp_path, documented):
    walk = build_and_walk(run, family, tmp_path)

    not_run = sorted(json_commands() - {command for command, _ in walk.printed})
    assert not not_run, f"the walk should run every --json command; not run: {not_run}"

    problems: list[str] = []
    checked: set[tuple[str, str]] = set()
    for (command, flags), outputs in sorted(walk.printed.items()):
        where = f"{command} {flags}".strip()
        assert (command, flags) in documented, f"`{where} --json` has no entry in the README's JSON keys"
        tree = resolve(documented, command, flags)
        for data in outputs:
            objects = data if isinstance(data, list) else [data]
            for obj in objects:
                assert isinstance(obj, dict), f"{where}: prints {type(obj).__name__}, not an object"
                _check(obj, tree, where, "", problems, checked)
        assert any(data for data in outputs), f"{where}: printed only empty lists; the walk should give it data"
    assert not problems, "JSON keys differ from the README's JSON keys section:\n" + "\n".join(sorted(set(problems)))
    assert checked >= MUST_CHECK, f"nested keys never checked with data: {sorted(MUST_CHECK - checked)}"


def test_booleans_are_json_booleans(run, family, tmp_path):
    """Yes/no values are true/false, never SQLite's 1/0 (family show once leaked legal_hold as 0/1),
    and no terminal text (family show's sections) reaches JSON."""
    assert run("retention", "hold", family, "--reason", "Litigation pending").code == 0
    shown = run("family", "show", family, "--json").json
    assert shown["legal_hold"] is True and shown["interpreter"] is False
    assert "sections" not in shown and "retain_until" not in shown
    assert all(isinstance(m[k], bool) for m in shown["members"] for k in ("send", "ehcp", "young_carer"))
    assert run("retention", "release", family).code == 0
    assert run("family", "show", family, "--json").json["legal_hold"] is False
