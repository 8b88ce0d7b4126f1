"""The client portal at /me/: their visits, next step, progress, documents and preferences."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.booking.availability import Slot
from clinic.booking.forms import slot_value
from clinic.core.clinic_time import at_local, today
from clinic.reminders.models import ReminderOptOut
from intake.models import Clearance
from tests.booking.conftest import working_every_day
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


def test_a_visit_booked_online_is_listed_on_my_page(client_as, a_client, therapist):
    service = ServiceFactory(name="Gluteal release 60 min")
    working_every_day(therapist, RoomFactory(name="Willow"))
    day = today() + timedelta(days=3)
    starts_at = at_local(day, time(10))
    http = client_as(Role.CLIENT)
    slot = slot_value(Slot(starts_at, starts_at, therapist.pk, 0))
    http.post(f"/booking/online/{service.pk}/book/", QUERY_STRING=f"slot={slot}")
    html = http.get("/me/").content.decode()
    assert "Your upcoming visits" in html and "Gluteal release 60 min" in html
    assert f"{day:%a} {day.day} {day:%b %Y}, 10:00" in html
    assert "No visit booked" not in html


def test_my_page_needs_the_same_queries_for_many_visits(client_as, a_client, therapist):
    http = client_as(Role.CLIENT)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert http.get("/me/").status_code == 200
        return len(captured)

    def add(count, sign, first=2):
        for n in range(first, first + count):
            AppointmentFactory(
                client=a_client,
                therapist=therapist,
                starts_at=timezone.now().replace(minute=0, second=0, microsecond=0)
                + sign * timedelta(days=n),
            )

    add(2, 1)
    add(2, -1)
    queries()  # the first request also loads the clinic's settings and stamps the session
    few = queries()
    add(20, 1, first=10)
    add(20, -1, first=10)
    assert queries() == few


def test_the_next_step_tells_a_client_who_needs_clearance_what_to_bring(client_as, a_client):
    submit(a_client, pregnant=True, pregnancy_weeks=24)
    html = client_as(Role.CLIENT).get("/me/").content.decode()
    assert "Bring a note from your midwife or doctor saying massage is OK" in html


def test_the_next_step_asks_for_the_form_and_then_says_nothing_to_do(client_as, a_client):
    http = client_as(Role.CLIENT)
    assert "Fill in your health form" in http.get("/me/").content.decode()
    submit(a_client)
    assert "Nothing to do" in http.get("/me/").content.decode()


def test_my_documents_list_the_clearances_on_file(client_as, a_client):
    Clearance.objects.create(client=a_client, provider_name="Dr Lee", cleared_on=today())
    html = client_as(Role.CLIENT).get("/me/documents/").content.decode()
    assert "Clearance from Dr Lee" in html


def test_my_progress_shows_the_pain_table(client_as, a_client):
    html = client_as(Role.CLIENT).get("/me/progress/").content.decode()
    assert 'id="pain-table"' in html and "No signed sessions yet" in html


def test_past_visits_are_listed_newest_first(client_as, a_client, therapist):
    for days in (3, 10):
        AppointmentFactory(
            client=a_client,
            therapist=therapist,
            service=ServiceFactory(name=f"Visit {days} days ago"),
            starts_at=timezone.now() - timedelta(days=days),
        )
    html = client_as(Role.CLIENT).get("/me/visits/").content.decode()
    assert html.index("Visit 3 days ago") < html.index("Visit 10 days ago")


def test_a_client_changes_their_notification_preferences_and_it_is_audited(client_as, a_client):
    a_client.phone = "+1 416 555 0123"
    a_client.save()
    response = client_as(Role.CLIENT).post(
        "/me/notifications/",
        {"preferred_channel": "both", "sms_consent": "on", "sms_reminders": "on"},
    )
    assert response.status_code == 302 and response.url == "/me/notifications/"
    a_client.refresh_from_db()
    assert (a_client.preferred_channel, a_client.sms_consent) == ("both", True)
    assert list(
        ReminderOptOut.objects.filter(client=a_client).values_list("channel", flat=True)
    ) == ["email"]
    event = AuditEvent.objects.get(client=a_client, detail__startswith="notification")
    assert event.actor == a_client.user and "opted_out=email" in event.detail


def test_text_messages_without_consent_are_refused_and_nothing_changes(client_as, a_client):
    a_client.phone = "+1 416 555 0123"
    a_client.save()
    response = client_as(Role.CLIENT).post(
        "/me/notifications/", {"preferred_channel": "sms", "email_reminders": "on"}
    )
    assert response.status_code == 400
    assert "tick that you agree" in response.content.decode()
    a_client.refresh_from_db()
    assert (a_client.preferred_channel, a_client.sms_consent) == ("email", False)
    assert not AuditEvent.objects.filter(detail__startswith="notification").exists()
