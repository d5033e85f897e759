"""The bundled threshold profiles, and validation of broken ones."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from ehtool import paths
from ehtool.documents.profiles import list_profiles, load_profile, validate_profile_file
from ehtool.domain.thresholds import DOMAINS, evaluate, validate_profile_data
from ehtool.errors import InvalidInput, NotFound

BUNDLED = sorted(p.stem for p in paths.bundled_profiles().glob("*.toml"))


def test_the_six_profiles_are_bundled():
    assert BUNDLED == ["croydon", "families-first", "london", "merton", "southwark", "sutton"]
    assert [p["id"] for p in list_profiles()] == BUNDLED
    assert all(p["name"] for p in list_profiles())


@pytest.mark.parametrize("pid", BUNDLED)
def test_bundled_profile_validates(pid):
    profile = validate_profile_file(paths.bundled_profiles() / f"{pid}.toml")
    assert profile.id == pid
    assert load_profile(pid) == profile


@pytest.mark.parametrize("pid", BUNDLED)
def test_no_indicators_gives_the_lowest_rung(pid):
    profile = load_profile(pid)
    result = evaluate(profile, [])
    assert result.level == profile.lowest.id and result.rank == 1
    assert not result.significant_harm and result.front_door is None
    assert [e["kind"] for e in result.explanation] == ["default"]


@pytest.mark.parametrize("pid", BUNDLED)
def test_each_significant_harm_indicator_alone_gives_the_top_rung(pid):
    profile = load_profile(pid)
    harm = [i for i in profile.indicators if i.significant_harm]
    assert len(harm) >= 8
    for indicator in harm:
        result = evaluate(profile, [indicator.id])
        assert result.level == profile.top.id, indicator.id
        assert result.significant_harm
        assert result.front_door == profile.front_door
        assert result.front_door["name"] and result.front_door["contact"]
        assert result.explanation[0]["kind"] == "significant-harm"
        assert profile.front_door["name"] in result.explanation[0]["text"]


@pytest.mark.parametrize("pid", BUNDLED)
def test_to_dict_has_the_contract_keys(pid):
    profile = load_profile(pid)
    d = profile.to_dict()
    json.dumps(d)  # serialisable
    for key in (
        "id",
        "name",
        "version",
        "description",
        "levels",
        "indicators",
        "rules",
        "front_door",
        "localities",
        "review_interval_days",
        "assessment_valid_days",
        "days_to_assessment",
        "days_to_plan",
        "consent_valid_days",
    ):
        assert key in d, key
    assert [lv["rank"] for lv in d["levels"]] == list(range(1, len(d["levels"]) + 1))
    for lv in d["levels"]:
        assert set(lv) >= {"id", "name", "rank", "pathway", "description"}
        assert lv["pathway"] and lv["description"]
    level_ids = {lv["id"] for lv in d["levels"]}
    for ind in d["indicators"]:
        assert set(ind) >= {
            "id",
            "domain",
            "subdomain",
            "level",
            "text",
            "significant_harm",
            "age_band",
            "outcome_area",
        }
        assert ind["level"] in level_ids
    assert set(d["front_door"]) >= {"name", "contact"}
    assert all(set(loc) == {"id", "name"} for loc in d["localities"])
    result = evaluate(profile, [profile.indicators[0].id]).to_dict()
    json.dumps(result)
    assert set(result) >= {"level", "rank", "significant_harm", "front_door", "indicators", "explanation"}


@pytest.mark.parametrize("pid", BUNDLED)
def test_profiles_are_substantial(pid):
    profile = load_profile(pid)
    assert len(profile.indicators) >= 40
    assert {i.domain for i in profile.indicators} == set(DOMAINS)
    ranks = {profile.rank(i.level) for i in profile.indicators}
    # indicators at rung 2 (or 2a/2b), rung 3 and rung 4, none at the universal level
    assert 1 not in ranks
    assert profile.top.rank in ranks and profile.top.rank - 1 in ranks and 2 in ranks
    assert len(profile.rules) >= 1
    assert len(profile.localities) >= 2
    # every significant-harm indicator sits at the top, and the top is all significant harm
    for i in profile.indicators:
        assert i.significant_harm == (i.level == profile.top.id), i.id


@pytest.mark.parametrize("pid", BUNDLED)
def test_contact_details_are_placeholders(pid):
    contact = load_profile(pid).front_door["contact"]
    assert "replace" in contact.lower()
    assert not any(ch.isdigit() for ch in contact)  # no phone numbers
    assert "@" not in contact or "@example.org" in contact


def test_bundled_names_and_localities():
    croydon = load_profile("croydon")
    assert croydon.level_ids() == ["1", "2a", "2b", "3", "4"]
    assert "SPOC" in croydon.front_door["name"]
    assert [loc["id"] for loc in croydon.localities] == ["north", "central", "south"]
    sutton = load_profile("Sutton")
    assert sutton.locality("cheam & south sutton") == {"id": "cheam-south-sutton", "name": "Cheam & South Sutton"}
    assert sutton.locality("Cheam and South Sutton")["id"] == "cheam-south-sutton"
    assert sutton.locality("WALLINGTON")["name"] == "Wallington"
    assert sutton.locality("Mitcham") is None
    assert "First Contact" in sutton.front_door["name"]
    merton = load_profile("merton")
    assert [lv.name for lv in merton.levels][-1].endswith("Getting Risk Support")
    assert load_profile("southwark").front_door["name"].endswith("(MASH)")
    assert len(load_profile("southwark").localities) == 4


def test_level_helpers():
    profile = load_profile("croydon")
    assert profile.rank("2b") == 3
    assert profile.level("2B").id == "2b"
    assert profile.level("Level 2b Intensive early help").id == "2b"
    assert profile.level("9") is None
    with pytest.raises(InvalidInput):
        profile.rank("9")
    assert profile.lowest.id == "1" and profile.top.id == "4"
    assert profile.indicator("edu-attendance-below-90").domain == "child-development"
    assert profile.indicator("nope") is None


def test_unknown_profile_lists_the_bundled_ids(tmp_path):
    with pytest.raises(NotFound) as err:
        load_profile("hackney")
    assert "croydon" in err.value.hint and "sutton" in err.value.hint
    with pytest.raises(NotFound):
        load_profile(tmp_path / "missing.toml")


def test_loading_is_cached_and_notices_changes(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    first = load_profile(str(path))
    assert first is load_profile(str(path))
    assert first.id == "mine"  # id defaults to the file's stem
    path.write_text(GOOD.replace('name = "Test"', 'name = "Test changed"'))
    assert load_profile(str(path)).name == "Test changed"


def test_croydon_multi_domain_lift():
    croydon = load_profile("croydon")
    across_two = ["edu-attendance-below-90", "income-debt", "social-parent-isolated"]
    result = evaluate(croydon, across_two)
    assert result.level == "2b"
    assert any(e["kind"] == "rule" and e["id"] == "multi-domain-lift" for e in result.explanation)
    one_domain = ["income-debt", "social-parent-isolated", "housing-overcrowded-poor-condition"]
    assert {croydon.indicator(i).domain for i in one_domain} == {"family-environment"}
    assert evaluate(croydon, one_domain).level == "2a"
    assert evaluate(croydon, across_two[:2]).level == "2a"


def test_toxic_trio_lifts_at_most_to_intensive_early_help_and_always_says_so():
    for pid in BUNDLED:
        profile = load_profile(pid)
        trio = ["fam-parent-mental-health-low", "fam-parent-substance-concern", "fam-domestic-abuse-standard"]
        result = evaluate(profile, trio)
        intensive = profile.early_help_levels()[-1]  # Croydon and London 2b; Sutton, Merton, Southwark 2
        assert result.level == intensive, pid
        assert profile.route_of(result.level) == "early-help" and not result.significant_harm
        assert any(e["kind"] == "rule" and e["id"] == "toxic-trio" for e in result.explanation), pid
    sutton = evaluate(load_profile("sutton"), trio)
    assert "safeguarding lead" in next(e["text"] for e in sutton.explanation if e["id"] == "toxic-trio")


# ---------------------------------------------------------------------------------
# Broken profiles
# ---------------------------------------------------------------------------------

GOOD = textwrap.dedent("""\
    name = "Test"
    version = "1"
    description = "A small profile for tests"
    review_interval_days = 42

    [front_door]
    name = "Test front door"
    contact = "See your partnership's front door contact details; replace in profile"

    [[levels]]
    id = "1"
    name = "Universal"

    [[levels]]
    id = "2"
    name = "Early help"

    [[levels]]
    id = "3"
    name = "Complex"

    [[levels]]
    id = "4"
    name = "Acute"

    [[localities]]
    id = "north"
    name = "North"

    [[indicators]]
    id = "edu-a"
    domain = "child-development"
    subdomain = "education"
    level = "2"
    text = "Attendance falling"

    [[indicators]]
    id = "fam-b"
    domain = "family-environment"
    subdomain = "housing"
    level = "2"
    text = "Rent arrears"

    [[indicators]]
    id = "care-c"
    domain = "parenting-capacity"
    subdomain = "basic-care"
    level = "3"
    text = "Neglect persisting"

    [[indicators]]
    id = "harm-d"
    domain = "parenting-capacity"
    subdomain = "ensuring-safety"
    level = "4"
    text = "Disclosure of abuse"
    significant_harm = true

    [[rules]]
    id = "pair"
    kind = "combination"
    all_of = ["edu-a", "fam-b"]
    lift_to = "3"
    description = "Both together"
""")


def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as err:
        validate_profile_file(path)
    assert err.value.problems, err.value.message
    assert "bad.toml" in err.value.message
    return err.value.problems


def test_good_test_profile_validates(tmp_path):
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    profile = validate_profile_file(path)
    assert evaluate(profile, ["edu-a", "fam-b"]).level == "3"
    assert evaluate(profile, ["harm-d"]).significant_harm


def test_unknown_rung_is_named(tmp_path):
    problems = problems_of(tmp_path, GOOD.replace('level = "3"\ntext = "Neglect', 'level = "9"\ntext = "Neglect'))
    assert any(
        re.match(r"indicators\[3\] \(id \"care-c\", line \d+\)", p)
        and 'level "9" is not one of the profile\'s levels (1, 2, 3, 4)' in p
        for p in problems
    ), problems


def test_duplicate_ids_are_named(tmp_path):
    text = GOOD.replace('id = "fam-b"', 'id = "edu-a"').replace('id = "2"\nname', 'id = "1"\nname')
    text += '\n[[localities]]\nid = "North"\nname = "North again"\n'
    problems = problems_of(tmp_path, text)
    assert any('indicators[2] (id "edu-a"' in p and "duplicate indicator id" in p for p in problems), problems
    assert any("levels[2]" in p and 'duplicate level id "1"' in p for p in problems), problems
    assert any("localities[2]" in p and "duplicate locality id" in p for p in problems), problems


def test_rule_naming_a_missing_indicator(tmp_path):
    problems = problems_of(tmp_path, GOOD.replace('all_of = ["edu-a", "fam-b"]', 'all_of = ["edu-a", "fam-x"]'))
    assert any(p.startswith('rules[1] (id "pair"') and '"fam-x"' in p for p in problems), problems


def test_lowering_rules_are_refused(tmp_path):
    lowering_combination = GOOD.replace('all_of = ["edu-a", "fam-b"]', 'all_of = ["edu-a", "care-c"]').replace(
        'lift_to = "3"', 'lift_to = "2"'
    )
    problems = problems_of(tmp_path, lowering_combination)
    assert any('rules[1] (id "pair"' in p and "only lift" in p for p in problems), problems
    lowering_count = GOOD + textwrap.dedent("""
        [[rules]]
        id = "down"
        kind = "count"
        min_indicators = 2
        at_level = "3"
        lift_to = "2"
        description = "Would lower"
    """)
    problems = problems_of(tmp_path, lowering_count)
    assert any('rules[2] (id "down"' in p and 'below at_level "3"' in p for p in problems), problems


def test_toml_syntax_error_has_line_and_column(tmp_path):
    problems = problems_of(tmp_path, GOOD.replace('version = "1"', 'version = "1'))
    assert len(problems) == 1
    assert "line 2" in problems[0] and "column" in problems[0]


def test_all_problems_are_collected(tmp_path):
    text = (
        GOOD.replace("significant_harm = true", "significant_harm = true\nlevel_x = 1")
        .replace('domain = "family-environment"', 'domain = "family"')
        .replace('level = "4"\ntext = "Disclosure', 'level = "3"\ntext = "Disclosure')
        .replace("review_interval_days = 42", "review_interval_days = 42\nreview_intreval_days = 40")
    )
    problems = problems_of(tmp_path, text)
    joined = "\n".join(problems)
    assert 'unknown key "review_intreval_days"' in joined and "review_interval_days" in joined
    assert 'indicators[4] (id "harm-d"' in joined and 'unknown key "level_x"' in joined
    assert 'domain "family" is not one of' in joined
    assert "significant-harm indicator must sit at the top level" in joined
    assert len(problems) >= 4


def test_missing_required_parts(tmp_path):
    problems = validate_problems({"name": "x"})
    joined = "\n".join(problems)
    for part in ("version", "levels", "front_door", "indicators"):
        assert part in joined


def test_wrong_types_are_named():
    problems = validate_problems(
        {
            "name": "x",
            "version": "1",
            "days_to_plan": "thirty",
            "front_door": {"name": "f", "contact": "c"},
            "levels": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}],
            "indicators": [
                {
                    "id": "a-b",
                    "domain": "child-development",
                    "subdomain": "health",
                    "level": "2",
                    "text": "t",
                    "significant_harm": "yes",
                }
            ],
            "rules": [{"id": "r", "kind": "sum", "lift_to": "2", "description": "d"}],
        }
    )
    joined = "\n".join(problems)
    assert "days_to_plan" in joined
    assert "significant_harm must be true or false" in joined
    assert 'kind "sum"' in joined


def validate_problems(data) -> list[str]:
    with pytest.raises(InvalidInput) as err:
        validate_profile_data(data, "test")
    return err.value.problems


def test_the_top_level_is_only_reached_through_significant_harm(tmp_path):
    problems = problems_of(tmp_path, GOOD.replace("significant_harm = true\n", ""))
    assert any('indicators[4] (id "harm-d"' in p and "not marked significant_harm" in p for p in problems), problems
    problems = problems_of(tmp_path, GOOD.replace('lift_to = "3"', 'lift_to = "4"'))
    assert any('rules[1] (id "pair"' in p and "top level" in p for p in problems), problems


def test_decisions_and_panel_kinds_merge_over_the_bundled_ones(tmp_path):
    path = tmp_path / "panels.toml"
    path.write_text(
        GOOD
        + """
[[decisions]]
id = "early-help-hub"
label = "Refer to the early help hub"
effect = "allocate"

[[decisions]]
id = "noted"
label = "Noted"

[[decisions]]
id = "defer"
label = "Hold over"

[[panel_kinds]]
id = "attendance"
name = "School attendance panel"
decisions = ["early-help-hub", "noted", "defer"]
"""
    )
    profile = validate_profile_file(path)
    by_id = {d.id: d for d in profile.decisions}
    assert by_id["early-help-hub"].effect == "allocate" and by_id["noted"].effect == "none"
    assert by_id["defer"].label == "Hold over" and by_id["defer"].effect == "carry"  # the default's effect kept
    assert [d.id for d in profile.decisions_for("attendance")] == ["defer", "early-help-hub", "noted"]
    assert profile.panel_kind("School attendance panel").id == "attendance"
    assert len(profile.decisions_for("locality")) == len(profile.decisions)  # no list: every decision


def test_bad_decisions_and_kinds_are_named(tmp_path):
    problems = problems_of(
        tmp_path,
        GOOD
        + """
[[decisions]]
id = "maybe"
label = "Maybe"
effect = "teleport"

[[decisions]]
id = "again"
label = "Allocate"

[[panel_kinds]]
id = "odd"
name = "Odd panel"
decisions = ["allocate", "gossip"]
""",
    )
    assert any('decisions[1] (id "maybe"' in p and 'effect "teleport" is not one of' in p for p in problems), problems
    assert any('"allocate" names both decision "allocate" and decision "again"' in p for p in problems), problems
    assert any('panel_kinds[1] (id "odd"' in p and "gossip" in p for p in problems), problems


def test_families_first_levels_and_lifts():
    ff = load_profile("families-first")
    assert ff.level_ids() == ["universal", "family-help", "family-help-cin", "child-protection"]
    assert [lv.route for lv in ff.levels] == ["universal", "early-help", "early-help", "referral"]
    assert ff.early_help_levels() == ["family-help", "family-help-cin"]
    london = load_profile("london")
    to_ff = {"2a": "family-help", "2b": "family-help", "3": "family-help-cin", "4": "child-protection"}
    assert [i.id for i in ff.indicators] == [i.id for i in london.indicators]
    for mine, theirs in zip(ff.indicators, london.indicators):
        assert mine.level == to_ff[theirs.level], mine.id
        assert (mine.domain, mine.subdomain, mine.text) == (theirs.domain, theirs.subdomain, theirs.text)
        assert "Families First Partnership programme guide" in mine.source
    across_two = ["edu-attendance-below-90", "income-debt", "social-parent-isolated"]
    assert evaluate(ff, across_two).level == "family-help-cin"
    assert evaluate(ff, across_two[:2]).level == "family-help"
    assert not any(r.lift_to == ff.top.id for r in ff.rules)


def test_a_kind_that_clashes_with_another_is_named(tmp_path):
    problems = problems_of(tmp_path, GOOD + '\n[[panel_kinds]]\nid = "Attendance"\nname = "Our attendance panel"\n')
    assert any('names both panel kind "attendance" and panel kind "Attendance"' in p for p in problems), problems
