"""Treatment plans: safety on save, one active plan per client, never deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from sessions.models import PlanStatus, TreatmentPlan
from sessions.safety import SafetyError
from tests.treatment.conftest import TECHNIQUE, make_plan, plan_data, screened

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("answers", "change", "code"),
    [
        ({"anticoagulants": True}, {"pressure": "firm"}, "PR_ANTICOAGULANTS"),
        ({"dvt_history": True}, {"technique": "deep_tissue"}, "CL_DVT_HISTORY"),
        (
            {"osteoporosis": True},
            {"pressure": "light", "technique": "trigger_point"},
            "CL_OSTEOPOROSIS",
        ),
    ],
)
def test_a_plan_breaking_a_restriction_is_refused_naming_the_rule(
    a_client, therapist, answers, change, code
):
    screened(a_client, **answers)
    with pytest.raises(SafetyError) as refused:
        make_plan(a_client, therapist, techniques=[{**TECHNIQUE, **change}])
    assert refused.value.codes == [code]
    assert not TreatmentPlan.objects.exists()


def test_a_plan_touching_the_affected_skin_is_refused(a_client, therapist):
    screened(a_client, skin_condition_in_area=True)
    with pytest.raises(SafetyError) as refused:
        make_plan(a_client, therapist, avoid_regions=["gluteus_medius_left"])
    assert refused.value.codes == ["PR_SKIN"]


def test_home_care_with_a_forbidden_technique_is_refused(a_client, therapist):
    screened(a_client, anticoagulants=True)
    home = plan_data()["home_care"][0] | {"technique": "trigger_point"}
    with pytest.raises(SafetyError, match="Home care"):
        make_plan(a_client, therapist, home_care=[home])


def test_a_plan_within_the_restrictions_is_saved(a_client, therapist):
    screened(a_client, anticoagulants=True)
    plan = make_plan(a_client, therapist)
    assert plan.is_active and plan.techniques[0]["progression"] == "as_tolerated"


def test_a_second_active_plan_is_refused(clear_client, therapist):
    make_plan(clear_client, therapist)
    with pytest.raises(ValidationError, match="already has an active"):
        make_plan(clear_client, therapist)
    make_plan(clear_client, therapist, status=PlanStatus.COMPLETED)
    assert TreatmentPlan.objects.count() == 2


def test_the_database_itself_keeps_one_active_plan(clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    copy = TreatmentPlan(client=plan.client, therapist=therapist, review_on=plan.review_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_goal_needs_a_target_different_from_its_baseline(clear_client, therapist):
    goal = {"goal": "stress_relief", "measure": "Stress (0-10)", "baseline": 5, "target": 5}
    with pytest.raises(ValidationError, match="measurable"):
        make_plan(clear_client, therapist, goals=[goal])


def test_plans_are_never_deleted(clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentPlan.objects.filter(pk=plan.pk).delete()
