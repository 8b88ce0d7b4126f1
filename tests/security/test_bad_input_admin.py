"""Bad input a probe sent to the clinic admin's other screens and APIs (services, rooms,
closures, clinic settings, privacy, reports, break the glass): each gets a clear 4xx, never a
server error, and changes nothing. Staff accounts: test_bad_input_staff.py."""

import pytest

from clinic.accounts.models import Role
from clinic.audit.models import BreakGlassGrant
from clinic.core.inputs import MAX_TEXT_LENGTH
from clinic.core.models import ClinicSettings
from tests.factories import (
    ClientFactory,
    RoomFactory,
    ServiceFactory,
    TherapistFactory,
)
from tests.security.probes import answered_clearly, counts

pytestmark = pytest.mark.django_db


FAR_DATES = ["9999-12-31", "0001-01-01"]

SERVICE = {
    "name": "Hot stone",
    "description": "",
    "duration_minutes": 60,
    "buffer_minutes": 0,
    "price": "80.00",
    "tax_exempt": False,
    "online_bookable": True,
    "is_active": True,
}


@pytest.mark.parametrize("moment", ["9999-12-31T23:59", "9999-12-31T23:59:59", "0001-01-01T00:00"])
def test_a_breach_discovered_at_the_edge_of_time_is_a_400_in_the_api(admin, moment):
    before = counts()
    data = {"discovered_at": moment, "kind": "other", "description": "A lost laptop"}
    response = answered_clearly(
        admin.post("/api/privacy/breaches/", data, content_type="application/json")
    )
    assert "discovered_at" in response.json()
    assert counts() == before


def test_a_breach_whose_audit_window_ends_at_the_edge_of_time_is_a_400(admin, therapist_user):
    before = counts()
    data = {
        "discovered_at": "2026-11-01T10:00",
        "kind": "other",
        "description": "A lost laptop",
        "accessed_by": therapist_user.pk,
        "accessed_from": "2026-11-01T00:00",
        "accessed_until": "9999-12-31T23:59",
    }
    answered_clearly(admin.post("/api/privacy/breaches/", data, content_type="application/json"))
    assert counts() == before


@pytest.mark.parametrize(
    "change",
    [
        {"price": "1e30"},
        {"price": "1.1234567890"},
        {"price": "-5"},
        {"price": "NaN"},
        {"duration_minutes": 0},
        {"duration_minutes": 2**40},
        {"buffer_minutes": -1},
        {"name": "x" * 500},
        {"therapists": [2**70]},
    ],
)
def test_a_service_with_an_impossible_value_is_refused_and_nothing_changes(admin, change):
    service = ServiceFactory()
    before = counts()
    answered_clearly(
        admin.post("/api/manage/services/", {**SERVICE, **change}, content_type="application/json")
    )
    answered_clearly(
        admin.patch(f"/api/manage/services/{service.pk}/", change, content_type="application/json")
    )
    assert counts() == before


@pytest.mark.parametrize("name", ["Willow", "WILLOW"])
def test_a_room_named_like_another_is_refused(admin, name):
    RoomFactory(name="Willow")
    before = counts()
    answered_clearly(
        admin.post("/api/manage/rooms/", {"name": name}, content_type="application/json")
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("first", "last"),
    [
        *((day, day) for day in FAR_DATES),
        ("2026-01-05", "2026-01-01"),
        ("2026-01-01", "9999-12-31"),
    ],
)
def test_a_closure_far_from_now_or_backwards_is_refused(admin, first, last):
    before = counts()
    data = {"first_day": first, "last_day": last, "reason": "Holiday"}
    answered_clearly(admin.post("/api/manage/closures/", data, content_type="application/json"))
    answered_clearly(admin.post("/manage/closures/", data))
    assert counts() == before


@pytest.mark.parametrize(
    "change",
    [
        {"tax_rate": "1e30"},
        {"tax_rate": 1e30},
        {"tax_rate": "13.123456789"},
        {"tax_rate": "-1"},
        {"late_cancel_fee": "1e30"},
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": 5},
        {"intake_validity_days": 2**40},
        {"staff_idle_minutes": 0},
        {"first_reminder_hours": 0},
    ],
)
def test_a_clinic_setting_out_of_range_is_a_400_and_the_settings_stay(admin, change):
    stored = ClinicSettings.objects.get_or_create(pk=1)[0]
    before = counts()
    answered_clearly(admin.patch("/api/manage/settings/", change, content_type="application/json"))
    field = next(iter(change))
    assert getattr(ClinicSettings.objects.get(pk=1), field) == getattr(stored, field)
    assert counts() == before


@pytest.mark.parametrize(("start", "end"), [(d, d) for d in FAR_DATES] + [("²", ""), ("", "-1")])
@pytest.mark.parametrize("role", [Role.CLINIC_ADMIN, Role.THERAPIST])
def test_reports_over_a_far_or_garbled_period_are_not_a_server_error(client_as, role, start, end):
    client = client_as(role)
    query = {"start": start, "end": end}
    for path in ("/reports/", "/api/reports/", "/reports/visits.csv"):
        response = client.get(path, query)
        assert response.status_code in (200, 400), (path, response.status_code)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 100_000, None, ["covering"], {"why": "x"}])
def test_breaking_the_glass_with_no_usable_reason_grants_nothing(client_as, reason):
    colleague = TherapistFactory(user__email="colleague@tranquil.test")
    someone = ClientFactory(primary_therapist=colleague)
    client = client_as(Role.THERAPIST)
    answered_clearly(
        client.post(
            f"/api/clients/{someone.pk}/break-glass/",
            {"reason": reason},
            content_type="application/json",
        )
    )
    assert not BreakGlassGrant.objects.exists()


TOO_LONG = "x" * (MAX_TEXT_LENGTH + 1)


def test_a_service_description_past_the_text_limit_is_refused_on_the_page_and_the_api(admin):
    before = counts()
    data = {**SERVICE, "description": TOO_LONG}
    answered_clearly(admin.post("/api/manage/services/", data, content_type="application/json"))
    page = {key: value for key, value in data.items() if value is not False}
    answered_clearly(admin.post("/manage/services/new/", page))
    assert counts() == before


def test_a_clinic_address_past_the_text_limit_is_refused(admin):
    stored = ClinicSettings.objects.get_or_create(pk=1)[0].address
    answered_clearly(
        admin.patch("/api/manage/settings/", {"address": TOO_LONG}, content_type="application/json")
    )
    assert ClinicSettings.objects.get(pk=1).address == stored


@pytest.mark.parametrize("role", [Role.CLINIC_ADMIN, Role.THERAPIST])
def test_a_form_body_with_too_many_fields_is_a_json_400_on_the_api(client_as, role, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    before = counts()
    fields = {f"affected_clients_{n}": str(n) for n in range(20)}
    response = client_as(role).post("/api/privacy/breaches/", fields)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert counts() == before


def test_the_privacy_lists_are_documented_as_the_pages_they_answer(admin):
    schema = admin.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/privacy/requests/", "/api/privacy/breaches/", "/api/privacy/retention/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        ref = ok["schema"]["$ref"].rsplit("/", 1)[-1]
        assert "results" in schema["components"]["schemas"][ref]["properties"], path
