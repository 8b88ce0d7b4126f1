"""The clinic's settings in the admin: its time zone is one zoneinfo knows, its phone a number."""

from zoneinfo import ZoneInfo

import pytest

from clinic.accounts.models import Role
from clinic.core.models import ClinicSettings

pytestmark = pytest.mark.django_db

URL = "/admin/core/clinicsettings/1/change/"


def settings_form(**changes):
    return {
        "name": "Tranquil Massage Clinic",
        "time_zone": "America/Toronto",
        "phone": "416-555-0100",
        "email": "hello@tranquil.test",
        "address": "",
        "first_reminder_hours": "48",
        "second_reminder_hours": "2",
        "quiet_hours_start": "21:00",
        "quiet_hours_end": "08:00",
        "late_charting_days": "3",
        "online_cancel_cutoff_hours": "24",
        "online_min_notice_hours": "2",
        "staff_idle_minutes": "15",
        "care_window_days": "7",
        "retention_years": "10",
        "waitlist_hold_minutes": "20",
        "balance_reminder_days": "7",
        "balance_reminder_repeat_days": "14",
        "balance_reminder_max": "3",
        "date_format": "Y-m-d",
        "tax_number": "",
        "business_registration": "",
        "currency": "CAD",
        "tax_name": "HST",
        "tax_rate": "13.00",
        "intake_validity_days": "90",
        "late_cancel_window_hours": "24",
        "late_cancel_fee": "0",
        "no_show_fee": "0",
        "require_card_for_online_booking": "",
        "billing_npi": "",
        "place_of_service": "11",
        **changes,
    }


@pytest.fixture
def admin_site(client_as, superuser_admin):
    ClinicSettings().save()  # the row, with its defaults (saving also clears the cached copy)
    return client_as(Role.CLINIC_ADMIN)


def test_the_admin_sets_the_clinics_time_zone_and_phone(admin_site):
    response = admin_site.post(URL, settings_form(time_zone="America/Vancouver"))
    assert response.status_code == 302
    clinic = ClinicSettings.objects.get()
    assert clinic.zone == ZoneInfo("America/Vancouver")
    assert clinic.phone == "+14165550100"


def test_the_admin_form_refuses_an_unknown_time_zone(admin_site):
    response = admin_site.post(URL, settings_form(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ClinicSettings.objects.get().time_zone == ZoneInfo("America/Toronto")


def test_the_admin_form_refuses_what_is_not_a_phone_number(admin_site):
    response = admin_site.post(URL, settings_form(phone="not a phone"))
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert ClinicSettings.objects.get().phone == ""
