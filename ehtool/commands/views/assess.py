"""How an assessment's result and the significant-harm banner look (stderr: stdout stays for data)."""

from __future__ import annotations

from ehtool.term import output


def harm_banner(profile, indicators) -> None:
    """The banner that goes up the moment a significant-harm indicator is ticked."""
    fd = profile.front_door
    lines = [
        "A child may be suffering, or be likely to suffer, significant harm.",
        f"Contact {fd['name']} now: {fd['contact']}",
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
    for e in values["explanation"]:
        output.tell(f"  - {e['text']}")
    output.tell(f"Next: {level.pathway}\n")
