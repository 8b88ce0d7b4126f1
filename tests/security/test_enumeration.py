"""What a stranger can learn by asking: the same answer whatever exists.

(The register form's case is in tests/booking/test_online.py, beside the registrations.)"""

import json

import pytest

from sessions.models import TreatmentPlan
from tests.factories import ClientFactory, TherapistFactory
from tests.treatment.conftest import make_plan, plan_data, screened

pytestmark = pytest.mark.django_db


def plan_body(client_id):
    body = plan_data()
    body["review_on"] = body["review_on"].isoformat()
    return json.dumps({"client": client_id, **body})


@pytest.fixture
def strangers_clients():
    """Two clients of another therapist, one with an active plan; and an id that is no one's."""
    other = TherapistFactory()
    with_plan = ClientFactory(primary_therapist=other)
    without_plan = ClientFactory(primary_therapist=other)
    for client in (with_plan, without_plan):
        screened(client)
    make_plan(with_plan, other)
    return with_plan.pk, without_plan.pk, without_plan.pk + 1000


def test_a_plan_for_someone_elses_client_answers_the_same_whether_they_have_one(
    client_as, strangers_clients
):
    http = client_as("therapist")
    answers = [
        http.post("/api/plans/", plan_body(pk), content_type="application/json")
        for pk in strangers_clients
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert len({a.content for a in answers}) == 1
    assert TreatmentPlan.objects.count() == 1
