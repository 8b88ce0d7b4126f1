"""In the browser: a clinic admin enrols an authenticator and signs in with its code; the idle
warning offers to stay signed in."""

import re

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clinic.core.models import CACHE_KEY, ClinicSettings
from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_a_clinic_admin_enrols_then_signs_in_with_a_code(open_page, clinic_admin_user):
    page = open_page(DESKTOP)
    log_in(page, clinic_admin_user.email)

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert serious_violations(page) == []
    device = TOTPDevice.objects.get(user=clinic_admin_user, confirmed=False)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()

    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert serious_violations(page) == []
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page).to_have_url(re.compile(r"/manage/$"))

    # Next sign-in, in a fresh browser: the password, then a code from the app.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    again = open_page(PHONE)
    log_in(again, clinic_admin_user.email)
    expect(again).to_have_url(re.compile(r"/accounts/two-factor/"))
    assert serious_violations(again) == []
    again.get_by_label("Code").fill(current_code(device))
    again.get_by_role("button", name="Sign in").click()
    expect(again).to_have_url(re.compile(r"/manage/$"))


def test_the_idle_warning_lets_a_staff_member_stay_signed_in(open_page, front_desk_user, settings):
    clinic = ClinicSettings.load()
    clinic.staff_idle_minutes = 2
    clinic.save()
    settings.SESSION_IDLE_WARNING_SECONDS = 117  # warn three seconds after the page loads
    try:
        page = open_page(DESKTOP)
        log_in(page, front_desk_user.email)
        expect(page).to_have_url(re.compile(r"/desk/$"))

        dialog = page.get_by_role("alertdialog", name="Still there?")
        expect(dialog).to_be_visible(timeout=10_000)
        assert serious_violations(page) == []
        dialog.get_by_role("button", name="Stay signed in").click()
        expect(dialog).to_be_hidden()
        page.reload()
        expect(page).to_have_url(re.compile(r"/desk/$"))
    finally:
        cache.delete(CACHE_KEY)


def test_the_too_many_requests_page_is_accessible(open_page, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link": "1/h"}
    page = open_page(PHONE)
    page.goto("/reminders/confirm/forged-token/")
    response = page.goto("/reminders/confirm/forged-token/")

    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many requests")
    assert serious_violations(page) == []
