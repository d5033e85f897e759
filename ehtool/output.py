"""The one place that renders records: a table on a terminal, plain text in a
pipe, JSON or CSV on request. Data goes to stdout, messages to stderr.

rich is imported only when stdout is a terminal, so scripts and pipes pay
nothing for it. Values are user data: never interpreted as markup, and
control characters are shown as visible escapes, never sent to the terminal.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _State:
    quiet = False


state = _State()


def safe(value) -> str:
    """Text for display: None -> '', bools -> yes/no, control characters escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
    return Console(file=stream, highlight=False, markup=False, emoji=False,
                   no_color=not colour_allowed(stream), soft_wrap=False)


def emit_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def emit_csv(rows: Iterable[dict], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _csv_value(row.get(c)) for c in columns])


def _csv_value(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit_table(rows: Sequence[dict], columns: Sequence[tuple[str, str]], *, title: str | None = None,
               empty: str = "Nothing to show.") -> None:
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
    cells = [[header for _, header in columns]] + [[safe(r.get(k)).replace("\n", " ") for k, _ in columns]
                                                     for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    for row in cells:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")


def emit_record(record: dict, fields: Sequence[tuple[str, str]], *, title: str | None = None) -> None:
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
    if not state.quiet:
        sys.stderr.write(safe(text) + "\n")


def warn(text: str) -> None:
    sys.stderr.write("warning: " + safe(text) + "\n")


def banner(title: str, body: str) -> None:
    """A prominent box on stderr (used for significant harm). Always shown, even with --quiet."""
    if colour_allowed(sys.stderr) or sys.stderr.isatty():
        from rich.panel import Panel
        from rich.text import Text

        _console(stderr=True).print(Panel(Text(safe(body)), title=Text(safe(title), style="bold"),
                                          border_style="bold red", style="bold"))
        return
    bar = "!" * 72
    sys.stderr.write(f"{bar}\n!! {safe(title)}\n{bar}\n{safe(body)}\n{bar}\n")
