"""How an assessment's result and the significant-harm banner look (stderr: stdout stays for data)."""

from __future__ import annotations

from ehtool.term import output


def harm_banner(profile, indicators, child: str | None = None) -> None:
    """The banner that goes up the moment a significant-harm indicator is ticked.
    ``child``: who it is about ("M000002 Sam" on a terminal)."""
    fd = profile.front_door
    door = (
        f"Contact {fd['name']} now: {fd['contact']}"
        if profile.front_door_configured
        else f"Contact {fd['name']} now. Its contact is NOT CONFIGURED in ehtool: use your local "
        "safeguarding procedures (and set it with `ehtool settings front-door --contact TEXT`)."
    )
    lines = [
        f"{child}: may be suffering, or be likely to suffer, significant harm."
        if child
        else "A child may be suffering, or be likely to suffer, significant harm.",
        door,
        "If a child is in immediate danger, call 999.",
        "Do not wait for this questionnaire to finish, and do not put an early help plan in place of a referral.",
        "",
        "Because of: " + "; ".join(i.text for i in indicators),
    ]
    output.banner("SIGNIFICANT HARM INDICATED", "\n".join(lines))


def render_result(profile, values: dict) -> None:
    """The result shown during the questionnaire (stderr: stdout stays for data)."""
    level = profile.level(values["level"])
    output.tell(f"\nResult: {level.name}")
    if values.get("override_direction"):
        computed = profile.level(values["computed_level"])
        output.tell(
            f"Threshold result was {computed.name}; practitioner judgement is {level.name} "
            f"({values['override_direction']})."
        )
    for child in values.get("children", []):
        found = profile.level(child["level"])
        output.tell(
            f"  {child['member_id']}: {found.name if found else child['level']}"
            + ("  SIGNIFICANT HARM" if child["significant_harm"] else "")
        )
    for e in values["explanation"]:
        if e["kind"] != "child":
            output.tell(f"  - {e['text']}")
    output.tell(f"Next: {level.pathway}\n")


def harm_after(profile, record: dict, names: dict[str, str]) -> None:
    """The banner for a scored answers file, naming each child it is about (reference and first name)."""
    harmed = [c for c in record["children"] if c["significant_harm"]]
    ids = {i for c in harmed for i in c["indicators"]} if harmed else set(record["indicators"])
    indicators = [ind for i in sorted(ids) if (ind := profile.indicator(i)) is not None and ind.significant_harm]
    who = ", ".join(f"{c['member_id']} {names.get(c['member_id'], '')}".strip() for c in harmed) or None
    harm_banner(profile, indicators, who)
