"""Referrals of synthetic households: sources, reasons, notes, and the facts they must fit.

Each reason and note names what a household needs for it to make sense (a school-age
child, two parents...); :func:`_household_facts` says what a household has."""

from __future__ import annotations

from ehtool.synthetic.draws import _cum

_REFERRAL_SOURCES = _cum(
    [
        ("School", 26),
        ("Health visitor", 12),
        ("GP", 7),
        ("Police", 8),
        ("Self-referral", 9),
        ("Housing", 5),
        ("CAMHS", 4),
        ("Midwife", 5),
        ("Children's social care (step-down)", 10),
        ("Nursery", 3),
        ("Voluntary sector", 5),
        ("Family hub", 4),
        ("A&E / hospital", 2),
    ]
)
# (text, the sources that usually send it, what the household needs for it to make sense)
# Needs: "child" any child; "school" a child of 5+; "teen" 12+; "baby" under 2; "toddler" 2-4;
# "couple" two parents; "mum" a mother; "interpreter"; "new" school-age child, not English-speaking;
# "first" no children yet; "" nothing.
Reason = tuple[str, tuple[str, ...], str]
_REASONS: tuple[Reason, ...] = (
    (
        "Attendance has fallen to 86% this term and the parent is struggling with morning routines.",
        ("School",),
        "school",
    ),
    (
        "Parents asking for help with a child's behaviour at home; frequent arguments.",
        ("Self-referral", "School"),
        "child",
    ),
    ("Family in temporary accommodation, children sharing one room; rent arrears.", ("Housing",), "child"),
    ("Parental conflict witnessed by the children; both parents agree to support.", ("Police", "School"), "couple"),
    (
        "Parent reports low mood since the birth of the youngest; isolated, new to the area.",
        ("Health visitor", "GP"),
        "baby",
    ),
    ("Child anxious about school and refusing to go some days.", ("School", "CAMHS", "GP"), "school"),
    ("Police attended a verbal argument at the address; no injuries, no further action.", ("Police",), ""),
    ("Debt and food poverty; family using the food bank every week.", ("Voluntary sector", "Family hub"), ""),
    ("Speech and language delay and missed two-year review.", ("Health visitor", "Nursery"), "toddler"),
    ("Stepped down from social care after a Child in Need plan closed.", ("Children's social care (step-down)",), ""),
    ("Fixed-term suspension for fighting; parents want support with boundaries.", ("School",), "school"),
    ("Overcrowding and damp; housing application pending.", ("Housing", "Health visitor"), ""),
    ("Concerns about a teenager staying out late and new older friends.", ("Police", "School"), "teen"),
    ("Family new to the UK, no school place yet for one child.", ("Family hub", "Voluntary sector"), "new"),
    ("Low-level self-harm disclosed to a teacher; CAMHS waiting list.", ("CAMHS", "School"), "teen"),
    ("Seen at A&E twice with a minor injury; parent asked for support with supervision.", ("A&E / hospital",), "child"),
)
_REASONS_LONE_FATHER: tuple[Reason, ...] = (
    ("Dad is a single parent after a separation and asked for parenting support.", ("Self-referral", "School"), ""),
)
_REASONS_UNBORN: tuple[Reason, ...] = (
    ("Expectant mum, first pregnancy, little family support and unsure about housing.", ("Midwife",), "first"),
    ("Midwife concerned about low mood in pregnancy and money worries.", ("Midwife",), ""),
    ("Pregnant, living in one room in shared housing with a toddler.", ("Midwife", "Housing"), "toddler"),
)
_REASONS_YOUNG_CARER: tuple[Reason, ...] = (
    ("Child is caring for a parent with multiple sclerosis and is often late to school.", ("School",), ""),
    ("Young carer for a parent with mental health needs; tired in lessons.", ("School", "GP"), ""),
)
_NOTES = (
    ("Prefers contact by text message.", ""),
    ("Mum works nights: visits after 2pm please.", "mum"),
    ("Interpreter needed for all meetings.", "interpreter"),
    ("Dog in the house; ask for it to be put in the garden.", ""),
    ("Family asked for a female worker.", ""),
    ("Use the side door; the bell does not work.", ""),
    ("Consent to share information given at the first visit.", ""),
    ("School says attendance < 90% & falling.", "school"),
    ("Family hub stay-and-play on Tuesdays suits the family.", "toddler"),
    ("Met at the family hub.\nFollow-up visit booked with both parents.", "couple"),
    ("Grandmother helps with the school run.", "school"),
    ("Thank-you card from the family 🙂", ""),
)


def _household_facts(members: list[dict], interpreter: bool, language: str) -> set[str]:
    """What the household has, for the reasons and notes that fit it (the needs above)."""
    facts = {""}
    mothers = parents = 0
    for m in members:
        role = m["role"]
        if role == "parent":
            parents += 1
            mothers += m["gender"] == "Female"
        elif role == "child":
            age = m["_age"]
            facts.add("child")
            if age >= 5:
                facts.add("school")
            if age >= 12:
                facts.add("teen")
            if age < 2:
                facts.add("baby")
            if 2 <= age <= 4:
                facts.add("toddler")
    if parents >= 2:
        facts.add("couple")
    if mothers:
        facts.add("mum")
    if interpreter:
        facts.add("interpreter")
    if "child" not in facts:
        facts.add("first")
    if language != "English" and "school" in facts:
        facts.add("new")
    return facts
