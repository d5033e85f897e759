"""Properties of the threshold engine that must hold for every bundled profile."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehtool import paths
from ehtool.documents.profiles import load_profile
from ehtool.domain.thresholds import check_override, evaluate, movement
from ehtool.errors import InvalidInput

BUNDLED = sorted(p.stem for p in paths.bundled_profiles().glob("*.toml"))
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def subsets(profile, max_size=12):
    return st.lists(st.sampled_from([i.id for i in profile.indicators]), max_size=max_size, unique=True)


@pytest.mark.parametrize("pid", BUNDLED)
def test_adding_an_indicator_never_lowers_the_rank(pid):
    profile = load_profile(pid)
    ids = [i.id for i in profile.indicators]

    @PROPERTY
    @given(chosen=subsets(profile), extra=st.sampled_from(ids))
    def check(chosen, extra):
        before = evaluate(profile, chosen)
        after = evaluate(profile, chosen + [extra])
        assert after.rank >= before.rank
        assert after.significant_harm >= before.significant_harm

    check()


@pytest.mark.parametrize("pid", BUNDLED)
def test_rank_is_at_least_every_chosen_indicator(pid):
    profile = load_profile(pid)

    @PROPERTY
    @given(chosen=subsets(profile))
    def check(chosen):
        result = evaluate(profile, chosen)
        highest = max((profile.rank(profile.indicator(i).level) for i in chosen), default=1)
        assert result.rank >= highest
        assert profile.levels[result.rank - 1].id == result.level
        assert result.indicators == sorted(chosen)
        assert result.explanation, "every result says why"
        kinds = {e["kind"] for e in result.explanation}
        assert kinds <= {"indicator", "rule", "significant-harm", "default"}
        # a result above every indicator's level was lifted by a rule or by significant harm
        if result.rank > highest:
            assert kinds & {"rule", "significant-harm"}
        assert ("default" in kinds) == (not chosen)
        d = result.to_dict()
        assert d["level"] == result.level and d["rank"] == result.rank

    check()


@pytest.mark.parametrize("pid", BUNDLED)
def test_significant_harm_iff_a_significant_harm_indicator(pid):
    profile = load_profile(pid)

    @PROPERTY
    @given(chosen=subsets(profile))
    def check(chosen):
        result = evaluate(profile, chosen)
        expected = any(profile.indicator(i).significant_harm for i in chosen)
        assert result.significant_harm is expected
        if expected:
            assert result.level == profile.top.id
            assert result.front_door == profile.front_door
            assert result.explanation[0]["kind"] == "significant-harm"
        else:
            assert result.front_door is None
            assert all(e["kind"] != "significant-harm" for e in result.explanation)

    check()


@pytest.mark.parametrize("pid", BUNDLED)
def test_unknown_ids_are_rejected_and_all_named(pid):
    profile = load_profile(pid)
    known = {i.id for i in profile.indicators}

    @PROPERTY
    @given(
        chosen=subsets(profile, 5),
        unknown=st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=20).filter(
                lambda s: s not in known
            ),
            min_size=1,
            max_size=4,
            unique=True,
        ),
    )
    def check(chosen, unknown):
        with pytest.raises(InvalidInput) as err:
            evaluate(profile, chosen + unknown)
        for u in unknown:
            assert f'"{u}"' in err.value.message
        assert len(err.value.problems) == len(unknown)

    check()


def test_order_and_duplicates_do_not_matter():
    profile = load_profile("croydon")
    a = evaluate(profile, ["income-debt", "edu-attendance-below-90", "social-parent-isolated"])
    b = evaluate(profile, ("social-parent-isolated", "income-debt", "edu-attendance-below-90", "income-debt"))
    assert a == b


def test_a_single_id_string_is_one_indicator():
    profile = load_profile("london")
    assert evaluate(profile, "income-debt").indicators == ["income-debt"]


@pytest.mark.parametrize("pid", BUNDLED)
def test_override_rules(pid):
    profile = load_profile(pid)
    level_ids = profile.level_ids()

    @PROPERTY
    @given(chosen=subsets(profile, 6), override=st.sampled_from(level_ids), reason=st.text(min_size=0, max_size=20))
    def check(chosen, override, reason):
        result = evaluate(profile, chosen)
        chosen_rank = profile.rank(override)
        if result.significant_harm and chosen_rank < profile.top.rank:
            with pytest.raises(InvalidInput) as err:
                check_override(profile, result, override, "the family is engaging well")
            assert err.value.message == (f"A significant-harm result cannot be overridden below {profile.top.name}.")
            return
        if not reason.strip():
            with pytest.raises(InvalidInput):
                check_override(profile, result, override, reason)
            return
        answer = check_override(profile, result, override, reason)
        expected = "above" if chosen_rank > result.rank else "below" if chosen_rank < result.rank else "same"
        assert answer == expected
        assert check_override(profile, result.to_dict(), override, reason) == expected

    check()


def test_override_unknown_level_and_by_name():
    profile = load_profile("croydon")
    result = evaluate(profile, ["income-debt"])
    with pytest.raises(InvalidInput):
        check_override(profile, result, "5", "reason")
    assert check_override(profile, result, "Level 2b Intensive early help", "several agencies") == "above"
    assert check_override(profile, result, "1", "needs already met") == "below"
    harm = evaluate(profile, ["safety-disclosure-of-abuse"])
    assert check_override(profile, harm, "4", "agreed with the SPOC") == "same"


@pytest.mark.parametrize("pid", BUNDLED)
def test_movement(pid):
    profile = load_profile(pid)
    ids = profile.level_ids()

    @PROPERTY
    @given(a=st.sampled_from(ids), b=st.sampled_from(ids))
    def check(a, b):
        move = movement(a, b, profile)
        if profile.rank(b) > profile.rank(a):
            assert move == "step-up"
        elif profile.rank(b) < profile.rank(a):
            assert move == "step-down"
        else:
            assert move is None
        assert movement(None, b, profile) is None

    check()
