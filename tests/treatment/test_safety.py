"""The one safety check: restrictions and the standing rule, each refused with its rule code."""

import pytest

from intake.status import screening_status
from sessions import safety
from tests.factories import ClientFactory
from tests.treatment.conftest import TECHNIQUE, clear, screened

pytestmark = pytest.mark.django_db


def codes_for(answers, techniques=(), body_map=None, avoid_regions=()):
    client = ClientFactory()
    screened(client, **answers)
    found = safety.check_treatment(
        safety.screening_for(client), techniques, body_map, avoid_regions
    )
    return [v.code for v in found]


@pytest.mark.parametrize(
    ("answers", "entry", "code"),
    [
        ({"anticoagulants": True}, {"pressure": "firm"}, "PR_ANTICOAGULANTS"),
        ({"injury_in_area": "subacute"}, {"pressure": "firm"}, "PR_SUBACUTE_INJURY"),
        ({"osteoporosis": True}, {"pressure": "moderate"}, "CL_OSTEOPOROSIS"),
        ({"history_of_cancer": True}, {"pressure": "deep"}, "CL_CANCER_HISTORY"),
        ({"dvt_history": True}, {"technique": "deep_tissue"}, "CL_DVT_HISTORY"),
        ({"anticoagulants": True}, {"technique": "trigger_point"}, "PR_ANTICOAGULANTS"),
        (
            {"osteoporosis": True},
            {"technique": "trigger_point", "pressure": "light"},
            "CL_OSTEOPOROSIS",
        ),
    ],
)
def test_a_technique_breaking_a_restriction_is_refused_with_the_rule_that_imposed_it(
    answers, entry, code
):
    assert codes_for(answers, [{**TECHNIQUE, **entry}]) == [code]


def test_a_technique_within_the_restrictions_passes():
    assert codes_for({"anticoagulants": True}, [{**TECHNIQUE, "pressure": "moderate"}]) == []


def test_pressure_above_two_caps_names_every_rule_that_forbids_it():
    client = ClientFactory()
    screened(client, anticoagulants=True, osteoporosis=True)
    (found,) = safety.check_treatment(
        safety.screening_for(client), [{**TECHNIQUE, "pressure": "firm"}]
    )
    assert "CL_OSTEOPOROSIS" in found.code and "PR_ANTICOAGULANTS" in found.code
    assert "light" in found.message


@pytest.mark.parametrize("region", ["sacrum", "spine", "ischial_tuberosity_left", "coccyx"])
def test_pressure_on_a_bony_area_is_refused_for_everyone(region):
    assert codes_for({}, body_map={region: "treated"}) == ["STANDING_NO_BONY_PRESSURE"]


def test_a_tender_bony_area_may_be_recorded():
    assert codes_for({}, body_map={"sacrum": "tender"}) == []


def test_a_technique_on_the_affected_skin_is_refused_with_pr_skin():
    found = codes_for(
        {"skin_condition_in_area": True},
        [{**TECHNIQUE, "side": "both"}],
        body_map={"gluteus_medius_right": "avoid"},
    )
    assert found == ["PR_SKIN"]


def test_treating_a_region_the_plan_marks_as_affected_skin_is_refused():
    found = codes_for(
        {"skin_condition_in_area": True},
        body_map={"piriformis_left": "treated"},
        avoid_regions=["piriformis_left"],
    )
    assert found == ["PR_SKIN"]


@pytest.mark.parametrize(
    ("answers", "code", "outcome"),
    [
        ({"saddle_numbness": True}, "SCREENING_REFER", "refer"),
        ({"pregnant": True, "pregnancy_weeks": 20}, "SCREENING_CLEARANCE", "clearance"),
    ],
)
def test_a_blocked_screening_refuses_a_note_naming_the_outcome(answers, code, outcome):
    client = ClientFactory()
    screened(client, **answers)
    (found,) = safety.check_note_allowed(screening_status(client))
    assert found.code == code
    assert f"outcome is {outcome}" in found.message


def test_a_clearance_on_file_lets_the_note_through_but_keeps_the_restrictions():
    client = ClientFactory()
    screened(client, osteoporosis=True)
    clear(client)
    screening = safety.screening_for(client)
    assert safety.check_note_allowed(screening.status) == []
    assert [v.code for v in safety.check_note(screening, {"techniques": [TECHNIQUE]})] == [
        "CL_OSTEOPOROSIS"
    ]


def test_no_intake_blocks_a_note_until_the_client_completes_it():
    (found,) = safety.check_note_allowed(screening_status(ClientFactory()))
    assert found.code == "INTAKE_MISSING"
    assert "complete the intake" in found.message
