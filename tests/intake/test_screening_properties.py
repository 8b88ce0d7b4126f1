"""Property tests: a worse answer never makes the screening more permissive."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.answers import ANSWER_SPECS, Kind, validate_answers
from intake.screening import screen
from tests.intake.answers_fixtures import clear_answers

# medically_evaluated is protective (yes lowers risk) and consent is not clinical.
RISK_FLAGS = sorted(
    key
    for key, spec in ANSWER_SPECS.items()
    if spec.kind is Kind.BOOL and key not in ("medically_evaluated", "consent")
)


@st.composite
def valid_answers(draw):
    # A few "yes" answers at most, so that one change often decides the outcome instead of
    # hiding behind another red flag.
    flags = draw(st.sets(st.sampled_from(RISK_FLAGS), max_size=4))
    return clear_answers(
        **dict.fromkeys(flags, True),
        medically_evaluated=draw(st.booleans()),
        pain_score=draw(st.integers(0, 10)),
        pain_duration_weeks=draw(st.integers(0, 12) | st.integers(0, 520)),
        injury_in_area=draw(st.sampled_from(["none", "acute", "subacute", "chronic"])),
        recent_surgery_weeks=draw(st.none() | st.integers(0, 52)),
        pregnancy_weeks=draw(st.integers(0, 45)),
    )


def screen_valid(answers):
    cleaned, errors = validate_answers(answers)
    assert errors == {}
    return screen(cleaned)


def assert_no_looser(worse, better):
    assert worse.outcome >= better.outcome
    stricter, looser = worse.restrictions, better.restrictions
    assert stricter.max_pressure <= looser.max_pressure
    assert set(stricter.forbidden_techniques) >= set(looser.forbidden_techniques)
    assert set(stricter.avoid_areas) >= set(looser.avoid_areas)
    assert stricter.positioning == looser.positioning or looser.positioning is None
    assert set(stricter.notes) >= set(looser.notes)


# Parametrized rather than drawn, so every question is exercised on every run; fewer examples
# per question keep the whole table quick.
@pytest.mark.parametrize("key", RISK_FLAGS)
@settings(max_examples=50)
@given(answers=valid_answers())
def test_answering_yes_to_a_risk_question_never_loosens_the_screening(key, answers):
    before = screen_valid({**answers, key: False})
    after = screen_valid({**answers, key: True})

    assert_no_looser(after, before)


@given(valid_answers(), st.integers(0, 10), st.integers(0, 10))
def test_more_pain_never_loosens_the_screening(answers, low, high):
    low, high = sorted((low, high))

    assert_no_looser(
        screen_valid({**answers, "pain_score": high}), screen_valid({**answers, "pain_score": low})
    )


@given(valid_answers())
def test_pain_no_doctor_has_assessed_never_screens_looser_than_assessed_pain(answers):
    assert_no_looser(
        screen_valid({**answers, "medically_evaluated": False}),
        screen_valid({**answers, "medically_evaluated": True}),
    )
