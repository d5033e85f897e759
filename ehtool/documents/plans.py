"""One Family Plan documents: Markdown, HTML and Word, from Jinja templates.

Templates are looked for by name in ``--template-dir`` (if given), then the
partnership's folder (``ehtool.paths.partnership_templates()``, i.e.
``$EHTOOL_TEMPLATES`` or ``$EHTOOL_HOME/templates``), then the bundled folder; the
first match wins. A template NAME in format md, html or docx is the file
``NAME.md.j2``, ``NAME.html.j2`` or ``NAME.docx`` (a Word file with docxtpl tags).
The bundled template is ``one-family-plan``.

The context every template gets (build it with :func:`plan_context`, in
:mod:`ehtool.documents.plan_context`)::

    marking        "OFFICIAL-SENSITIVE" (the protective marking; configurable)
    generated_on   "2026-11-26" (ISO date the document was made)
    family         id ("F000123"), name, address, postcode, locality, language,
                   interpreter (bool),
                   members: [{id, name, role, dob ("" or ISO), age ("7", "4 months"
                              or ""), due_date ("" or ISO)}],
                   network: [{name, relationship, offer, contact, agreed (bool)}]
                            (people around the family who can help; not members),
                   family_group: the latest family group decision-making meeting
                                 held {held_on, attended, family_plan}, or None
    plan           id, family_id, status ("open"/"closed"), version (int),
                   created_at, lead_professional,
                   team: [{name, agency, role, contact}],
                   working_well, worries, needs_to_happen, family_voice, child_voice,
                   outcomes: [{id, area (area id), area_name, description,
                               baseline (0-10 or None), target (0-10 or None),
                               latest_score (0-10 or None),
                               actions: [{id, what, who, due, status}]}],
                   contingency, review_date, share_with: [agency names],
                   reviews (oldest first): [{date, attended, notes, next_review_date,
                            scores: [{area_name, description, score, baseline, target}]}],
                   closed_reason (None while open), key_worker_choice,
                   closing_summary: {what_changed, what_helped, family_says}
    profile        the threshold profile ({name, levels...}) or None
    level          the family's current rung {id, name} or None
    title          what the partnership calls its plan ("One Family Plan",
                   "Family Help plan"), from the profile
    lead_title     what it calls the person who leads it ("Lead professional",
                   "Family Help Lead Practitioner")
    consent        the current consent decisions: [{type, member_id, status, date,
                   given_by, how}]
    steps          the family's moves, oldest first: [{date, move (step-up,
                   step-down, referral), detail}]

Every key is always present (text is "" when not recorded, lists are empty), so a
template can test ``{% if plan.team %}`` without tripping StrictUndefined. Values
are data: they are never evaluated as templates, HTML and Word output escape them,
Markdown shows them exactly as typed. Templates may also use the filters ``ukdate``
and ``score`` (see :mod:`ehtool.documents.jinja_env`).

Rendering runs in Jinja's sandbox with StrictUndefined; any template problem (a
missing variable, a syntax error, an attempt to reach Python internals) raises
``InvalidInput`` naming the template file and the problem, and nothing is written.
Because a template is untrusted, the render (compiling included) runs in a child
process bounded in time, memory and output size (the bounds, and the environment
variables that change them, are in :mod:`ehtool.documents.sandbox`); past a bound
it stops with ``InvalidInput`` naming the template and the bound, and nothing is
written.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ehtool.documents import jinja_env as je
from ehtool.documents import sandbox
from ehtool.documents.plan_context import DEFAULT_MARKING, age_on, plan_context
from ehtool.errors import InvalidInput, NotFound
from ehtool.files import atomic_output
from ehtool.paths import bundled_templates, partnership_templates

DEFAULT_TEMPLATE = "one-family-plan"
FORMATS = ("md", "html", "docx")
SUFFIXES = {"md": ".md.j2", "html": ".html.j2", "docx": ".docx"}
_FORMAT_ALIASES = {"markdown": "md", "htm": "html", "word": "docx"}
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]*$")
# docxtpl's rewriting of a Word template's XML, by the XML (filled in the render's
# child process and handed back, like the compiled templates in jinja_env).
_DOCX_PATCHED = sandbox.Memo("docx-patched-xml")

__all__ = [
    "DEFAULT_MARKING",
    "DEFAULT_TEMPLATE",
    "FORMATS",
    "age_on",
    "find_template",
    "list_templates",
    "plan_context",
    "render_plan",
    "render_plan_bytes",
]


# --- where templates are ------------------------------------------------------


def normalise_format(fmt: str) -> str:
    key = str(fmt).strip().lower().lstrip(".")
    key = _FORMAT_ALIASES.get(key, key)
    if key not in FORMATS:
        raise InvalidInput(f"Unknown document format {fmt!r}: use md, html or docx.")
    return key


def _search_path(template_dir: str | os.PathLike | None) -> list[tuple[Path, str]]:
    places: list[tuple[Path, str]] = []
    if template_dir is not None:
        folder = Path(template_dir).expanduser()
        if not folder.is_dir():
            raise NotFound(f"Template folder not found: {folder}")
        places.append((folder, "--template-dir"))
    places.append((partnership_templates(), "partnership"))
    places.append((bundled_templates(), "bundled"))
    # The same folder twice (e.g. --template-dir is the partnership folder): once.
    seen: set[str] = set()
    unique = []
    for folder, source in places:
        key = os.path.normpath(os.path.abspath(folder))
        if key not in seen:
            seen.add(key)
            unique.append((folder, source))
    return unique


def list_templates(template_dir: str | os.PathLike | None = None) -> list[dict[str, Any]]:
    """Every template in the search path: ``name``, ``format``, ``path``, ``source``
    ("--template-dir", "partnership" or "bundled") and ``shadowed`` (True when a
    template of the same name and format earlier in the search path is used instead)."""
    rows: list[dict[str, Any]] = []
    used: set[tuple[str, str]] = set()
    for rank, (folder, source) in enumerate(_search_path(template_dir)):
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith((".", "~$")) or not entry.is_file():
                continue
            for fmt, suffix in SUFFIXES.items():
                if entry.name.endswith(suffix) and len(entry.name) > len(suffix):
                    name = entry.name[: -len(suffix)]
                    key = (name, fmt)
                    rows.append(
                        {
                            "name": name,
                            "format": fmt,
                            "path": str(entry),
                            "source": source,
                            "shadowed": key in used,
                            "_rank": rank,
                        }
                    )
                    used.add(key)
    rows.sort(key=lambda r: (r["name"], FORMATS.index(r["format"]), r["_rank"]))
    for row in rows:
        del row["_rank"]
    return rows


def find_template(name: str, fmt: str, template_dir: str | os.PathLike | None = None) -> Path:
    """The file for template ``name`` in format ``fmt`` (md, html or docx): the first
    of ``template_dir``, the partnership folder and the bundled folder that has it."""
    fmt = normalise_format(fmt)
    suffix = SUFFIXES[fmt]
    name = str(name).strip()
    for ending in (suffix, ".j2", f".{fmt}"):  # forgiving: "one-family-plan.docx"
        if name.endswith(ending) and len(name) > len(ending):
            name = name[: -len(ending)]
    if not _TEMPLATE_NAME.match(name) or ".." in name:
        raise InvalidInput(
            f"{name!r} is not a template name.",
            hint="Give a name such as one-family-plan; to use templates in another folder, pass --template-dir.",
        )
    places = _search_path(template_dir)
    for folder, _source in places:
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    available = sorted({r["name"] for r in list_templates(template_dir) if r["format"] == fmt})
    looked = "; ".join(f"{folder} ({source})" for folder, source in places)
    raise NotFound(
        f"No {fmt} template named {name!r}. Looked for {name}{suffix} in: {looked}.",
        hint=(f"{fmt} templates: " + ", ".join(available))
        if available
        else f"There are no {fmt} templates in those folders.",
    )


# --- rendering -------------------------------------------------------------------


def render_plan_bytes(
    context: Mapping[str, Any],
    fmt: str,
    *,
    template: str = DEFAULT_TEMPLATE,
    template_dir: str | os.PathLike | None = None,
) -> bytes:
    """Render the plan to bytes (UTF-8 text for md/html, a .docx for docx), in a child
    process bounded in time, memory and output size (see the module docstring)."""

    fmt = normalise_format(fmt)
    path = find_template(template, fmt, template_dir)
    bounds = sandbox.Bounds.from_env()
    # What is trusted (imports, building the environment) is done here, once, so
    # that each child starts warm; reading, compiling and rendering the template
    # happen in the child.
    if fmt == "docx":
        env, template_class = je.docx_env(), _docx_template_class()
        render = functools.partial(_render_docx, context, path, env, template_class)
    else:
        folders = tuple(str(folder) for folder, _ in _search_path(template_dir))
        env = je.text_env(folders, str(bundled_templates()))
        render = functools.partial(_render_text, context, path, env, bounds.output_bytes)
    return sandbox.run_bounded(render, path, bounds)


def render_plan(
    context: Mapping[str, Any],
    fmt: str,
    dest: str | os.PathLike,
    *,
    template: str = DEFAULT_TEMPLATE,
    template_dir: str | os.PathLike | None = None,
) -> Path:
    """Render and write ``dest`` atomically, mode 0600. On any error nothing is
    written and an existing ``dest`` is left as it was."""

    dest = Path(dest).expanduser()
    if dest.is_dir():
        raise InvalidInput(f"{dest} is a folder: give a file name for the plan document.")
    data = render_plan_bytes(context, fmt, template=template, template_dir=template_dir)
    with atomic_output(dest) as tmp:
        tmp.write_bytes(data)
    return dest


def _render_text(context: Mapping[str, Any], path: Path, env: Any, max_bytes: int) -> bytes:

    out = io.StringIO()
    size = 0
    try:
        # The loader finds the same file find_template did (same folders, same order).
        tpl = env.get_template(path.name)
        for chunk in tpl.generate(context):  # counted as it is made
            size += len(chunk)
            if size > max_bytes:
                raise sandbox.BoundExceeded("output")
            out.write(chunk)
    except (sandbox.BoundExceeded, MemoryError):
        raise
    except UnicodeDecodeError:
        raise InvalidInput(f"Template {path} is not UTF-8 text.") from None
    except Exception as exc:  # any failure inside a template is the template's
        raise je.template_error(exc, path) from None
    return out.getvalue().encode("utf-8")


@functools.lru_cache(maxsize=16)
def _docx_bytes(path: str, mtime_ns: int, size: int) -> bytes:
    return Path(path).read_bytes()


@functools.cache
def _docx_template_class() -> type:
    from docxtpl import DocxTemplate

    class CachedDocxTemplate(DocxTemplate):
        """docxtpl re-patches the same XML on every render; do it once per template."""

        def patch_xml(self, src_xml: str) -> str:
            out = _DOCX_PATCHED.get(src_xml)
            if out is None:
                out = super().patch_xml(src_xml)
                _DOCX_PATCHED.put(src_xml, out)
            return out

    return CachedDocxTemplate


def _render_docx(context: Mapping[str, Any], path: Path, env: Any, template_class: type) -> bytes:

    try:
        st = path.stat()
        data = _docx_bytes(str(path), st.st_mtime_ns, st.st_size)
        tpl = template_class(io.BytesIO(data))
        tpl.init_docx()
    except MemoryError:
        raise
    except Exception as exc:
        raise InvalidInput(
            f"Template {path} is not a Word document ehtool can read ({type(exc).__name__}: {exc}).",
            hint="Save it again from Word as a .docx file.",
        ) from None
    try:
        # The values are cleaned for XML as they are written (jinja_env._docx_finalize).
        tpl.render(dict(context), env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except MemoryError:
        raise
    except Exception as exc:  # any failure inside a template is the template's
        if type(exc).__module__.startswith("lxml"):
            raise InvalidInput(
                f"Template {path} produced a Word document that is not valid XML "
                f"({exc}); check that each {{%p %}}, {{%tr %}} block opens and closes "
                "at the same level (paragraphs, table rows).",
            ) from None
        raise je.template_error(exc, path, docx=True) from None
    return out.getvalue()
