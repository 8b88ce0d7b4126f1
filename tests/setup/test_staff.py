"""Staff: invite by email with a role, set a password from the signed link, profiles,
deactivation (issue 14, item 1)."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent
from clinic.core.tokens import LinkError
from clinic.setup import staff
from tests.browser.journey import tiny_png
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def invite(by, role=Role.THERAPIST, email="Maya@Example.com"):
    return staff.invite_staff(email=email, role=role, first_name="Maya", last_name="Lin", by=by)


def link_path(message):
    return re.search(r"https?://[^/\s]+(/welcome/\S+/)", message.body).group(1)


def test_an_invitation_creates_a_passwordless_account_and_emails_a_link(
    clinic_admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(clinic_admin_user)
    assert user.email == "maya@example.com" and not user.has_usable_password()
    assert user.therapist.is_active
    [message] = mail.outbox
    assert message.to == ["maya@example.com"] and "/welcome/" in message.body
    assert AuditEvent.objects.filter(actor=clinic_admin_user, object_id=str(user.pk)).exists()


def test_an_address_with_an_account_is_refused_and_nothing_is_sent(clinic_admin_user):
    with pytest.raises(staff.StaffError) as refusal:
        invite(clinic_admin_user, email="ADMIN@tranquil.test")
    assert refusal.value.field == "email" and mail.outbox == []


def test_a_client_role_cannot_be_invited_as_staff(clinic_admin_user):
    with pytest.raises(staff.StaffError):
        invite(clinic_admin_user, role=Role.CLIENT)
    assert not User.objects.filter(email="maya@example.com").exists()


def test_the_invited_person_sets_a_password_and_the_link_then_stops_working(
    client, clinic_admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(clinic_admin_user)
    path = link_path(mail.outbox[0])
    assert client.get(path).status_code == 200
    response = client.post(path, {"password": "gluteus-medius-42", "password_again": "x"})
    assert response.status_code == 400
    response = client.post(
        path, {"password": "gluteus-medius-42", "password_again": "gluteus-medius-42"}
    )
    assert response.status_code == 302 and response.url == reverse("therapist-home")
    user.refresh_from_db()
    assert user.check_password("gluteus-medius-42")
    client.logout()
    assert client.get(path).status_code == 410  # used


def test_a_weak_password_is_refused_and_nothing_is_set(clinic_admin_user):
    user = invite(clinic_admin_user)
    with pytest.raises(staff.StaffError) as refusal:
        staff.accept_invite(token=staff.invite_token(user), password="maya")
    assert refusal.value.field == "password"
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_expired_or_forged_link_is_refused(clinic_admin_user, client):
    user = invite(clinic_admin_user)
    token = staff.invite_token(user)
    with pytest.raises(LinkError) as forged:
        staff.invited_user(token + "x")
    assert forged.value.reason == "invalid"
    assert client.get(reverse("setup-accept-invite", args=["nonsense"])).status_code == 400
    later = timezone.now() + staff.INVITE_LIFETIME + timedelta(minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: later.timestamp())
        with pytest.raises(LinkError) as expired:
            staff.invited_user(token)
    assert expired.value.reason == "expired"


def test_deactivating_ends_sessions_and_tokens_and_keeps_future_visits_listed(
    client, client_as, clinic_admin_user
):
    therapist = TherapistFactory()
    visit = AppointmentFactory(therapist=therapist)
    Token.objects.create(user=therapist.user)
    client.force_login(therapist.user)
    assert Session.objects.count() == 1
    http = client_as(Role.CLINIC_ADMIN)  # logs the therapist's test client out: log in again
    other = type(client)()
    other.force_login(therapist.user)
    url = reverse("setup-staff-deactivate", args=[therapist.user.pk])
    assert http.post(url, {"action": "deactivate"}).status_code == 302
    therapist.refresh_from_db()
    therapist.user.refresh_from_db()
    assert not therapist.user.is_active and not therapist.is_active
    assert not Token.objects.filter(user=therapist.user).exists()
    assert other.get(reverse("therapist-home")).status_code == 302  # back to the login page
    page = http.get(url).content.decode()
    assert reverse("booking-appointment", args=[visit.pk]) in page
    visit.refresh_from_db()
    assert visit.status == "booked"


def test_an_admin_cannot_deactivate_themself(clinic_admin_user):
    with pytest.raises(staff.StaffError):
        staff.deactivate(user=clinic_admin_user, by=clinic_admin_user)


def test_the_therapist_profile_saves_registration_signature_and_services(client_as, therapist):
    service = ServiceFactory(name="Gluteal release")
    http = client_as(Role.CLINIC_ADMIN)
    url = reverse("setup-staff-detail", args=[therapist.user.pk])
    response = http.post(
        url,
        {
            "user-first_name": "Maya",
            "user-last_name": "Lin",
            "profile-credentials": "RMT",
            "profile-registration_number": "R-12345",
            "profile-bio": "Gluteal work for low back pain.",
            "profile-services": [service.pk],
            "profile-signature": SimpleUploadedFile("sig.png", tiny_png(), "image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    therapist.refresh_from_db()
    assert therapist.registration_number == "R-12345" and therapist.credentials == "RMT"
    assert therapist.signature.name.startswith("therapists/")
    assert list(therapist.services.all()) == [service]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("sig.png", b"not an image at all", "image/png"),
        SimpleUploadedFile("sig.png", tiny_png() + b"\0" * (1024 * 1024), "image/png"),
    ],
    ids=["not-an-image", "too-large"],
)
def test_a_signature_that_is_not_a_small_image_is_refused(client_as, therapist, upload):
    http = client_as(Role.CLINIC_ADMIN)
    url = reverse("setup-staff-detail", args=[therapist.user.pk])
    response = http.post(
        url, {"user-first_name": "M", "user-last_name": "L", "profile-signature": upload}
    )
    assert response.status_code == 400
    therapist.refresh_from_db()
    assert not therapist.signature


def test_staff_names_on_the_clinic_page_link_to_their_profiles(client_as, therapist):
    page = client_as(Role.CLINIC_ADMIN).get(reverse("admin-home")).content.decode()
    assert reverse("setup-staff-detail", args=[therapist.user.pk]) in page
    for name in ("setup-settings", "setup-staff", "setup-services", "setup-rooms"):
        assert reverse(name) in page


def test_bootstrap_clinic_creates_the_first_admin_with_a_link_and_refuses_a_second(client):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("bootstrap_clinic", "owner@clinic.test", "--superuser", stdout=out)
    owner = User.objects.get(email="owner@clinic.test")
    assert owner.role == Role.CLINIC_ADMIN and owner.is_superuser
    assert not owner.has_usable_password()
    path = re.search(r"https?://[^/\s]+(/welcome/\S+/)", out.getvalue()).group(1)
    assert client.get(path).status_code == 200
    with pytest.raises(CommandError):
        call_command("bootstrap_clinic", "second@clinic.test", stdout=StringIO())


def test_online_booking_shows_the_chosen_therapist_s_photo_and_bio(
    client, therapist, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tests.factories import ServiceFactory as Services

    settings.MEDIA_ROOT = tmp_path
    therapist.bio = "Twelve years of gluteal work."
    therapist.credentials = "RMT"
    therapist.photo.save("me.png", ContentFile(tiny_png()))
    service = Services(name="Release")
    url = reverse("booking-online-slots", args=[service.pk])
    page = client.get(url, {"therapist": therapist.pk}).content.decode()
    assert "Twelve years of gluteal work." in page
    photo = reverse("setup-therapist-photo", args=[therapist.pk])
    assert photo in page
    assert client.get(photo).status_code == 200
    therapist.signature.save("sig.png", ContentFile(tiny_png()))
    assert therapist.signature.url not in page


def test_online_booking_lists_only_the_therapists_who_offer_the_service(client, therapist):
    other = TherapistFactory(user__first_name="Omar")
    service = ServiceFactory(name="Release")
    service.therapists.set([therapist])
    page = client.get(reverse("booking-online-slots", args=[service.pk])).content.decode()
    assert therapist.name in page and other.name not in page


def test_an_admin_cannot_change_their_own_role(client_as, clinic_admin_user):
    url = reverse("setup-staff-detail", args=[clinic_admin_user.pk])
    response = client_as(Role.CLINIC_ADMIN).post(
        url, {"user-first_name": "A", "user-last_name": "B", "user-role": "front_desk"}
    )
    assert response.status_code == 400
    clinic_admin_user.refresh_from_db()
    assert clinic_admin_user.role == Role.CLINIC_ADMIN
