"""Before and after: each tracked record keeps what it said, who changed it and from where."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.history import acting, history
from clinic.booking import booking
from clinic.core.models import ClinicSettings
from clinic.core.tasks import heartbeat
from intake import services
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_visit_keeps_its_old_status_and_names_who_cancelled(front_desk_user):
    visit = AppointmentFactory()
    booking.cancel(visit, by=front_desk_user, reason="Feeling unwell")

    latest, created = history(visit)
    assert (latest.what, latest.by, created.what) == ("Changed", front_desk_user, "Created")
    changes = {c.label: (c.before, c.after) for c in latest.changes}
    assert changes["Status"] == ("Booked", "Cancelled")
    assert changes["Cancellation reason"] == ("—", "Feeling unwell")


def test_recording_a_clearance_names_who_recorded_it(a_client, therapist_user):
    clearance = services.record_clearance(
        a_client, provider_name="Dr Lee", cleared_on=timezone.localdate(), by_user=therapist_user
    )
    [entry] = history(clearance)
    assert (entry.what, entry.by) == ("Created", therapist_user)


def test_a_client_changed_in_a_named_context_keeps_the_old_value(a_client, front_desk_user):
    old_email = a_client.email
    with acting(front_desk_user):
        a_client.email = "new@example.com"
        a_client.save()

    latest = history(a_client)[0]
    assert latest.by == front_desk_user
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        ("Email", old_email or "—", "new@example.com")
    ]


def test_changing_the_clinic_settings_on_a_page_names_the_admin_from_the_request(client_as):
    ClinicSettings().save()  # the row, and no stale copy in the cache
    response = client_as("clinic_admin").post(
        reverse("reminder-settings"),
        {
            "first_reminder_hours": "24",
            "second_reminder_hours": "2",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )
    assert response.status_code == 302

    latest = history(ClinicSettings.objects.get())[0]
    assert latest.by.role == "clinic_admin"
    assert [(c.label, c.before, c.after) for c in latest.changes] == [
        ("First reminder hours", "48", "24")
    ]


def test_the_worker_heartbeat_adds_no_history():
    settings_row = ClinicSettings()
    settings_row.save()
    before = len(history(settings_row))
    heartbeat()
    assert len(history(settings_row)) == before
