"""Build templates/one-family-plan.docx: the Word One Family Plan, with docxtpl tags.

    .venv/bin/python tools/make_plan_docx.py [DEST]

The .docx is committed; run this again after changing it here (a partnership can
instead open the .docx in Word, restyle it and save it in its templates folder,
keeping the {{ ... }} and {% ... %} tags).

docxtpl tags used: ``{{ value }}`` in a run; ``{%p ... %}`` alone in a paragraph
(the paragraph is replaced by the tag, so it can wrap tables and whole sections);
``{%tr ... %}`` alone in a table row (the row is replaced by the tag, for one row
per item). The context is documented in ehtool/documents/plans.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "templates" / "one-family-plan.docx"
GREY = "D9D9D9"
# The next review: none once the plan is closed (its last date would mislead).
NEXT_REVIEW = (
    '{{ "none: the plan is closed" if plan.status == "closed" else '
    '(plan.review_date|ukdate if plan.review_date else "not yet set") }}'
)
# When and why a plan was closed, in words: the reasons ehtool records
# (ehtool.domain.plans.CLOSE_REASONS) by their label, anything else as it is; then the
# note, if any.
CLOSED_REASON = (
    '{{ "Closed on " ~ (plan.closed_on|ukdate) ~ ". " '
    'if plan.closed_on is defined and plan.closed_on else "" }}'
    '{{ {"needs-met": "Needs met", "stepped-up": "Stepped up to children\'s social care", '
    '"stepped-down": "Stepped down to universal services", "moved-away": "Family moved away", '
    '"consent-withdrawn": "Consent withdrawn", "other": "Other"}.get(plan.closed_reason, '
    'plan.closed_reason) or "No reason recorded." }}'
    '{{ (": " ~ plan.closed_note) if plan.closed_note is defined and plan.closed_note else "" }}'
)


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %})."""
    doc.add_paragraph(text)


def shade(cell, fill: str = GREY) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))  # schema order: before trHeight, tblHeader


def set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, in the table grid as well as in every cell: Word
    reads the cells, LibreOffice the grid (python-docx leaves it at equal
    columns), and the table as a whole is as wide as the columns."""
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(Cm(width).twips))
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Cm(sum(widths_cm)).twips))


def keep_together(table) -> None:
    """Keep a short table on one page: every paragraph but those of the last
    row keeps with the next (Word's way of not splitting a table)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def use_font(style, name: str) -> None:
    """``name`` for the style, in place of the theme's font (which Word and
    LibreOffice would otherwise use: headings in Calibri under Arial text)."""
    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def header_row(table, labels: list[str]) -> None:
    row = table.rows[0]
    repeat_header(row)
    for cell, label in zip(row.cells, labels):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        shade(cell)


def loop_table(doc, labels, loop_open: str, cells: list[str], loop_close: str, widths):
    """Header row, then {%tr for %} / one row of cells / {%tr endfor %}."""
    table = doc.add_table(rows=4, cols=len(labels))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row(table, labels)
    table.rows[1].cells[0].text = loop_open
    for cell, text in zip(table.rows[2].cells, cells):
        cell.text = text
    cant_split(table.rows[2])
    table.rows[3].cells[0].text = loop_close
    set_widths(table, widths)
    return table


def facts_table(doc, rows: list[tuple[str, str]]):
    """Two columns, label and value. A label of None means a {%tr %} tag row."""
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, rows):
        if label is None:
            row.cells[0].text = value
            continue
        row.cells[0].text = ""
        row.cells[0].paragraphs[0].add_run(label).bold = True
        shade(row.cells[0])
        row.cells[1].text = value
    set_widths(table, [5.0, 12.0])
    return table


def section(doc, title: str) -> None:
    doc.add_heading(title, level=2)


def history_section(doc) -> None:
    """The family's step-ups and step-downs, when it has any."""
    tag(doc, "{%p if steps %}")
    section(doc, "Step-ups and step-downs")
    loop_table(
        doc,
        ["Date", "Move", "What happened"],
        "{%tr for s in steps %}",
        ["{{ s.date|ukdate }}", "{{ s.move }}", "{{ s.detail }}"],
        "{%tr endfor %}",
        [3.9, 3.0, 10.1],
    )
    tag(doc, "{%p endif %}")


def consent_and_closing(doc) -> None:
    """The consent recorded (type, decision, date, by whom), then, for a closed plan, why and its summary."""
    tag(doc, "{%p if consent %}")
    loop_table(
        doc,
        ["Consent", "Decision", "Date", "By whom"],
        "{%tr for c in consent %}",
        [
            '{{ c.type }}{{ " (" ~ c.member_id ~ ")" if c.member_id else "" }}',
            "{{ c.status }}",
            "{{ c.date|ukdate }}",
            '{{ c.given_by }}{{ " (" ~ c.how ~ ")" if c.how else "" }}',
        ],
        "{%tr endfor %}",
        [4.5, 3.0, 3.9, 5.6],
    )
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if plan.status == "closed" %}')
    section(doc, "Plan closed")
    doc.add_paragraph(CLOSED_REASON)
    for label, key in (
        ("What changed", "what_changed"),
        ("What helped", "what_helped"),
        ("What the family says now", "family_says"),
    ):
        tag(doc, f"{{%p if plan.closing_summary.{key} %}}")
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(f"{{{{ plan.closing_summary.{key} }}}}")
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def network_sections(doc) -> None:
    """Families First: the family's network, and the family's own plan from family group decision-making."""
    tag(doc, "{%p if family.network %}")
    section(doc, "The family's network")
    loop_table(
        doc,
        ["Name", "Relationship", "Can offer", "Contact", "Agreed to the plan"],
        "{%tr for p in family.network %}",
        [
            "{{ p.name }}",
            "{{ p.relationship }}",
            "{{ p.offer }}",
            "{{ p.contact }}",
            '{{ "yes" if p.agreed else "no" }}',
        ],
        "{%tr endfor %}",
        [3.5, 3.0, 4.5, 3.5, 2.5],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if family.family_group %}")
    section(doc, "The family's own plan")
    doc.add_paragraph(
        "From family group decision-making on {{ family.family_group.held_on|ukdate }}"
        "{{ ' (who came: ' ~ family.family_group.attended ~ ')' if family.family_group.attended else '' }}:"
    )
    text_or_empty(doc, "family.family_group.family_plan", "Not recorded.")
    tag(doc, "{%p endif %}")


def text_or_empty(doc, expr: str, empty: str = "Not recorded yet.") -> None:
    doc.add_paragraph(f"{{{{ {expr} or {empty!r} }}}}")


def page_field(paragraph, field: str = "PAGE") -> None:
    """A PAGE (or NUMPAGES) field: Word fills in the page number (or count)."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), field)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def build(dest: Path) -> Path:
    doc = Document()
    sect = doc.sections[0]
    sect.orientation = WD_ORIENT.PORTRAIT
    sect.page_width, sect.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sect, side, Cm(2.0))

    normal = doc.styles["Normal"]
    use_font(normal, "Arial")
    normal.font.size = Pt(11)
    for style_name, size in (("Title", 24), ("Heading 2", 14), ("Heading 3", 12)):
        style = doc.styles[style_name]
        use_font(style, "Arial")
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
    # The rule under the title: black like the rest, not the theme's blue.
    rule = doc.styles["Title"].element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    rule.set(qn("w:color"), "000000")
    rule.attrib.pop(qn("w:themeColor"), None)

    props = doc.core_properties
    props.title = "One Family Plan"
    props.author = "ehtool"
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.last_modified_by = "ehtool"

    # Protective marking in the header and the footer of every page (and
    # nowhere else: in the body too, page 1 would show it twice at the top).
    header = sect.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("{{ marking }}")
    run.bold = True
    footer = sect.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run("{{ marking }}")
    run.bold = True
    footer.add_run("    Family {{ family.id }} · plan {{ plan.id }} version {{ plan.version }} · page ")
    page_field(footer)
    footer.add_run(" of ")
    page_field(footer, "NUMPAGES")

    doc.add_heading("{{ title }}", level=0)

    facts_table(
        doc,
        [
            ("Family reference", "{{ family.id }}"),
            (None, "{%tr if family.name %}"),
            ("Family", "{{ family.name }}"),
            (None, "{%tr endif %}"),
            (None, "{%tr if family.address or family.postcode %}"),
            (
                "Address",
                '{{ family.address }}{{ "\\n" if family.address and family.postcode else "" }}{{ family.postcode }}',
            ),
            (None, "{%tr endif %}"),
            (None, "{%tr if family.locality %}"),
            ("Locality", "{{ family.locality }}"),
            (None, "{%tr endif %}"),
            (None, "{%tr if family.language or family.interpreter %}"),
            (
                "Main language",
                '{{ family.language or "not recorded" }}{{ " (interpreter needed)" if family.interpreter else "" }}',
            ),
            (None, "{%tr endif %}"),
            (
                "Plan",
                "{{ plan.id }}, version {{ plan.version }}, {{ plan.status }}"
                '{{ ", started " ~ (plan.created_at|ukdate) if plan.created_at else "" }}',
            ),
            ("{{ lead_title }}", '{{ plan.lead_professional or "not yet agreed" }}'),
            (None, "{%tr if plan.key_worker_choice %}"),
            ("The family's choice of key worker", "{{ plan.key_worker_choice }}"),
            (None, "{%tr endif %}"),
            (None, "{%tr if level %}"),
            ("Level of need", '{{ level.name }}{{ " — " ~ profile.name if profile and profile.name else "" }}'),
            (None, "{%tr endif %}"),
            ("Next review", NEXT_REVIEW),
        ],
    )

    section(doc, "The family")
    tag(doc, "{%p if family.members %}")
    loop_table(
        doc,
        ["Name", "Role", "Age"],
        "{%tr for m in family.members %}",
        [
            '{{ m.name or ("Unborn baby" if m.role == "unborn" else "Name not recorded") }}',
            "{{ m.role }}",
            '{{ m.age if m.age else ("due " ~ (m.due_date|ukdate) if m.due_date else "") }}',
        ],
        "{%tr endfor %}",
        [8.0, 5.0, 4.0],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("No family members recorded yet.")
    tag(doc, "{%p endif %}")

    network_sections(doc)

    section(doc, "Team Around the Family")
    tag(doc, "{%p if plan.team %}")
    loop_table(
        doc,
        ["Name", "Agency", "Role", "Contact"],
        "{%tr for t in plan.team %}",
        ["{{ t.name }}", "{{ t.agency }}", "{{ t.role }}", "{{ t.contact }}"],
        "{%tr endfor %}",
        [4.5, 4.5, 4.0, 4.0],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("No Team Around the Family recorded yet.")
    tag(doc, "{%p endif %}")

    section(doc, "What is working well")
    text_or_empty(doc, "plan.working_well")
    section(doc, "What we are worried about")
    text_or_empty(doc, "plan.worries")
    section(doc, "What needs to happen")
    text_or_empty(doc, "plan.needs_to_happen")

    section(doc, "In our own words")
    for title, expr in (("The family says", "plan.family_voice"), ("The children say", "plan.child_voice")):
        doc.add_heading(title, level=3)
        # Curly quotes stay outside the tags: docxtpl straightens quotes inside them.
        tag(doc, f"{{%p if {expr} %}}")
        doc.add_paragraph().add_run(f"“{{{{ {expr} }}}}”").italic = True
        tag(doc, "{%p else %}")
        doc.add_paragraph("Not recorded yet.")
        tag(doc, "{%p endif %}")

    section(doc, "Outcomes")
    tag(doc, "{%p if plan.outcomes %}")
    loop_table(
        doc,
        ["Outcome area", "What we want to achieve", "Start", "Target", "Latest score"],
        "{%tr for o in plan.outcomes %}",
        [
            "{{ o.area_name or o.area }}",
            "{{ o.description }}",
            '{{ o.baseline|score("–") }}',
            '{{ o.target|score("–") }}',
            "{{ o.latest_score|score }}",
        ],
        "{%tr endfor %}",
        [4.6, 6.3, 1.6, 1.7, 2.8],
    )
    section(doc, "Actions")
    tag(doc, "{%p for o in plan.outcomes %}")
    doc.add_heading("Outcome {{ loop.index }}: {{ o.area_name or o.area }}", level=3)
    tag(doc, "{%p if o.actions %}")
    loop_table(
        doc,
        ["What", "Who", "By when", "Status"],
        "{%tr for a in o.actions %}",
        [
            "{{ a.what }}",
            '{{ a.who or "not agreed yet" }}',
            '{{ a.due|ukdate if a.due else "no date set" }}',
            '{{ (a.status or "not started")|replace("-", " ") }}',
        ],
        "{%tr endfor %}",
        [6.6, 3.5, 3.9, 3.0],  # "30 September 2026" on one line
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("No actions recorded yet.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    doc.add_paragraph("No outcomes recorded yet.")
    tag(doc, "{%p endif %}")

    section(doc, "If things do not improve")
    text_or_empty(doc, "plan.contingency")

    history_section(doc)

    section(doc, "Reviews")
    p = doc.add_paragraph("Next review: ")
    p.add_run(NEXT_REVIEW).bold = True
    tag(doc, "{%p if plan.reviews %}")
    loop_table(
        doc,
        ["Date", "Attended", "Notes", "Scores"],
        "{%tr for r in plan.reviews %}",
        [
            "{{ r.date|ukdate }}",
            "{{ r.attended }}",
            '{{ r.notes }}{{ ("\\n\\n" if r.notes else "") ~ "Next review: " ~ '
            '(r.next_review_date|ukdate) if r.next_review_date else "" }}',
            "{% for s in r.scores %}{{ s.area_name }}: {{ s.score|score }}"
            '{{ "\\n" if not loop.last else "" }}{% endfor %}',
        ],
        "{%tr endfor %}",
        [3.9, 3.3, 5.5, 4.3],
    )
    tag(doc, "{%p else %}")
    doc.add_paragraph("No reviews held yet.")
    tag(doc, "{%p endif %}")

    section(doc, "Consent and sharing")
    tag(doc, "{%p if plan.share_with %}")
    doc.add_paragraph('This plan is shared with: {{ plan.share_with|join(", ") }}.')
    tag(doc, "{%p else %}")
    doc.add_paragraph("This plan is not shared with anyone outside the family and the lead professional.")
    tag(doc, "{%p endif %}")
    consent_and_closing(doc)

    section(doc, "Agreement")
    doc.add_paragraph(
        "We have talked about this plan together and agree to work to it."
    ).paragraph_format.keep_with_next = True
    sign = doc.add_table(rows=4, cols=3)
    sign.style = "Table Grid"
    sign.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row(sign, ["", "Signature", "Date"])
    for row, who in zip(sign.rows[1:], ["Parent or carer", "Young person", "{{ lead_title }}"]):
        row.cells[0].text = who
        row.height = Cm(1.4)
        cant_split(row)
    set_widths(sign, [5.0, 8.0, 4.0])
    keep_together(sign)  # the agreement is signed on one page

    doc.add_paragraph()
    end = doc.add_paragraph()
    end.add_run("Made on {{ generated_on|ukdate }}.").italic = True

    _preserve_spaces(doc)
    dest.parent.mkdir(parents=True, exist_ok=True)
    doc.save(dest)
    return dest


def _preserve_spaces(doc) -> None:
    """xml:space="preserve" on every text run, so values keep their spaces in Word."""
    parts = [doc.element]
    for sect in doc.sections:
        parts += [sect.header._element, sect.footer._element]
    for root in parts:
        for t in root.iter(qn("w:t")):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST
    print(build(target))
