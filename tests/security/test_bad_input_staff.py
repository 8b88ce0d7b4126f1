"""Bad input a probe sent to the clinic admin's staff screens and APIs (invitations, therapist
profiles and their images, weekly hours, time off, the bootstrap command): each gets a clear 4xx,
never a server error, and changes nothing."""

import struct
import zlib
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from clinic.accounts.models import Role, User
from clinic.booking.models import TimeOff, WorkingHours
from clinic.setup import staff
from tests.browser.journey import tiny_png
from tests.factories import WorkingHoursFactory
from tests.security.probes import answered_clearly, counts

pytestmark = pytest.mark.django_db


TOO_LONG_EMAIL = "x" * 300 + "@tranquil.test"


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
