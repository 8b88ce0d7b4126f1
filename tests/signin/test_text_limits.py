"""Every free-text field has one maximum length (clinic/core/inputs.py): text past it is a 400
with a message at each entry point, page or API, and nothing is stored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.inputs import MAX_TEXT_LENGTH
from intake.models import Clearance
from sessions.models import Amendment, SessionNote, TreatmentPlan
from tests.factories import AppointmentFactory
from tests.treatment.conftest import plan_data, screened, signed_note, visit
from tests.treatment.test_plan_pages import plan_post

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (MAX_TEXT_LENGTH + 1)


def api(http, method, url, data):
    return getattr(http, method)(url, data, content_type="application/json")


def plan_page(ctx):
    http = ctx.client_as(Role.THERAPIST)
    url = reverse("plan-create", args=[ctx.client.pk])
    return http.post(url, plan_post(notes=TOO_LONG)), TreatmentPlan.objects.exists


def plan_api(ctx):
    body = plan_data(notes=TOO_LONG)
    body["review_on"] = body["review_on"].isoformat()
    http = ctx.client_as(Role.THERAPIST)
    response = api(http, "post", "/api/plans/", {"client": ctx.client.pk, **body})
    return response, TreatmentPlan.objects.exists


def note_api_create(ctx):
    appointment = visit(ctx.client, ctx.therapist)
    http = ctx.client_as(Role.THERAPIST)
    body = {"appointment": appointment.pk, "subjective": TOO_LONG}
    return api(http, "post", "/api/notes/", body), SessionNote.objects.exists


def note_api_patch(ctx):
    http = ctx.client_as(Role.THERAPIST)
    created = api(http, "post", "/api/notes/", {"appointment": visit(ctx.client, ctx.therapist).pk})
    url = f"/api/notes/{created.json()['id']}/"
    response = api(http, "patch", url, {"client_response": TOO_LONG})
    return response, SessionNote.objects.exclude(client_response="").exists


def amendment_api(ctx):
    note = signed_note(ctx.client, ctx.therapist)
    http = ctx.client_as(Role.THERAPIST)
    url = f"/api/notes/{note.pk}/amendments/"
    return api(http, "post", url, {"reason": "Typo", "text": TOO_LONG}), Amendment.objects.exists


def amendment_page(ctx):
    note = signed_note(ctx.client, ctx.therapist)
    http = ctx.client_as(Role.THERAPIST)
    url = reverse("note-amend", args=[note.pk])
    return http.post(url, {"reason": "Typo", "text": TOO_LONG}), Amendment.objects.exists


def clearance_api(ctx):
    http = ctx.client_as(Role.THERAPIST)
    body = {"provider_name": "Dr Lee", "cleared_on": timezone.localdate().isoformat()}
    response = http.post(f"/api/clients/{ctx.client.pk}/clearances/", {**body, "note": TOO_LONG})
    return response, Clearance.objects.exists


def clearance_page(ctx):
    http = ctx.client_as(Role.THERAPIST)
    body = {"provider_name": "Dr Lee", "cleared_on": timezone.localdate().isoformat()}
    url = reverse("intake-clearance-add", args=[ctx.client.pk])
    return http.post(url, {**body, "note": TOO_LONG}), Clearance.objects.exists


def _upcoming():
    return AppointmentFactory(starts_at=timezone.now() + timedelta(days=3))


def cancel_api(ctx):
    appointment = _upcoming()
    http = ctx.client_as(Role.FRONT_DESK)
    url = f"/api/appointments/{appointment.pk}/cancel/"
    response = api(http, "post", url, {"reason": TOO_LONG})
    return response, Appointment.objects.filter(status=AppointmentStatus.CANCELLED).exists


def cancel_page(ctx):
    appointment = _upcoming()
    http = ctx.client_as(Role.FRONT_DESK)
    url = reverse("booking-cancel", args=[appointment.pk])
    response = http.post(url, {"reason": TOO_LONG})
    return response, Appointment.objects.filter(status=AppointmentStatus.CANCELLED).exists


ENTRY_POINTS = [
    plan_page,
    plan_api,
    note_api_create,
    note_api_patch,
    amendment_api,
    amendment_page,
    clearance_api,
    clearance_page,
    cancel_api,
    cancel_page,
]


@pytest.fixture
def ctx(client_as, a_client, therapist):
    screened(a_client)
    return type("Ctx", (), {"client_as": client_as, "client": a_client, "therapist": therapist})


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_text_longer_than_the_limit_is_refused_with_400_and_nothing_stored(ctx, entry_point):
    response, stored = entry_point(ctx)

    assert response.status_code == 400
    body = response.content.decode()
    assert str(MAX_TEXT_LENGTH) in body.replace(",", "")
    assert not stored()


def test_text_at_the_limit_is_accepted(ctx):
    http = ctx.client_as(Role.THERAPIST)
    body = plan_data(notes="y" * MAX_TEXT_LENGTH)
    body["review_on"] = body["review_on"].isoformat()
    response = api(http, "post", "/api/plans/", {"client": ctx.client.pk, **body})
    assert response.status_code == 201
    assert len(TreatmentPlan.objects.get().notes) == MAX_TEXT_LENGTH
