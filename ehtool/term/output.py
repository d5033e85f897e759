"""The one place that renders records: a table on a terminal, plain text in a
pipe, JSON or CSV on request. Data goes to stdout, messages to stderr.

rich is imported only when stdout is a terminal, so scripts and pipes pay
nothing for it. Values are user data: never interpreted as markup, and
control characters (C0, DEL, C1) and the invisible bidirectional controls
(embeddings, overrides, isolates, marks) are shown as visible escapes, never
sent to the terminal. The same characters are escaped in every output:
``\\uXXXX`` escapes in JSON (the same string to json.loads), visible escapes
in CSV, where a cell a spreadsheet could take for a formula also gets a
leading apostrophe (the xlsx exports' rule); ``emit_csv(raw=True)`` writes
cells exactly as stored, for programs.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ehtool.documents.xlsx_safe import needs_text_guard
from ehtool.term import session

# Bidirectional controls: they reorder what follows them (U+202E shows
# "exe.txt" as "txt.exe") while being invisible themselves.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Terminal and plain text: C0 controls but tab and newline, DEL, C1, bidi.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# CSV cells: as the terminal, but tab and line breaks are cell content (quoted).
_CSV_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
# JSON: json.dumps escapes C0 itself; DEL, C1 and bidi become \\uXXXX escapes.
_JSON_CONTROL = re.compile(f"[\x7f-\x9f{_BIDI}]")


def safe(value) -> str:
    """Text for display: None -> '', bools -> yes/no, control characters escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _escape(_CONTROL, str(value))


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(_visible, text) if pattern.search(text) else text


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def err_console():
    return _console(stderr=True)


def colour_allowed(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream, highlight=False, markup=False, emoji=False, no_color=not colour_allowed(stream), soft_wrap=False
    )


def _json_text(data, **kwargs) -> str:
    """JSON with non-ASCII text literal (UTF-8) but DEL, C1 and bidi controls
    as \\uXXXX escapes: outside strings JSON is ASCII, so each such character
    is inside a string, where the escape means the same character."""
    text = json.dumps(data, ensure_ascii=False, default=str, **kwargs)
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_CONTROL.search(text) else text


def emit_json(data) -> None:
    sys.stdout.write(_json_text(data, indent=2))
    sys.stdout.write("\n")


def emit_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, raw: bool = False) -> None:
    """CSV with a header row. Text a spreadsheet could take for a formula gets a
    leading apostrophe, and control and bidi characters are escaped as on a
    terminal; numbers ehtool computed are left alone. ``raw``: every cell
    exactly as stored (for programs)."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    # Python's csv (before 3.12) leaves a field holding a lone CR unquoted with
    # this line terminator, which breaks the row: such rows are quoted in full.
    quote_all = csv.writer(sys.stdout, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    cell = _csv_raw if raw else _csv_cell
    for row in rows:
        cells = ["" if row.get(c) is None else cell(row.get(c)) for c in columns]
        if any(isinstance(v, str) and "\r" in v for v in cells):
            quote_all.writerow(cells)
        else:
            writer.writerow(cells)


def _csv_raw(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value if isinstance(value, (int, float)) else str(value)


def _csv_cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value  # computed by ehtool, not typed: -3 days stays a number
    if isinstance(value, (list, dict)):
        return _json_text(value)  # starts with [ or {: never a formula
    text = _escape(_CSV_CONTROL, str(value))
    return "'" + text if needs_text_guard(text) else text


def emit_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
) -> None:
    """``columns``: (key, header) pairs."""
    if not rows:
        message(empty)
        return
    if stdout_is_terminal():
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(safe(title)) if title else None, show_lines=False, header_style="bold")
        for _, header in columns:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*[Text(safe(row.get(k))) for k, _ in columns])
        _console().print(table)
        return
    if title:
        sys.stdout.write(safe(title) + "\n")
    cells = [[header for _, header in columns]] + [
        [safe(r.get(k)).replace("\n", " ") for k, _ in columns] for r in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    for line in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() + "\n")


def emit_record(record: Mapping[str, Any], fields: Sequence[tuple[str, str]], *, title: str | None = None) -> None:
    """One record as 'Label: value' lines."""
    width = max(len(label) for _, label in fields)
    lines = []
    for key, label in fields:
        value = safe(record.get(key))
        if not value:
            continue
        value = value.replace("\n", "\n" + " " * (width + 2))
        lines.append(f"{label.ljust(width)}  {value}")
    if stdout_is_terminal():
        from rich.text import Text

        console = _console()
        if title:
            console.print(Text(safe(title), style="bold"))
        console.print(Text("\n".join(lines)))
        return
    if title:
        sys.stdout.write(safe(title) + "\n")
    sys.stdout.write("\n".join(lines) + "\n")


@contextlib.contextmanager
def progress():
    """A progress bar on stderr for work that can take more than a second; only on
    a terminal and never with --quiet. Yields ``report(stage, done, total)``."""
    if session.current().quiet or not stderr_is_terminal():
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("Starting", total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=safe(stage), completed=done, total=total)

        yield report


def heading(text: str) -> None:
    if stdout_is_terminal():
        from rich.text import Text

        _console().print(Text("\n" + safe(text), style="bold"))
    else:
        sys.stdout.write("\n" + safe(text) + "\n")


def line(text: str = "") -> None:
    sys.stdout.write(safe(text) + "\n")


def tell(text: str = "") -> None:
    """Part of a conversation with the person (a questionnaire's result): stderr, always."""
    sys.stderr.write(safe(text) + "\n")


def message(text: str) -> None:
    """A note for the person (stderr); silent with --quiet."""
    if not session.current().quiet:
        sys.stderr.write(safe(text) + "\n")


def warn(text: str) -> None:
    sys.stderr.write("warning: " + safe(text) + "\n")


def banner(title: str, body: str) -> None:
    """A prominent box on stderr (used for significant harm). Always shown, even with --quiet."""
    if colour_allowed(sys.stderr) or sys.stderr.isatty():
        from rich.panel import Panel
        from rich.text import Text

        _console(stderr=True).print(
            Panel(Text(safe(body)), title=Text(safe(title), style="bold"), border_style="bold red", style="bold")
        )
        return
    bar = "!" * 72
    sys.stderr.write(f"{bar}\n!! {safe(title)}\n{bar}\n{safe(body)}\n{bar}\n")
