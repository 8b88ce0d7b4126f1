"""The clinic admin's API: the same rules as the screens, refusals as clear 4xx answers."""

import pytest
from django.core import mail
from django.urls import reverse

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent
from clinic.booking.models import Closure, Service, WorkingHours
from clinic.core.models import ClinicSettings
from tests.factories import AppointmentFactory, RoomFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_as):
    return client_as(Role.CLINIC_ADMIN)


def post(api, name, data, **kwargs):
    return api.post(reverse(name, kwargs=kwargs), data, content_type="application/json")


def test_inviting_through_the_api_emails_the_link(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            api,
            "api-manage-staff",
            {"email": "june@x.test", "role": "therapist", "first_name": "June", "last_name": "Ko"},
        )
    assert response.status_code == 201 and response.json()["invited"] is True
    assert response.json()["therapist"]["registration_number"] == ""
    assert mail.outbox[0].to == ["june@x.test"]


def test_inviting_a_client_role_is_a_400_and_creates_nobody(api):
    response = post(
        api,
        "api-manage-staff",
        {"email": "c@x.test", "role": "client", "first_name": "C", "last_name": "D"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="c@x.test").exists()


def test_a_therapist_profile_is_patched_with_registration_and_services(api, therapist):
    service = Service.objects.create(name="Release", duration_minutes=60)
    url = reverse("api-manage-staff-detail", args=[therapist.user.pk])
    response = api.patch(
        url,
        {"therapist": {"registration_number": "R-1", "services": [service.pk]}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["therapist"]["registration_number"] == "R-1"
    assert list(therapist.services.all()) == [service]


def test_a_service_name_taken_in_another_case_is_a_400_on_the_name(api):
    good = {"name": "Release", "duration_minutes": 60, "price": "95.50"}
    assert post(api, "api-manage-services", good).status_code == 201
    response = post(api, "api-manage-services", {**good, "name": "RELEASE"})
    assert response.status_code == 400
    assert "A service with this name already exists." in str(response.json())
    assert Service.objects.count() == 1


def test_a_service_with_price_is_added_and_a_negative_price_refused(api):
    good = {"name": "Release", "duration_minutes": 60, "price": "95.50", "tax_exempt": True}
    response = post(api, "api-manage-services", good)
    assert response.status_code == 201 and response.json()["price"] == "95.50"
    bad = post(api, "api-manage-services", {**good, "name": "Other", "price": "-1"})
    assert bad.status_code == 400 and Service.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="booking.service").count() == 1


def test_weekly_hours_are_replaced_and_overlaps_refused(api, therapist):
    room = RoomFactory(name="Willow")
    url = reverse("api-manage-hours", args=[therapist.user.pk])
    blocks = [
        {"weekday": 0, "start_time": "09:00", "end_time": "12:00", "room": room.pk},
        {"weekday": 0, "start_time": "13:00", "end_time": "17:00", "room": None},
    ]
    response = api.put(url, {"blocks": blocks}, content_type="application/json")
    assert response.status_code == 200 and len(response.json()["blocks"]) == 2
    overlapping = [blocks[0], {**blocks[1], "start_time": "11:00"}]
    response = api.put(url, {"blocks": overlapping}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "SETUP_REFUSED"
    assert WorkingHours.objects.filter(therapist=therapist).count() == 2


def test_closures_are_added_and_removed(api):
    response = post(
        api,
        "api-manage-closures",
        {"first_day": "2026-07-01", "last_day": "2026-07-01", "reason": "Canada Day"},
    )
    assert response.status_code == 201
    closure = Closure.objects.get()
    assert api.delete(reverse("api-manage-closure-detail", args=[closure.pk])).status_code == 204
    assert not Closure.objects.exists()


def test_settings_are_patched_and_a_bad_value_changes_nothing(api):
    url = reverse("api-manage-settings")
    response = api.patch(
        url, {"tax_rate": "5.00", "time_zone": "America/Vancouver"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["time_zone"] == "America/Vancouver"
    bad = api.patch(url, {"tax_rate": "500", "name": "X"}, content_type="application/json")
    assert bad.status_code == 400
    bad_zone = api.patch(url, {"time_zone": "Mars/Base"}, content_type="application/json")
    assert bad_zone.status_code == 400
    clinic = ClinicSettings.load()
    assert str(clinic.tax_rate) == "5.00" and clinic.name != "X"


def test_deactivating_answers_the_visits_to_move(api):
    therapist = TherapistFactory()
    visit = AppointmentFactory(therapist=therapist)
    response = post(api, "api-manage-staff-deactivate", {}, pk=therapist.user.pk)
    assert response.status_code == 200
    assert [v["id"] for v in response.json()["visits_to_move"]] == [visit.pk]
    assert response.json()["staff"]["is_active"] is False


def test_the_schema_lists_the_manage_api(api):
    paths = api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert {"/api/manage/staff/", "/api/manage/settings/", "/api/manage/closures/"} <= set(paths)
