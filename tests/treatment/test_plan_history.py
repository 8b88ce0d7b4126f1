"""The plan page shows what the plan said before each change, who changed it and when."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions import plans as plan_service
from sessions.models import TreatmentPlan
from tests.treatment.conftest import make_plan

pytestmark = pytest.mark.django_db


def history_section(response):
    body = response.content.decode()
    start = body.index('id="history"')
    return re.sub(r"\s+", " ", body[start : body.index("</section>", start)])


def change(plan, by, **data):
    return plan_service.save_plan(plan.client, plan.therapist, data, by, plan)


def test_the_plan_page_shows_each_change_with_who_made_it_and_the_old_and_new_values(
    client_as, clear_client, therapist, clinic_admin_user
):
    plan = make_plan(clear_client, therapist, notes="Start gently.")
    clinic_admin_user.first_name, clinic_admin_user.last_name = "Ada", "Admin"
    clinic_admin_user.save()
    change(plan, clinic_admin_user, visits_planned=8, notes="Add piriformis work.")

    section = history_section(client_as("therapist").get(reverse("plan-detail", args=[plan.pk])))

    assert "Changed by Ada Admin" in section
    assert "<dt>Visits planned</dt><dd><del>6</del> → <ins>8</ins></dd>" in section
    assert "<del>Start gently.</del> → <ins>Add piriformis work.</ins>" in section
    # Newest first: the change, then the creation by the therapist.
    assert section.index("Changed by") < section.index("Created by")
    assert f"Created by {therapist.user.get_full_name() or therapist.user.email}" in section


def test_choices_are_shown_by_their_labels(client_as, clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    change(plan, therapist.user, status="on_hold", frequency_weeks=2)

    section = history_section(client_as("therapist").get(reverse("plan-detail", args=[plan.pk])))

    assert "<del>Active</del> → <ins>On hold</ins>" in section
    assert "<del>Every week</del> → <ins>Every 2 weeks</ins>" in section


def test_a_change_made_through_the_api_names_the_request_user(api_user, clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    response = api_user.patch(
        f"/api/plans/{plan.pk}/", {"visits_planned": 10}, content_type="application/json"
    )
    assert response.status_code == 200

    event = TreatmentPlan.pgh_event_model.objects.filter(pgh_obj=plan).latest("pgh_id")
    assert event.pgh_label == "update" and event.visits_planned == 10
    assert event.pgh_context.metadata["user"] == therapist.user.pk
    assert event.pgh_context.metadata["url"] == "/api/plans/<int:pk>/"


def test_the_plan_page_takes_the_same_queries_however_long_the_history(
    client_as, clear_client, therapist
):
    plan = make_plan(clear_client, therapist)
    http = client_as("therapist")
    url = reverse("plan-detail", args=[plan.pk])
    http.get(url)  # warm the per-process caches (clinic settings)
    with CaptureQueriesContext(connection) as short:
        http.get(url)
    for visits in range(7, 17):
        change(plan, therapist.user, visits_planned=visits)
    with CaptureQueriesContext(connection) as long:
        http.get(url)
    assert len(long) == len(short)


@pytest.fixture
def api_user(client_as):
    return client_as("therapist")
