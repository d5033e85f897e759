"""How `family show` looks on a terminal or in a pipe (JSON is the record itself)."""

from __future__ import annotations

from ehtool.term import output

MEMBER_COLUMNS = [
    ("id", "Ref"),
    ("name", "Name"),
    ("role", "Role"),
    ("dob_or_due", "Born / due"),
    ("age", "Age"),
    ("school", "School / setting"),
    ("flags", "Flags"),
]

FAMILY_FIELDS_SHOWN = [
    ("id", "Reference"),
    ("name", "Family"),
    ("status", "Status"),
    ("level_label", "Level"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("locality", "Locality"),
    ("language", "Language"),
    ("interpreter", "Interpreter"),
    ("lead", "Lead professional"),
    ("referral_source", "Referral source"),
    ("referral_date", "Referral date"),
    ("referral_reason", "Referral reason"),
    ("closed_reason", "Closed because"),
    ("closed_on", "Closed on"),
    ("notes", "Notes"),
]


def render_family(record: dict) -> None:
    shown = dict(record)
    if record.get("level"):
        shown["level_label"] = record.get("level_name") or record["level"]
    output.emit_record(shown, FAMILY_FIELDS_SHOWN, title=f"{record['id']}  {record['name']}")
    output.heading("Members")
    rows = []
    for m in record["members"]:
        flags = [
            label for key, label in (("send", "SEND"), ("ehcp", "EHCP"), ("young_carer", "young carer")) if m.get(key)
        ]
        rows.append(
            {
                **m,
                "dob_or_due": m.get("dob") or (f"due {m['due_date']}" if m.get("due_date") else ""),
                "age": m["age"] if m.get("age") is not None else ("unborn" if m["role"] == "unborn" else ""),
                "flags": ", ".join(flags),
            }
        )
    output.emit_table(rows, MEMBER_COLUMNS, empty="No members recorded yet.")
    for section in record.get("sections", []):
        output.heading(section["title"])
        for text in section["lines"]:
            output.line(text)
