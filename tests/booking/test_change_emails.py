"""The client hears of every change to a visit, whoever makes it (desk, API, reminder link): a
cancellation takes it out of their calendar, a move says old time and new and moves the
calendar entry, and a rolled-back change says nothing."""

from datetime import time, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import booking
from clinic.core.clinic_time import at_local, today
from clinic.reminders import links
from clinic.reminders.models import Reminder
from tests.booking.test_desk_pages import slot

pytestmark = pytest.mark.django_db


def calendar_event(email):
    """The METHOD of an email's .ics and its one event."""
    [(name, content, mimetype)] = email.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


@pytest.fixture
def day():
    return today() + timedelta(days=2)


@pytest.fixture
def visit(
    a_client,
    therapist,
    service,
    hours,
    day,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    """A visit at 10:00 the day after tomorrow, booked an hour ago; its confirmation is kept
    as `visit.confirmation` and the outbox is empty again."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: an_hour_ago)
        with django_capture_on_commit_callbacks(execute=True):
            booked = booking.book(
                client=a_client,
                therapist=therapist,
                service=service,
                starts_at=at_local(day, time(10)),
            )
    [booked.confirmation] = mailoutbox
    mailoutbox.clear()
    return booked


def assert_cancellation(email, visit):
    method, event = calendar_event(email)
    _, booked = calendar_event(visit.confirmation)
    assert email.to == ["client@tranquil.test"]
    assert "is cancelled" in email.subject
    assert (method, str(event["STATUS"])) == ("CANCEL", "CANCELLED")
    assert str(event["UID"]) == str(booked["UID"])
    assert int(event["SEQUENCE"]) > int(booked["SEQUENCE"])


def test_cancelling_from_the_desk_page_emails_the_client_a_calendar_cancellation(
    client_as, visit, mailoutbox, django_capture_on_commit_callbacks
):
    desk = client_as(Role.FRONT_DESK)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(f"/booking/appointments/{visit.pk}/cancel/", {"reason": "Therapist ill"})
    [email] = mailoutbox
    assert_cancellation(email, visit)
    assert "Your visit is cancelled" in email.body


def test_a_client_cancelling_through_the_api_gets_the_calendar_cancellation(
    client_as, visit, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(Role.CLIENT).post(
            f"/api/appointments/{visit.pk}/cancel/", {}, content_type="application/json"
        )
    assert response.status_code == 200
    [email] = mailoutbox
    assert_cancellation(email, visit)


def test_moving_a_visit_emails_old_and_new_time_with_an_updated_calendar_entry(
    client_as, therapist, visit, day, mailoutbox, django_capture_on_commit_callbacks
):
    desk = client_as(Role.FRONT_DESK)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            f"/booking/appointments/{visit.pk}/reschedule/", {"slot": slot(therapist, day, "14:00")}
        )
    [email] = mailoutbox
    when = f"{day:%a %b} {day.day}"
    assert email.subject == f"Your visit moved: {when}, 10:00 → {when}, 14:00"
    assert "Was: " in email.body and "at 10:00" in email.body
    assert "Now: " in email.body and "at 14:00 to 15:00" in email.body
    method, event = calendar_event(email)
    _, booked = calendar_event(visit.confirmation)
    assert method == "REQUEST"
    assert str(event["UID"]) == str(booked["UID"])
    assert int(event["SEQUENCE"]) > int(booked["SEQUENCE"])
    assert event.decoded("DTSTART") == at_local(day, time(14))
    assert "mailto:client@tranquil.test" in str(event["ATTENDEE"])


def test_a_cancellation_rolled_back_tells_the_client_nothing(
    visit, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        booking.cancel(visit, reason="Sick")
        raise RuntimeError("something later in the same request failed")
    assert mailoutbox == []


def test_a_change_made_with_notify_off_sends_nothing(
    visit, day, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking.reschedule(visit, starts_at=at_local(day, time(15)), notify=False)
        booking.cancel(visit, notify=False)
    assert mailoutbox == []


def test_a_client_without_an_email_address_is_not_emailed(
    a_client, visit, mailoutbox, django_capture_on_commit_callbacks
):
    a_client.email = ""
    a_client.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel(visit)
    assert mailoutbox == []


def test_a_client_cancelling_from_a_reminder_link_gets_the_calendar_cancellation(
    client, visit, mailoutbox, django_capture_on_commit_callbacks
):
    reminder = Reminder.objects.filter(appointment=visit, kind="appointment").first()
    link = urlsplit(links.link_url(reminder, links.CANCEL)).path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"reason": "Away that week"})
    [email] = mailoutbox
    assert_cancellation(email, visit)
