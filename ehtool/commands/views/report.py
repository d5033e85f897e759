"""How the board report looks on a terminal: tables and bar charts drawn in text."""

from __future__ import annotations

from ehtool.domain.reporting import UNASSESSED
from ehtool.term import output

UNASSESSED_LABEL = "Not yet assessed"
BLOCKS = "█▓▒░▚▞▙▟"
UNASSESSED_BLOCK = "·"
BAR_WIDTH = 40


def _rungs(data: dict) -> list[tuple[str, str]]:

    return [(r["id"], r["id"]) for r in data["rungs"]] + [(UNASSESSED, UNASSESSED_LABEL)]


def _rung_row(counts: dict, **extra) -> dict:
    return {**extra, **{f"r:{k}": n for k, n in counts.items()}}


def _pct(value) -> str:
    return "" if value is None else f"{value:.1f}%"


def render(data: dict) -> None:
    rungs = _rungs(data)
    rung_cols = [(f"r:{k}", label) for k, label in rungs]
    _render_header(data)
    _render_open_families(data["open_families"], rung_cols)
    _render_distribution(data["rung_distribution"], rungs, rung_cols)
    _render_steps(data["steps"])
    _render_referrals(data["referrals"])
    _render_re_referrals(data["re_referrals"])
    _render_plans_closed(data["plans_closed"])
    _render_progress(data["progress"])
    _render_timeliness(data["timeliness"])
    _render_reach(data["reach"])


def _render_header(data: dict) -> None:
    """The report's title line (period, locality, marking) and the rungs' names."""
    p = data["period"]
    output.heading(f"Board report {p['from']} to {p['to']}, {data['locality'] or 'all localities'} ({data['marking']})")
    output.line("Rungs: " + "; ".join(f"{r['id']} = {r['name']}" for r in data["rungs"]))


def _render_open_families(o: dict, rung_cols: list[tuple[str, str]]) -> None:
    """Open families by locality and rung, with an all-localities total row."""
    output.heading(f"Open families on {o['as_of']}")
    rows = [_rung_row(c["by_rung"], locality=c["locality"], total=c["total"]) for c in o["by_locality"]]
    rows.append(_rung_row(o["by_rung"], locality="All localities", total=o["total"]))
    output.emit_table(rows, [("locality", "Locality")] + rung_cols + [("total", "Total")])


def _render_distribution(dist: list[dict], rungs: list[tuple[str, str]], rung_cols: list[tuple[str, str]]) -> None:
    """Open families by rung at each month end, as a table and stacked bars."""
    output.heading("Open families by rung at each month end")
    output.emit_table(
        [_rung_row(m["by_rung"], month=m["month"], date=m["date"], total=m["total"]) for m in dist],
        [("month", "Month"), ("date", "Counted on")] + rung_cols + [("total", "Total")],
    )
    _stacked_bars(dist, rungs)


def _render_steps(st: dict) -> None:
    """Step-ups and step-downs by month, as a table and bars."""
    output.heading(f"Step-ups ({st['step_ups']}) and step-downs ({st['step_downs']}) by month")
    output.emit_table(st["by_month"], [("month", "Month"), ("step_ups", "Step-ups"), ("step_downs", "Step-downs")])
    _step_bars(st["by_month"])


def _render_referrals(r: dict) -> None:
    """New referrals and how many met the threshold."""
    output.heading("Referrals")
    output.emit_table(
        [
            {"m": "New referrals", "n": r["new"]},
            {"m": "Did not meet the threshold (lowest rung)", "n": r["below_threshold"]},
            {"m": "Met the threshold", "n": r["met_threshold"]},
            {"m": "Not assessed", "n": r["not_assessed"]},
            {"m": "Share of those assessed that did not meet the threshold", "n": _pct(r["below_threshold_percent"])},
        ],
        [("m", "Measure"), ("n", "Families")],
    )


def _render_re_referrals(rr: dict) -> None:
    """Re-referrals within the window after closure, by how they came about."""
    output.heading(f"Re-referrals within {rr['window_days']} days of closure")
    output.emit_table(
        [
            {"m": "Re-referrals", "n": rr["count"]},
            {"m": "  family reopened", "n": rr["from_reopen"]},
            {"m": "  new plan after a closed plan", "n": rr["from_new_plan"]},
            {"m": "Families re-referred", "n": rr["families"]},
        ],
        [("m", "Measure"), ("n", "Count")],
    )


def _render_plans_closed(pc: dict) -> None:
    """Plans closed in the period, by reason."""
    output.heading(f"Plans closed ({pc['total']})")
    output.emit_table(pc["by_reason"], [("label", "Reason"), ("count", "Plans")])


def _render_progress(progress: list[dict]) -> None:
    """Progress by outcome area: how many families improved against baseline."""
    output.heading("Progress by outcome area (latest review score against baseline)")
    output.emit_table(
        [dict(a, share=_pct(a["improved_percent"])) for a in progress],
        [
            ("name", "Outcome area"),
            ("improved", "Improved"),
            ("scored", "Families scored"),
            ("share", "Improved share"),
        ],
    )


def _render_timeliness(t: dict) -> None:
    """Days from referral to assessment and to plan, and reviews held on time."""
    output.heading("Timeliness")
    output.emit_table(
        [
            dict(t["referral_to_assessment_days"], m="Referral to first assessment"),
            dict(t["referral_to_plan_days"], m="Referral to plan"),
        ],
        [("m", "Days from"), ("count", "Families"), ("median", "Median"), ("mean", "Mean")],
    )
    rv = t["reviews"]
    output.emit_table(
        [dict(rv, share=_pct(rv["on_time_percent"]))],
        [
            ("due", "Reviews due"),
            ("on_time", "On time"),
            ("late", "Late"),
            ("not_held", "Not held"),
            ("share", "On time share"),
        ],
    )


def _render_reach(reach: dict) -> None:
    """Reach: families and members by postcode district, language, ethnicity and interpreter need."""
    output.heading(f"Reach: {reach['families']} families open in the period, {reach['members']} members")
    for key, label, unit in (
        ("postcode_district", "Postcode district", "Families"),
        ("language", "Main language", "Families"),
        ("ethnicity", "Ethnicity", "Members"),
    ):
        output.emit_table(reach[key], [("value", label), ("count", unit)], empty=f"No {label.lower()} to show.")
    i = reach["interpreter"]
    output.emit_table(
        [{"m": "Interpreter needed", "n": i["needed"]}, {"m": "No interpreter needed", "n": i["not_needed"]}],
        [("m", "Interpreter"), ("n", "Families")],
    )


def _stacked_bars(dist: list[dict], rungs: list[tuple[str, str]]) -> None:
    if not dist:
        return
    symbols = [BLOCKS[i % len(BLOCKS)] for i in range(len(rungs) - 1)] + [UNASSESSED_BLOCK]
    top = max(m["total"] for m in dist) or 1
    output.line()
    for m in dist:
        bar, running, drawn = "", 0, 0
        for (key, _), symbol in zip(rungs, symbols):
            running += m["by_rung"][key]
            upto = round(running * BAR_WIDTH / top)
            bar += symbol * (upto - drawn)
            drawn = upto
        output.line(f"{m['month']}  {bar.ljust(BAR_WIDTH)}  {m['total']}")
    output.line("Key: " + "  ".join(f"{s} {label}" for (_, label), s in zip(rungs, symbols)))


def _step_bars(months: list[dict]) -> None:
    top = max([m["step_ups"] for m in months] + [m["step_downs"] for m in months] + [0])
    if not top:
        return
    output.line()
    for m in months:
        up, down = m["step_ups"], m["step_downs"]
        output.line(f"{m['month']}  up    {'█' * round(up * BAR_WIDTH / top)} {up}".rstrip())
        output.line(f"{'':7}  down  {'░' * round(down * BAR_WIDTH / top)} {down}".rstrip())
