import json

import pytest

from intake.screening import (
    BONY_AREAS,
    NO_RESTRICTIONS,
    RULES,
    RULES_VERSION,
    SKIN_AFFECTED_AREA,
    Outcome,
    Pressure,
    Restrictions,
    ScreeningResult,
    screen,
    strictest,
)
from tests.intake.answers_fixtures import clear_answers

# The rule codes in DESIGN.md, in its order.
DESIGN_CODES = (
    "RF_CAUDA_EQUINA",
    "RF_NEURO_PROGRESSIVE",
    "RF_INFECTION",
    "RF_MALIGNANCY",
    "RF_TRAUMA",
    "RF_DVT",
    "RF_PREGNANCY_WARNING",
    "RF_SEVERE_UNRELENTING",
    "CL_PREGNANCY",
    "CL_HIGH_RISK_PREGNANCY",
    "CL_SEVERE_OR_PERSISTENT",
    "CL_RADICULAR",
    "CL_CANCER_HISTORY",
    "CL_RECENT_SURGERY",
    "CL_ACUTE_INJURY",
    "CL_DVT_HISTORY",
    "CL_OSTEOPOROSIS",
    "PR_ANTICOAGULANTS",
    "PR_SKIN",
    "PR_SUBACUTE_INJURY",
    "PR_START_LIGHT",
)
PREGNANT = {"pregnant": True, "pregnancy_weeks": 20}
NO_DEEP = ["deep_tissue"]
NO_DEEP_OR_TRIGGER = ["deep_tissue", "trigger_point"]


def limits(pressure="deep", forbidden=(), positioning=None, avoid=()):
    """The structured part of Restrictions.as_dict(), as a test expects it."""
    return {
        "max_pressure": pressure,
        "forbidden_techniques": list(forbidden),
        "positioning": positioning,
        "avoid_areas": list(avoid),
    }


def structured(restrictions):
    return {k: v for k, v in restrictions.as_dict().items() if k != "notes"}


def codes(result):
    return [finding.code for finding in result.findings]


# (rule, answers on top of the all-clear baseline, every finding expected, outcome, limits).
# Some rules cannot fire alone (high pain also asks to start light), so all findings are listed.
RULE_CASES = [
    ("RF_CAUDA_EQUINA", {"saddle_numbness": True}, ["RF_CAUDA_EQUINA"], "refer", limits()),
    ("RF_CAUDA_EQUINA", {"bladder_or_bowel_change": True}, ["RF_CAUDA_EQUINA"], "refer", limits()),
    (
        "RF_NEURO_PROGRESSIVE",
        {"progressive_leg_weakness": True},
        ["RF_NEURO_PROGRESSIVE"],
        "refer",
        limits(),
    ),
    ("RF_INFECTION", {"fever_or_unwell": True}, ["RF_INFECTION"], "refer", limits()),
    ("RF_MALIGNANCY", {"unexplained_weight_loss": True}, ["RF_MALIGNANCY"], "refer", limits()),
    ("RF_TRAUMA", {"recent_trauma": True}, ["RF_TRAUMA"], "refer", limits()),
    ("RF_DVT", {"dvt_signs": True}, ["RF_DVT"], "refer", limits()),
    (
        "RF_PREGNANCY_WARNING",
        {**PREGNANT, "pregnancy_warning_signs": True},
        ["RF_PREGNANCY_WARNING", "CL_PREGNANCY"],
        "refer",
        limits("moderate", NO_DEEP, "side_lying"),
    ),
    (
        "RF_SEVERE_UNRELENTING",
        {"pain_score": 7, "pain_constant_unrelenting": True, "medically_evaluated": True},
        ["RF_SEVERE_UNRELENTING", "PR_START_LIGHT"],
        "refer",
        limits(),
    ),
    (
        "RF_SEVERE_UNRELENTING",
        {"pain_score": 7, "pain_worse_at_night": True, "medically_evaluated": True},
        ["RF_SEVERE_UNRELENTING", "PR_START_LIGHT"],
        "refer",
        limits(),
    ),
    (
        "CL_PREGNANCY",
        PREGNANT,
        ["CL_PREGNANCY"],
        "clearance",
        limits("moderate", NO_DEEP, "side_lying"),
    ),
    (
        "CL_HIGH_RISK_PREGNANCY",
        {**PREGNANT, "pregnancy_high_risk": True},
        ["CL_PREGNANCY", "CL_HIGH_RISK_PREGNANCY"],
        "clearance",
        limits("light", NO_DEEP, "side_lying"),
    ),
    (
        "CL_SEVERE_OR_PERSISTENT",
        {"pain_score": 7},
        ["CL_SEVERE_OR_PERSISTENT", "PR_START_LIGHT"],
        "clearance",
        limits(),
    ),
    (
        "CL_SEVERE_OR_PERSISTENT",
        {"pain_duration_weeks": 6},
        ["CL_SEVERE_OR_PERSISTENT"],
        "clearance",
        limits(),
    ),
    (
        "CL_RADICULAR",
        {"pain_radiates_below_knee": True, "leg_numbness_or_tingling": True},
        ["CL_RADICULAR"],
        "clearance",
        limits(),
    ),
    (
        "CL_CANCER_HISTORY",
        {"history_of_cancer": True},
        ["CL_CANCER_HISTORY"],
        "clearance",
        limits("moderate"),
    ),
    (
        "CL_RECENT_SURGERY",
        {"recent_surgery_weeks": 4},
        ["CL_RECENT_SURGERY"],
        "clearance",
        limits(),
    ),
    ("CL_ACUTE_INJURY", {"injury_in_area": "acute"}, ["CL_ACUTE_INJURY"], "clearance", limits()),
    (
        "CL_DVT_HISTORY",
        {"dvt_history": True},
        ["CL_DVT_HISTORY"],
        "clearance",
        limits(forbidden=NO_DEEP),
    ),
    (
        "CL_OSTEOPOROSIS",
        {"osteoporosis": True},
        ["CL_OSTEOPOROSIS"],
        "clearance",
        limits("light", NO_DEEP_OR_TRIGGER),
    ),
    (
        "PR_ANTICOAGULANTS",
        {"anticoagulants": True},
        ["PR_ANTICOAGULANTS"],
        "precautions",
        limits("moderate", NO_DEEP_OR_TRIGGER),
    ),
    (
        "PR_SKIN",
        {"skin_condition_in_area": True},
        ["PR_SKIN"],
        "precautions",
        limits(avoid=["skin_affected_area"]),
    ),
    (
        "PR_SUBACUTE_INJURY",
        {"injury_in_area": "subacute"},
        ["PR_SUBACUTE_INJURY"],
        "precautions",
        limits("moderate"),
    ),
    ("PR_START_LIGHT", {"pain_score": 4}, ["PR_START_LIGHT"], "precautions", limits()),
]


def test_the_rules_are_the_rules_of_the_design_in_its_order():
    assert tuple(rule.code for rule in RULES) == DESIGN_CODES


def test_every_rule_has_a_case_of_its_own():
    assert {case[0] for case in RULE_CASES} == set(DESIGN_CODES)


@pytest.mark.parametrize(("code", "overrides", "expected_codes", "outcome", "expected"), RULE_CASES)
def test_each_rule_fires_with_its_outcome_and_restrictions(
    code, overrides, expected_codes, outcome, expected
):
    result = screen(clear_answers(**overrides))

    assert codes(result) == expected_codes
    assert result.outcome == outcome
    # The rule under test is always the most serious one its case fires.
    assert next(f for f in result.findings if f.code == code).outcome == outcome
    assert structured(result.restrictions) == expected


def test_an_all_clear_intake_is_clear_with_nothing_restricted():
    result = screen(clear_answers())

    assert result.outcome == Outcome.CLEAR
    assert result.findings == ()
    assert result.restrictions == NO_RESTRICTIONS
    assert result.restrictions.max_pressure == Pressure.DEEP


def test_every_finding_explains_itself_in_a_sentence():
    for rule in RULES:
        assert rule.message[0].isupper() and rule.message.endswith("."), rule.code


def test_start_light_adds_a_note_but_no_pressure_cap():
    result = screen(clear_answers(pain_score=5))

    assert result.restrictions.max_pressure == Pressure.DEEP
    assert result.restrictions.notes == ("Start with light pressure and progress as tolerated.",)


def test_a_skin_condition_s_note_names_the_area_to_avoid():
    result = screen(clear_answers(skin_condition_in_area=True))

    assert result.restrictions.avoid_areas == (SKIN_AFFECTED_AREA,)
    assert SKIN_AFFECTED_AREA in result.restrictions.notes[0]


@pytest.mark.parametrize(
    ("pain_score", "expected_codes"),
    [
        (3, []),
        (4, ["PR_START_LIGHT"]),
        (6, ["PR_START_LIGHT"]),
        (7, ["CL_SEVERE_OR_PERSISTENT", "PR_START_LIGHT"]),
    ],
)
def test_pain_score_boundaries(pain_score, expected_codes):
    assert codes(screen(clear_answers(pain_score=pain_score))) == expected_codes


@pytest.mark.parametrize(("pain_score", "refer"), [(6, False), (7, True)])
def test_constant_pain_is_a_red_flag_from_7_out_of_10(pain_score, refer):
    answers = clear_answers(pain_score=pain_score, pain_constant_unrelenting=True)

    assert ("RF_SEVERE_UNRELENTING" in codes(screen(answers))) is refer


@pytest.mark.parametrize(("weeks", "expected_codes"), [(5, []), (6, ["CL_SEVERE_OR_PERSISTENT"])])
def test_pain_lasting_6_weeks_or_more_needs_a_clearance(weeks, expected_codes):
    assert codes(screen(clear_answers(pain_duration_weeks=weeks))) == expected_codes


@pytest.mark.parametrize(
    "overrides",
    [
        {"pain_score": 7},
        {"pain_duration_weeks": 6},
        {"pain_radiates_below_knee": True, "leg_numbness_or_tingling": True},
    ],
)
def test_pain_a_doctor_has_assessed_needs_no_clearance(overrides):
    result = screen(clear_answers(medically_evaluated=True, **overrides))

    assert result.outcome < Outcome.CLEARANCE


@pytest.mark.parametrize(
    ("weeks", "expected_codes"),
    [(0, ["CL_RECENT_SURGERY"]), (11, ["CL_RECENT_SURGERY"]), (12, []), (None, [])],
)
def test_surgery_under_12_weeks_ago_needs_a_clearance(weeks, expected_codes):
    assert codes(screen(clear_answers(recent_surgery_weeks=weeks))) == expected_codes


def test_radiating_pain_without_numbness_needs_no_clearance():
    assert screen(clear_answers(pain_radiates_below_knee=True)).outcome == Outcome.CLEAR


def test_an_old_injury_restricts_nothing():
    assert screen(clear_answers(injury_in_area="chronic")).outcome == Outcome.CLEAR


def test_pregnancy_details_count_only_for_a_pregnant_client():
    answers = clear_answers(pregnancy_high_risk=True, pregnancy_warning_signs=True)

    assert screen(answers).outcome == Outcome.CLEAR


def test_the_strictest_outcome_and_restrictions_win_in_a_high_risk_pregnancy_on_blood_thinners():
    answers = clear_answers(**PREGNANT, pregnancy_high_risk=True, anticoagulants=True)

    result = screen(answers)

    assert result.outcome == Outcome.CLEARANCE
    assert structured(result.restrictions) == limits("light", NO_DEEP_OR_TRIGGER, "side_lying")


def test_findings_list_the_most_serious_first_then_in_rule_order():
    answers = clear_answers(
        anticoagulants=True, osteoporosis=True, dvt_signs=True, saddle_numbness=True
    )

    assert codes(screen(answers)) == [
        "RF_CAUDA_EQUINA",
        "RF_DVT",
        "CL_OSTEOPOROSIS",
        "PR_ANTICOAGULANTS",
    ]


def test_a_refer_result_still_lists_the_restrictions_for_when_treatment_resumes():
    result = screen(clear_answers(dvt_signs=True, osteoporosis=True, skin_condition_in_area=True))

    assert result.outcome == Outcome.REFER
    assert structured(result.restrictions) == limits(
        "light", NO_DEEP_OR_TRIGGER, avoid=["skin_affected_area"]
    )


def test_every_note_is_kept_when_rules_combine():
    result = screen(clear_answers(pain_score=5, skin_condition_in_area=True))

    assert len(result.restrictions.notes) == 2


def test_strictest_keeps_the_stricter_side_of_each_restriction():
    a = Restrictions(Pressure.MODERATE, ("deep_tissue",), avoid_areas=("x",), notes=("a",))
    b = Restrictions(Pressure.LIGHT, ("trigger_point",), "side_lying", ("y",), ("b",))

    assert strictest(a, b) == Restrictions(
        Pressure.LIGHT, ("deep_tissue", "trigger_point"), "side_lying", ("x", "y"), ("a", "b")
    )
    assert strictest(a, NO_RESTRICTIONS) == a


def test_outcomes_and_pressures_are_ordered_by_seriousness_not_spelling():
    assert Outcome.CLEAR < Outcome.PRECAUTIONS < Outcome.CLEARANCE < Outcome.REFER
    assert Pressure.LIGHT < Pressure.MODERATE < Pressure.FIRM < Pressure.DEEP
    assert max(Outcome.PRECAUTIONS, Outcome.CLEARANCE) == Outcome.CLEARANCE


def test_the_standing_bony_areas_rule_is_not_a_finding():
    assert screen(clear_answers()).findings == ()
    assert {"spine", "sacrum", "coccyx"} <= set(BONY_AREAS)
    for bone in ("ischial_tuberosity", "greater_trochanter", "iliac_crest"):
        assert {f"{bone}_left", f"{bone}_right"} <= set(BONY_AREAS)


def test_the_result_records_the_rules_version():
    result = screen(clear_answers())

    assert result.rules_version == RULES_VERSION
    assert result.as_dict()["rules_version"] == RULES_VERSION


def test_a_result_survives_a_round_trip_through_json():
    result = screen(clear_answers(**PREGNANT, anticoagulants=True, skin_condition_in_area=True))

    stored = json.loads(json.dumps(result.as_dict()))

    assert stored["restrictions"]["forbidden_techniques"] == NO_DEEP_OR_TRIGGER
    assert ScreeningResult.from_dict(stored) == result


def test_a_stored_result_keeps_the_rules_version_it_was_screened_with():
    stored = {**screen(clear_answers()).as_dict(), "rules_version": "2025.01-1"}

    assert ScreeningResult.from_dict(stored).rules_version == "2025.01-1"
