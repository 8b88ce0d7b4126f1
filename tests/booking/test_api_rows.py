"""The appointment list's rows are written by hand for speed (serializers.appointment_rows):
they stay exactly what AppointmentSerializer, the schema's shape, gives."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.booking.booking import cancel
from clinic.booking.models import Appointment
from clinic.booking.selectors import with_screening
from clinic.booking.serializers import AppointmentSerializer, appointment_rows
from tests.booking.conftest import NOW, at
from tests.factories import AppointmentFactory, TherapistFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


def test_the_rows_are_the_serializers_rows(service, therapist):
    screened = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00")
    )
    submit(screened.client)
    unnamed = TherapistFactory(user__first_name="", user__last_name="")
    cancelled = AppointmentFactory(
        therapist=unnamed, service=service, starts_at=at("2026-03-11", "09:30")
    )
    cancel(cancelled, reason="Flu", now=NOW)
    AppointmentFactory(service=service, starts_at=at("2026-07-01", "12:00") + timedelta(seconds=7))
    visits = with_screening(
        Appointment.objects.select_related("client", "therapist__user", "room", "service")
    )
    assert appointment_rows(visits) == AppointmentSerializer(visits, many=True).data
    with timezone.override("UTC"):  # UTC times are written with Z, as DRF writes them
        rows = appointment_rows(visits)
        assert rows == AppointmentSerializer(visits, many=True).data
        assert rows[0]["start"].endswith("Z")
