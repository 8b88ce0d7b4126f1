"""Bad input a probe sent to the clinic admin's new screens and APIs (setup, privacy, reports,
break the glass): each gets a clear 4xx, never a server error, and changes nothing."""

import struct
import zlib
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from clinic.accounts.models import Role, Therapist, User
from clinic.audit.models import AuditEvent, BreakGlassGrant
from clinic.booking.models import Closure, Room, Service, TimeOff, WorkingHours
from clinic.core.inputs import MAX_TEXT_LENGTH
from clinic.core.models import ClinicSettings
from clinic.privacy.models import AccessRequest, Breach
from clinic.setup import staff
from tests.browser.journey import tiny_png
from tests.factories import (
    ClientFactory,
    RoomFactory,
    ServiceFactory,
    TherapistFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db

CLEAN_4XX = (400, 403, 404, 405, 409)
FAR_DATES = ["9999-12-31", "0001-01-01"]
TOO_LONG_EMAIL = "x" * 300 + "@tranquil.test"
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


def answered_clearly(response):
    """A 4xx the user can act on: a server error would be 500."""
    assert response.status_code in CLEAN_4XX, response.status_code
    return response


def counts():
    models = (User, Therapist, Service, Room, Closure, AccessRequest, Breach, AuditEvent)
    return [model.objects.count() for model in models]


def png_claiming(width, height):
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's shape."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def admin(client_as):
    return client_as(Role.CLINIC_ADMIN)


def test_an_invite_for_an_address_longer_than_the_column_is_a_400_on_the_page(admin):
    before = counts()
    data = {"first_name": "Al", "last_name": "Long", "email": TOO_LONG_EMAIL, "role": "therapist"}
    answered_clearly(admin.post("/manage/staff/", data))
    assert counts() == before


def test_an_invite_for_an_address_longer_than_the_column_is_a_400_in_the_api(admin):
    before = counts()
    data = {"first_name": "Al", "last_name": "Long", "email": TOO_LONG_EMAIL, "role": "therapist"}
    response = answered_clearly(
        admin.post("/api/manage/staff/", data, content_type="application/json")
    )
    assert "email" in response.json()
    assert counts() == before


@pytest.mark.parametrize("email", ["therapist@tranquil.test", "THERAPIST@Tranquil.test"])
def test_an_invite_for_an_existing_email_is_refused_whatever_its_case(admin, therapist, email):
    before = counts()
    data = {"first_name": "Al", "last_name": "Again", "email": email, "role": "front_desk"}
    answered_clearly(admin.post("/api/manage/staff/", data, content_type="application/json"))
    answered_clearly(admin.post("/manage/staff/", data))
    assert counts() == before


@pytest.mark.parametrize("role", ["client", "superuser", ""])
def test_an_invite_for_a_role_that_is_not_staff_is_refused(admin, role):
    before = counts()
    data = {"first_name": "Al", "last_name": "Who", "email": "al@tranquil.test", "role": role}
    answered_clearly(admin.post("/api/manage/staff/", data, content_type="application/json"))
    assert counts() == before


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


@pytest.mark.parametrize(
    "upload",
    [b"%PDF-1.4 not an image", png_claiming(100_000, 100_000), png_claiming(5000, 10)],
    ids=["not-an-image", "bomb-dimensions", "too-wide"],
)
@pytest.mark.parametrize("field", ["photo", "signature"])
def test_a_therapist_photo_or_signature_that_is_not_a_usable_image_is_refused(
    admin, therapist, field, upload
):
    before = counts()
    data = {
        "user-first_name": "Maya",
        "user-last_name": "Lindqvist",
        f"profile-{field}": SimpleUploadedFile("me.png", upload, content_type="image/png"),
    }
    answered_clearly(admin.post(f"/manage/staff/{therapist.user.pk}/", data))
    therapist.refresh_from_db()
    assert not getattr(therapist, field)
    assert counts() == before


def test_weekly_hours_with_an_unknown_weekday_or_room_are_refused(admin, therapist):
    before = counts()
    for block in (
        {"weekday": 99, "start_time": "09:00", "end_time": "17:00"},
        {"weekday": 1, "start_time": "09:00", "end_time": "17:00", "room": 2**70},
        {"weekday": 1, "start_time": "25:00", "end_time": "17:00"},
    ):
        answered_clearly(
            admin.put(
                f"/api/manage/staff/{therapist.user.pk}/hours/",
                {"blocks": [block]},
                content_type="application/json",
            )
        )
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


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("9999-12-30T10:00", "9999-12-30T12:00"),
        ("9999-12-31T23:00", "9999-12-31T23:59"),
        ("0001-01-01T00:00", "0001-01-01T10:00"),
        ("2026-01-01T10:00", "9999-12-31T23:59"),
    ],
)
def test_time_off_far_from_now_is_refused_and_nothing_is_stored(admin, therapist, starts, ends):
    before = counts()
    data = {"form": "time_off", "starts_at": starts, "ends_at": ends, "reason": "Away"}
    answered_clearly(admin.post(f"/manage/staff/{therapist.user.pk}/hours/", data))
    assert not TimeOff.objects.exists()
    assert counts() == before


def test_a_photo_uploaded_under_another_extension_is_stored_and_served_as_the_image_it_is(
    admin, client, therapist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = {
        "user-first_name": "Maya",
        "user-last_name": "Lindqvist",
        "profile-photo": SimpleUploadedFile("me.pdf", tiny_png(), content_type="application/pdf"),
    }
    assert admin.post(f"/manage/staff/{therapist.user.pk}/", data).status_code == 302
    therapist.refresh_from_db()
    assert therapist.photo.name.endswith(".png")
    served = client.get(f"/team/{therapist.pk}/photo/")
    assert served["Content-Type"] == "image/png"


def test_weekly_hours_past_the_most_blocks_a_week_are_refused_and_the_old_ones_stay(
    admin, therapist
):
    WorkingHoursFactory(therapist=therapist)
    before = counts()
    blocks = [
        {"weekday": day, "start_time": f"{hour:02}:00", "end_time": f"{hour:02}:30"}
        for day in range(7)
        for hour in range(8)
    ]
    response = answered_clearly(
        admin.put(
            f"/api/manage/staff/{therapist.user.pk}/hours/",
            {"blocks": blocks},
            content_type="application/json",
        )
    )
    assert "blocks" in response.json()
    assert WorkingHours.objects.filter(therapist=therapist).count() == 1
    assert counts() == before


def test_an_invitation_is_not_sent_again_to_a_deactivated_person(admin, clinic_admin_user):
    invited = staff.invite_staff(
        email="later@tranquil.test",
        role=Role.FRONT_DESK,
        first_name="L",
        last_name="A",
        by=clinic_admin_user,
    )
    staff.deactivate(user=invited, by=clinic_admin_user)
    mail.outbox.clear()
    response = admin.post(f"/manage/staff/{invited.pk}/resend/", follow=True)
    assert "deactivated" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["not-an-email", "", TOO_LONG_EMAIL])
def test_bootstrap_refuses_an_address_nobody_could_sign_in_with_and_creates_no_one(email):
    with pytest.raises(CommandError, match="valid email"):
        call_command("bootstrap_clinic", email, stdout=StringIO())
    assert not User.objects.exists()


def test_a_staff_patch_with_a_null_profile_changes_only_the_name(admin, therapist):
    response = admin.patch(
        f"/api/manage/staff/{therapist.user.pk}/",
        {"first_name": "Mia", "therapist": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Mia"
    assert response.json()["therapist"]["id"] == therapist.pk


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
