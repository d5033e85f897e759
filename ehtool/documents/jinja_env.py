"""The Jinja environments that render plan documents, and what their errors mean.

Partnerships edit templates, so every template runs in Jinja's immutable sandbox
with ``StrictUndefined`` (a misspelt variable is an error, never a blank) and the
errors a template can cause come back as one ``InvalidInput`` that names the
template file and the problem. Jinja is imported only inside these functions.

- ``text_env(search_path)``: Markdown and HTML templates, loaded from the search
  path (``--template-dir``, the partnership's folder, the bundled folder; the first
  wins, so a template can ``{% include %}`` a sibling). A template in the bundled
  folder can always be reached as ``bundled/NAME`` (e.g. to ``{% extends %}`` the
  bundled plan and override a block). Autoescape is on for HTML, off for Markdown.
- ``docx_env()``: for docxtpl, which renders the Word XML from strings. Autoescape
  on; every ``{{ value }}`` drops characters XML cannot hold (``\\x01``...) and
  writes ``{``/``}`` as character references so docxtpl's own post-processing
  cannot touch data; compiled templates are cached by their source.

Filters available to every template: ``ukdate`` (``2026-11-26`` -> ``26 November
2026``; anything else is shown as it is) and ``score`` (``None`` -> ``"not yet
scored"``, else ``"7/10"``).

Absurd sizes are refused at once, as "asked for too much": ``*`` and ``**`` past
``_MAX_SEQUENCE``/``_MAX_POWER``, widths past ``_MAX_WIDTH`` (``center``,
``indent``), counts past ``_MAX_COUNT`` (``batch``, ``slice``; Jinja's sandbox
already caps ``range``) and ``lipsum`` past ``_MAX_LIPSUM`` paragraphs or
``_MAX_LIPSUM_WORDS`` words. These only make the common mistakes fail fast and
clearly; the real bound on time, memory and output is the child process of
:mod:`ehtool.documents.sandbox`, whose :class:`~ehtool.documents.sandbox.Memo`
caches also carry compiled templates back from the child (``TEXT_CODE``,
``DOCX_CODE``).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from ehtool.documents.sandbox import Memo
from ehtool.errors import InvalidInput

_MONTHS = ("January February March April May June July August September October November December").split()
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# Characters XML 1.0 cannot hold (tab, newline and carriage return are allowed).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Sizes the sandbox refuses to build with '*' and '**' (a template typo must not
# eat the machine's memory).
_MAX_POWER = 1_000
_MAX_SEQUENCE = 1_000_000
# ... and the widths, counts and lengths it refuses in filters and lipsum.
_MAX_WIDTH = 10_000
_MAX_COUNT = 100_000
_MAX_LIPSUM = 100
_MAX_LIPSUM_WORDS = 1_000

# Compiled templates, filled in the render's child process and handed back to this
# one (see ehtool.documents.sandbox): text templates by Jinja's bytecode-cache key,
# as (checksum of the source, code); Word XML by its source, as code.
TEXT_CODE = Memo("jinja-text-code")
DOCX_CODE = Memo("jinja-docx-code")

TEXT_FORMATS = {"md": False, "html": True}


def ukdate(value: Any) -> str:
    """``2026-11-26`` -> ``26 November 2026``; anything else unchanged (as text)."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    m = _ISO_DATE.match(text)
    if not m:
        return text
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return text
    return f"{day} {_MONTHS[month - 1]} {year}"


def score(value: Any, empty: str = "not yet scored") -> str:
    if value is None or value == "":
        return empty
    return f"{value}/10"


def strip_xml_invalid(text: str) -> str:
    """Remove what XML cannot hold; turn CR LF and lone CR into LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_INVALID.sub("", text)


def _docx_finalize(value: Any) -> Any:
    from markupsafe import Markup, escape

    if hasattr(value, "__html__"):  # docxtpl RichText/Listing, or markup from a macro
        return value
    text = strip_xml_invalid(value if isinstance(value, str) else str(value))
    # '{' and '}' as character references: docxtpl rewrites '{_{' and '}_}' in the
    # rendered XML, and data must come out exactly as typed.
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


@functools.cache
def _environment_class() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class PlanEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, refusing absurd '*' and '**' as well as Python internals."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                if isinstance(right, (int, float)) and abs(right) > _MAX_POWER:
                    raise OverflowError(f"the power {right} is too large")
                return left**right
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > _MAX_SEQUENCE:
                        raise OverflowError("the repeated text or list would be too large")
            return left * right

    return PlanEnvironment


def _at_most(what: str, value: Any, limit: int) -> Any:
    size = len(value) if isinstance(value, str) else value
    if isinstance(size, (int, float)) and size > limit:
        raise OverflowError(f"{what} {size} is too large (at most {limit})")
    return value


def _configure(env: Any) -> Any:
    from jinja2 import pass_eval_context
    from jinja2.utils import generate_lorem_ipsum

    filters = dict(env.filters)

    def center(value, width=80):
        return filters["center"](value, _at_most("the width", width, _MAX_WIDTH))

    def indent(s, width=4, first=False, blank=False):
        return filters["indent"](s, _at_most("the indent", width, _MAX_WIDTH), first, blank)

    def batch(value, linecount, fill_with=None):
        return filters["batch"](value, _at_most("the batch size", linecount, _MAX_COUNT), fill_with)

    @pass_eval_context
    def slice_(eval_ctx, value, slices, fill_with=None):
        return filters["slice"](eval_ctx, value, _at_most("the number of slices", slices, _MAX_COUNT), fill_with)

    def lipsum(n=5, html=True, min=20, max=100):
        _at_most("lipsum's paragraph count", n, _MAX_LIPSUM)
        _at_most("lipsum's word count", min, _MAX_LIPSUM_WORDS)
        _at_most("lipsum's word count", max, _MAX_LIPSUM_WORDS)
        return generate_lorem_ipsum(n, html, min, max)

    env.filters.update(center=center, indent=indent, batch=batch, slice=slice_)
    env.globals["lipsum"] = lipsum
    env.filters["ukdate"] = ukdate
    env.filters["score"] = score
    return env


@functools.cache
def _bytecode_cache() -> Any:
    from jinja2.bccache import BytecodeCache

    class MemoBytecodeCache(BytecodeCache):
        """Compiled text templates in TEXT_CODE; a changed source is compiled again."""

        def load_bytecode(self, bucket):
            entry = TEXT_CODE.get(bucket.key)
            if entry is not None and entry[0] == bucket.checksum:
                bucket.code = entry[1]

        def dump_bytecode(self, bucket):
            TEXT_CODE.put(bucket.key, (bucket.checksum, bucket.code))

    return MemoBytecodeCache()


@functools.lru_cache(maxsize=16)
def text_env(search_path: tuple[str, ...], bundled: str) -> Any:
    """One environment per search path, built once per process (templates are cached
    by the loader and reloaded when their file changes)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined

    def autoescape(name: str | None) -> bool:
        # Escape unless the template is known to be plain text.
        return not (name or "").endswith((".md.j2", ".md", ".txt.j2", ".txt"))

    loader = ChoiceLoader(
        [
            FileSystemLoader(list(search_path), encoding="utf-8"),
            PrefixLoader({"bundled": FileSystemLoader(bundled, encoding="utf-8")}),
        ]
    )
    env = _environment_class()(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        bytecode_cache=_bytecode_cache(),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env)


@functools.cache
def docx_env() -> Any:
    from jinja2 import DictLoader, StrictUndefined

    base = _environment_class()

    class DocxEnvironment(base):  # type: ignore[misc, valid-type]
        def from_string(self, source, globals=None, template_class=None):
            # docxtpl compiles the whole document XML on every render; the XML is
            # the same each time for the same template, so compile it once.
            if globals or template_class:
                return super().from_string(source, globals, template_class)
            code = DOCX_CODE.get(source)
            if code is None:
                code = self.compile(source)
                DOCX_CODE.put(source, code)
            return self.template_class.from_code(self, code, self.make_globals(None), None)

    env = DocxEnvironment(
        loader=DictLoader({}),  # a docx template cannot include files
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_docx_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return _configure(env)


# --- errors ------------------------------------------------------------------


def template_error(exc: BaseException, template: Path, *, docx: bool = False) -> InvalidInput:
    """Turn anything a template can raise into an InvalidInput naming file and problem."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    where = str(template)
    if isinstance(exc, TemplateSyntaxError):
        if (
            not docx and exc.filename and os.path.normpath(exc.filename) != os.path.normpath(where)
        ):  # the mistake is in a template this one includes or extends
            template = Path(exc.filename)
            where = f"{exc.filename} (used by {where})"
        line = "" if docx else f", line {exc.lineno}"
        snippet = _docx_snippet(exc) if docx else _source_line(template, exc.lineno)
        message = f"Template {where}{line} has a syntax error: {exc.message}"
        if snippet:
            message += f" (near: {snippet})"
        return InvalidInput(message, hint="Fix the template, or render with the bundled one.")

    line_no = None if docx else _runtime_line(exc, template)
    line = f", line {line_no}" if line_no else ""
    snippet = _source_line(template, line_no) if line_no else ""
    near = f" (in: {snippet})" if snippet else ""
    if isinstance(exc, SecurityError):
        return InvalidInput(
            f"Template {where}{line} tried to reach Python internals and was refused: {exc}{near}",
            hint="Templates may only use the plan's values; remove that expression.",
        )
    if isinstance(exc, UndefinedError):
        return InvalidInput(
            f"Template {where}{line} uses a variable that is not in the plan: {exc}{near}",
            hint="Check the spelling against the context documented in "
            "ehtool.documents.plans, or test it with `is defined`.",
        )
    if isinstance(exc, OverflowError):
        return InvalidInput(f"Template {where}{line} asked for too much: {exc}{near}")
    if isinstance(exc, RecursionError):
        return InvalidInput(f"Template {where}{line} never stops (it calls itself forever).")
    if isinstance(exc, MemoryError):
        return InvalidInput(f"Template {where}{line} needs more memory than there is.")
    kind = type(exc).__name__
    return InvalidInput(f"Template {where}{line} failed: {kind}: {exc}{near}")


def _source_line(template: Path, lineno: int | None) -> str:
    if not lineno:
        return ""
    try:
        lines = template.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    if 1 <= lineno <= len(lines):
        text = lines[lineno - 1].strip()
        return text if len(text) <= 120 else text[:117] + "..."
    return ""


def _runtime_line(exc: BaseException, template: Path) -> int | None:
    """Jinja rewrites tracebacks so template frames carry template line numbers."""
    tb = exc.__traceback__
    found = None
    target = os.path.normpath(str(template))
    while tb is not None:
        if os.path.normpath(tb.tb_frame.f_code.co_filename) == target:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _docx_snippet(exc: BaseException) -> str:
    context = getattr(exc, "docx_context", None)
    if not context:
        return ""
    text = " ".join(" ".join(part.split()) for part in context if part.strip())
    return text if len(text) <= 160 else text[:157] + "..."
