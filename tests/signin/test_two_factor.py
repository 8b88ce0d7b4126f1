"""Two-factor sign-in: clinic admins must enrol, other staff when the clinic asks (and may
always), clients never; an enrolled user verifies after the password; recovery codes; reset."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.core.models import CACHE_KEY, ClinicSettings
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(user):
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture
def admin():
    return UserFactory(email="boss@tranquil.test", role=Role.CLINIC_ADMIN)


@pytest.fixture
def desk():
    return UserFactory(email="front@tranquil.test", role=Role.FRONT_DESK)


def test_a_clinic_admin_without_two_factor_is_sent_to_set_it_up_and_nowhere_else(admin):
    browser = sign_in(admin)

    for path in [reverse("admin-home"), reverse("audit-log"), "/admin/"]:
        response = browser.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("two-factor-enrol")), path
    assert browser.get(reverse("api-me")).status_code == 403


def test_enrolling_shows_a_qr_code_then_ten_recovery_codes_once_and_lets_the_admin_in(admin):
    browser = sign_in(admin)
    page = browser.get(reverse("two-factor-enrol"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    response = browser.post(reverse("two-factor-enrol"), {"token": code_for(device)})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert AuditEvent.objects.filter(object_type="two_factor", object_id=str(admin.pk)).exists()
    assert browser.get(reverse("admin-home")).status_code == 200


def test_after_enrolling_the_admin_continues_to_the_page_they_asked_for(admin):
    browser = sign_in(admin)
    asked = browser.get(reverse("audit-log"))
    page = browser.get(asked.url)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert f'value="{reverse("audit-log")}"' in page.content.decode()

    response = browser.post(
        reverse("two-factor-enrol"), {"token": code_for(device), "next": reverse("audit-log")}
    )

    assert f'href="{reverse("audit-log")}"' in response.content.decode()


def test_a_wrong_code_at_enrolment_is_refused_and_enrols_nothing(admin):
    browser = sign_in(admin)
    browser.get(reverse("two-factor-enrol"))

    response = browser.post(reverse("two-factor-enrol"), {"token": "000000"})

    assert response.status_code == 400
    assert b"does not match" in response.content
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=admin).exists()
    assert browser.get(reverse("admin-home")).status_code == 302


def test_an_enrolled_user_enters_a_code_after_the_password_and_returns_where_they_were(admin):
    device = enrolled(admin)
    browser = sign_in(admin)

    blocked = browser.get(reverse("audit-log"))
    assert blocked.status_code == 302
    assert blocked.url.startswith(reverse("two-factor-verify"))
    assert browser.get(blocked.url).status_code == 200

    right = browser.post(blocked.url, {"token": code_for(device), "next": reverse("audit-log")})
    assert right.status_code == 302 and right.url == reverse("audit-log")
    assert browser.get(reverse("audit-log")).status_code == 200


def test_a_wrong_code_keeps_the_user_at_the_second_step(desk):
    enrolled(desk)
    browser = sign_in(desk)

    response = browser.post(reverse("two-factor-verify"), {"token": "123456"})

    assert response.status_code == 400
    assert b"does not match" in response.content
    assert browser.get(reverse("front-desk-home")).status_code == 302


def test_a_recovery_code_works_once_in_place_of_the_app(desk):
    enrolled(desk)
    recovery = StaticDevice.objects.create(user=desk, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")

    first = sign_in(desk)
    assert first.post(reverse("two-factor-verify"), {"token": "abcd2345"}).status_code == 302
    assert first.get(reverse("front-desk-home")).status_code == 200

    second = sign_in(desk)
    assert second.post(reverse("two-factor-verify"), {"token": "abcd2345"}).status_code == 400


def test_other_staff_are_not_asked_unless_the_clinic_requires_it(desk):
    assert sign_in(desk).get(reverse("front-desk-home")).status_code == 200

    clinic = ClinicSettings.load()
    clinic.require_two_factor_for_staff = True
    clinic.save()
    try:
        response = sign_in(desk).get(reverse("front-desk-home"))
    finally:
        cache.delete(CACHE_KEY)
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor-enrol"))


def test_staff_who_chose_two_factor_are_asked_for_a_code_even_when_not_required(desk, settings):
    settings.TWO_FACTOR_REQUIRED = False
    enrolled(desk)

    response = sign_in(desk).get(reverse("front-desk-home"))

    assert response.status_code == 302 and response.url.startswith(reverse("two-factor-verify"))


def test_with_two_factor_not_required_a_clinic_admin_signs_in_with_the_password_alone(
    admin, settings
):
    settings.TWO_FACTOR_REQUIRED = False
    assert sign_in(admin).get(reverse("admin-home")).status_code == 200


def test_clients_never_have_a_second_factor(client_user):
    browser = Client()
    browser.post(reverse("login"), {"username": client_user.email, "password": PASSWORD})

    assert browser.get(reverse("client-home")).status_code == 200
    assert browser.get(reverse("two-factor-enrol")).status_code == 403


def test_the_clinic_admin_resets_a_lost_phone_and_it_is_audited(admin, desk):
    enrolled(desk)
    enrolled(admin)
    browser = sign_in(admin)
    browser.post(reverse("two-factor-verify"), {"token": code_for(admin.totpdevice_set.get())})

    page = browser.get(reverse("two-factor-staff"))
    assert page.status_code == 200 and b"front@tranquil.test" in page.content
    response = browser.post(reverse("two-factor-reset", args=[desk.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=desk).exists()
    event = AuditEvent.objects.get(object_type="two_factor", object_id=str(desk.pk))
    assert event.actor == admin
    assert "Reset" in event.detail


def test_a_reset_signs_the_person_out_everywhere_and_ends_their_api_tokens(admin, desk):
    enrolled(desk)
    phone = sign_in(desk)
    phone.post(reverse("two-factor-verify"), {"token": code_for(desk.totpdevice_set.get())})
    assert phone.get(reverse("front-desk-home")).status_code == 200
    key = Token.objects.create(user=desk).key
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200
    enrolled(admin)
    browser = sign_in(admin)
    browser.post(reverse("two-factor-verify"), {"token": code_for(admin.totpdevice_set.get())})

    browser.post(reverse("two-factor-reset", args=[desk.pk]))

    response = phone.get(reverse("front-desk-home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert api.get(reverse("api-me")).status_code in (401, 403)
    assert not Token.objects.filter(user=desk).exists()
    assert browser.get(reverse("two-factor-staff")).status_code == 200
    event = AuditEvent.objects.get(object_type="two_factor", object_id=str(desk.pk))
    assert "1 sessions ended" in event.detail


def test_an_admin_resetting_their_own_two_factor_stays_signed_in_here_only(admin):
    enrolled(admin)
    laptop, tablet = sign_in(admin), sign_in(admin)
    for browser in (laptop, tablet):
        # The same code twice: let the device take it again (it refuses a replayed code).
        TOTPDevice.objects.filter(user=admin).update(last_t=-1)
        browser.post(reverse("two-factor-verify"), {"token": code_for(admin.totpdevice_set.get())})
        assert browser.get(reverse("two-factor-staff")).status_code == 200

    assert laptop.post(reverse("two-factor-reset", args=[admin.pk])).status_code == 302

    assert laptop.get(reverse("two-factor-staff")).status_code == 200
    assert tablet.get(reverse("two-factor-staff")).status_code == 302


def test_only_a_clinic_admin_may_reset_two_factor(desk, client_as, therapist_user):
    enrolled(therapist_user)
    response = client_as(Role.FRONT_DESK).post(
        reverse("two-factor-reset", args=[therapist_user.pk])
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=therapist_user).exists()


def test_the_verify_step_is_rate_limited(desk, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor": "3/h"}
    enrolled(desk)
    browser = sign_in(desk)
    for _ in range(3):
        assert browser.post(reverse("two-factor-verify"), {"token": "000000"}).status_code == 400

    assert browser.post(reverse("two-factor-verify"), {"token": "000000"}).status_code == 429


def test_production_requires_two_factor_and_debug_does_not():
    from tests.clinic.test_secure_defaults import MINIMAL_PRODUCTION, settings_in

    assert settings_in(MINIMAL_PRODUCTION, "TWO_FACTOR_REQUIRED") == "[True]"
    demo = {**MINIMAL_PRODUCTION, "DEBUG": "true"}
    assert settings_in(demo, "TWO_FACTOR_REQUIRED") == "[False]"
