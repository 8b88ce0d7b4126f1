"""Intake reminders come once per client, not once per visit: one email with the client's one
link, none right after the desk sent it, and none once the form is in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import booking
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus
from clinic.reminders.planning import plan_for_appointment
from intake.links import read_token
from intake.models import IntakeLink
from intake.services import send_intake_link, submit_intake
from tests.intake.answers_fixtures import clear_answers

from .conftest import soon

pytestmark = pytest.mark.django_db


def intake_reminders(**filters):
    return Reminder.objects.filter(kind=ReminderKind.INTAKE, **filters)


def intake_link(message) -> IntakeLink:
    url = next(word for word in message.body.split() if "/intake/fill/" in word)
    return read_token(url.rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture
def three_visits(visit_for):
    """Three visits inside the next two days, planned: their intake reminders are due now."""
    visits = [visit_for(soon(hours)) for hours in (30, 36, 42)]
    for visit in visits:
        plan_for_appointment(visit)
    return visits


def test_a_client_with_three_visits_gets_one_intake_email_with_one_link(
    three_visits, mailoutbox, a_client
):
    dispatch_pass(inline=True)
    [message] = [m for m in mailoutbox if "health form" in m.subject]
    assert intake_link(message).client == a_client
    assert IntakeLink.objects.filter(client=a_client).count() == 1


def test_the_intake_reminder_goes_with_the_clients_next_visit(three_visits):
    first = three_visits[0]
    assert [r.appointment for r in intake_reminders(status=ReminderStatus.PENDING)] == [first]


def test_cancelling_that_visit_moves_the_intake_reminder_to_the_next_one(three_visits):
    first, second, _ = three_visits
    booking.cancel(first, notify=False)
    assert [r.appointment for r in intake_reminders(status=ReminderStatus.PENDING)] == [second]


def test_sending_the_form_skips_pending_intake_reminders_as_intake_received(
    three_visits, a_client, client_as
):
    submit_intake(a_client, clear_answers(), None)
    assert set(intake_reminders().values_list("status", "skip_reason")) == {
        (ReminderStatus.SKIPPED, "intake_received"),
    }
    page = client_as(Role.FRONT_DESK).get(a_client.get_absolute_url()).content.decode()
    assert "Skipped: intake received" in page


def test_a_reminder_right_after_the_desk_sent_the_link_is_skipped_on_every_channel(
    visit_for, both_channels, front_desk_user, mailoutbox, sms_outbox
):
    send_intake_link(both_channels, front_desk_user)
    plan_for_appointment(visit_for(soon(30)))
    dispatch_pass(inline=True)
    assert set(intake_reminders().values_list("status", "skip_reason")) == {
        (ReminderStatus.SKIPPED, "intake_link_sent"),
    }
    assert mailoutbox == [] and sms_outbox == []


def test_a_later_reminder_sends_the_link_the_desk_sent(
    visit_for, a_client, front_desk_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        desk_link = send_intake_link(a_client, front_desk_user)
    IntakeLink.objects.filter(pk=desk_link.pk).update(
        staff_sent_at=timezone.now() - timedelta(days=2)
    )
    plan_for_appointment(visit_for(soon(30)))
    dispatch_pass(inline=True)
    desk_email, reminder_email = mailoutbox
    assert intake_link(reminder_email) == intake_link(desk_email) == desk_link
