"""Booking in Django's admin (search and filters) and the demo data."""

import pytest
from django.core.management import call_command

from clinic.accounts.models import Role
from clinic.booking.models import Appointment, AppointmentStatus, Service, WorkingHours
from clinic.core.clinic_time import today, week_start
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db


def test_the_admin_finds_appointments_by_client_and_filters_by_status(
    client_as, superuser_admin, service
):
    AppointmentFactory(service=service, client=ClientFactory(last_name="Zamfir"))
    AppointmentFactory(
        service=service, client=ClientFactory(last_name="Okoro"), status=AppointmentStatus.CANCELLED
    )
    http = client_as(Role.CLINIC_ADMIN)
    found = http.get("/admin/booking/appointment/", {"q": "zamfir"}).content.decode()
    assert "Zamfir" in found and "Okoro" not in found
    cancelled = http.get("/admin/booking/appointment/", {"status__exact": "cancelled"})
    assert "Okoro" in cancelled.content.decode() and "Zamfir" not in cancelled.content.decode()


def test_appointments_are_read_only_in_the_admin(client_as, superuser_admin, service):
    visit = AppointmentFactory(service=service)
    http = client_as(Role.CLINIC_ADMIN)
    assert http.get("/admin/booking/appointment/add/").status_code == 403
    http.post(f"/admin/booking/appointment/{visit.pk}/change/", {"status": "cancelled"})
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


def test_the_demo_has_services_with_buffers_hours_and_this_weeks_visits():
    call_command("seed_demo")
    release = Service.objects.get(name="Gluteal release 60 min")
    assert (release.duration_minutes, release.buffer_minutes) == (60, 15)
    assert WorkingHours.objects.filter(therapist__user__email="maya@tranquil.test").count() == 6
    monday = week_start(today())
    visits = Appointment.objects.filter(starts_at__date__gte=monday)
    assert visits.count() >= 40
    assert visits.filter(self_booked=True).exists()
