import pytest

from intake.answers import (
    ANSWER_KEYS,
    ANSWER_SPECS,
    PREGNANCY_DETAIL_KEYS,
    validate_answers,
)
from tests.intake.answers_fixtures import clear_answers

# The answer keys in DESIGN.md, in its order: the API's contract.
DESIGN_KEYS = (
    "pain_score",
    "pain_duration_weeks",
    "pain_constant_unrelenting",
    "pain_worse_at_night",
    "medically_evaluated",
    "pain_radiates_below_knee",
    "leg_numbness_or_tingling",
    "progressive_leg_weakness",
    "saddle_numbness",
    "bladder_or_bowel_change",
    "fever_or_unwell",
    "unexplained_weight_loss",
    "history_of_cancer",
    "recent_trauma",
    "injury_in_area",
    "recent_surgery_weeks",
    "pregnant",
    "pregnancy_weeks",
    "pregnancy_high_risk",
    "pregnancy_warning_signs",
    "dvt_signs",
    "dvt_history",
    "anticoagulants",
    "osteoporosis",
    "skin_condition_in_area",
    "other_conditions",
    "consent",
    "signature",
)
ALWAYS_REQUIRED = [
    key for key in ANSWER_KEYS if key != "other_conditions" and key not in PREGNANCY_DETAIL_KEYS
]
NON_NULLABLE = [key for key in ALWAYS_REQUIRED if key != "recent_surgery_weeks"]
PREGNANT = {
    "pregnant": True,
    "pregnancy_weeks": 20,
    "pregnancy_high_risk": False,
    "pregnancy_warning_signs": False,
}


def pregnant_answers(**overrides):
    return clear_answers(**(PREGNANT | overrides))


def without(answers, key):
    return {k: v for k, v in answers.items() if k != key}


def test_the_questions_are_the_answer_keys_of_the_design_in_form_order():
    assert ANSWER_KEYS == DESIGN_KEYS


def test_every_question_is_a_plain_sentence():
    for spec in ANSWER_SPECS.values():
        assert spec.question[0].isupper() and spec.question[-1] in "?.", spec.key


def test_a_full_valid_answer_set_passes_unchanged():
    cleaned, errors = validate_answers(clear_answers())

    assert errors == {}
    assert cleaned == clear_answers()
    assert list(cleaned) == list(ANSWER_KEYS)


@pytest.mark.parametrize("key", ALWAYS_REQUIRED)
def test_a_missing_answer_is_refused_on_its_question(key):
    cleaned, errors = validate_answers(without(clear_answers(), key))

    assert errors == {key: ["Please answer this question."]}
    assert cleaned == {}


@pytest.mark.parametrize("key", NON_NULLABLE)
def test_a_null_answer_is_not_taken_as_no(key):
    _cleaned, errors = validate_answers(clear_answers(**{key: None}))

    assert errors == {key: ["Please answer this question."]}


def test_other_conditions_may_be_left_out_and_is_then_empty():
    cleaned, errors = validate_answers(without(clear_answers(), "other_conditions"))

    assert errors == {}
    assert cleaned["other_conditions"] == ""


def test_an_unknown_question_is_refused_under_its_own_name():
    cleaned, errors = validate_answers(clear_answers(back_ache=True))

    assert list(errors) == ["back_ache"]
    assert "Unknown question" in errors["back_ache"][0]
    assert cleaned == {}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("saddle_numbness", "yes", "Please answer yes or no (true or false)."),
        ("saddle_numbness", "false", "Please answer yes or no (true or false)."),
        ("saddle_numbness", 0, "Please answer yes or no (true or false)."),
        ("consent", 1, "Please answer yes or no (true or false)."),
        ("pain_score", True, "Please enter a whole number."),
        ("pain_score", "5", "Please enter a whole number."),
        ("pain_score", 5.5, "Please enter a whole number."),
        ("pain_duration_weeks", "3", "Please enter a whole number."),
        ("recent_surgery_weeks", False, "Please enter a whole number."),
        ("injury_in_area", "broken", "Please choose one of: none, acute, subacute, chronic."),
        ("injury_in_area", None, "Please answer this question."),
        ("other_conditions", 42, "Please enter text."),
        ("signature", ["Alex"], "Please enter text."),
    ],
)
def test_an_answer_of_the_wrong_type_is_refused(key, value, message):
    cleaned, errors = validate_answers(clear_answers(**{key: value}))

    assert errors == {key: [message]}
    assert cleaned == {}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("pain_score", -1, "Please enter a number from 0 to 10."),
        ("pain_score", 11, "Please enter a number from 0 to 10."),
        ("pain_duration_weeks", -1, "Please enter a number from 0 to 520."),
        ("pain_duration_weeks", 521, "Please enter a number from 0 to 520."),
        ("recent_surgery_weeks", -1, "Please enter a number from 0 to 52."),
        ("recent_surgery_weeks", 53, "Please enter a number from 0 to 52."),
        ("other_conditions", "x" * 2001, "Please keep this to 2000 characters or fewer."),
        ("signature", "x" * 201, "Please keep this to 200 characters or fewer."),
    ],
)
def test_an_answer_out_of_range_is_refused(key, value, message):
    _cleaned, errors = validate_answers(clear_answers(**{key: value}))

    assert errors == {key: [message]}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("pain_score", 0),
        ("pain_score", 10),
        ("pain_duration_weeks", 0),
        ("pain_duration_weeks", 520),
        ("recent_surgery_weeks", 0),
        ("recent_surgery_weeks", 52),
        ("other_conditions", "x" * 2000),
        ("signature", "x" * 200),
    ],
)
def test_an_answer_at_the_edge_of_its_range_is_accepted(key, value):
    cleaned, errors = validate_answers(clear_answers(**{key: value}))

    assert errors == {}
    assert cleaned[key] == value


def test_treatment_without_consent_is_refused():
    _cleaned, errors = validate_answers(clear_answers(consent=False))

    assert errors == {"consent": ["We need your consent before we can treat you."]}


@pytest.mark.parametrize("signature", ["", "   "])
def test_a_blank_signature_is_refused(signature):
    _cleaned, errors = validate_answers(clear_answers(signature=signature))

    assert errors == {"signature": ["Please type your full name to sign."]}


def test_text_answers_are_stored_without_surrounding_spaces():
    cleaned, _errors = validate_answers(
        clear_answers(signature="  Alex Example ", other_conditions=" Asthma.\n")
    )

    assert cleaned["signature"] == "Alex Example"
    assert cleaned["other_conditions"] == "Asthma."


def test_a_client_who_is_not_pregnant_need_not_answer_the_pregnancy_details():
    answers = clear_answers()
    for key in PREGNANCY_DETAIL_KEYS:
        del answers[key]

    cleaned, errors = validate_answers(answers)

    assert errors == {}
    assert cleaned["pregnancy_weeks"] is None
    assert cleaned["pregnancy_high_risk"] is False
    assert cleaned["pregnancy_warning_signs"] is False


def test_pregnancy_details_sent_for_a_client_who_is_not_pregnant_are_not_stored():
    answers = clear_answers(pregnancy_weeks=12, pregnancy_high_risk=True)

    cleaned, errors = validate_answers(answers)

    assert errors == {}
    assert cleaned["pregnancy_weeks"] is None
    assert cleaned["pregnancy_high_risk"] is False


def test_a_pregnant_client_s_details_are_stored():
    cleaned, errors = validate_answers(pregnant_answers(pregnancy_high_risk=True))

    assert errors == {}
    assert cleaned["pregnancy_weeks"] == 20
    assert cleaned["pregnancy_high_risk"] is True


@pytest.mark.parametrize("key", PREGNANCY_DETAIL_KEYS)
def test_a_pregnant_client_must_answer_every_pregnancy_detail(key):
    _cleaned, errors = validate_answers(without(pregnant_answers(), key))

    assert errors == {key: ["Please answer this question."]}


@pytest.mark.parametrize("key", PREGNANCY_DETAIL_KEYS)
def test_a_pregnant_client_cannot_leave_a_pregnancy_detail_null(key):
    _cleaned, errors = validate_answers(pregnant_answers(**{key: None}))

    assert errors == {key: ["Please answer this question."]}


@pytest.mark.parametrize("weeks", [-1, 46])
def test_weeks_pregnant_out_of_range_is_refused(weeks):
    _cleaned, errors = validate_answers(pregnant_answers(pregnancy_weeks=weeks))

    assert errors == {"pregnancy_weeks": ["Please enter a number from 0 to 45."]}


def test_no_surgery_in_the_last_year_is_answered_with_null():
    cleaned, errors = validate_answers(clear_answers(recent_surgery_weeks=None))

    assert errors == {}
    assert cleaned["recent_surgery_weeks"] is None


def test_every_problem_is_reported_at_once():
    answers = without(clear_answers(pain_score=12, consent=False, extra=1), "signature")

    _cleaned, errors = validate_answers(answers)

    assert set(errors) == {"pain_score", "consent", "signature", "extra"}
