"""Sending: the channels and their words, the rules (consent, opt-out, cancelled, quiet hours),
retries with backoff and the cap, all through the dispatch pass the command runs."""

import socket
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from clinic.core.clinic_time import quiet_until
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder, ReminderKind, ReminderOptOut, ReminderStatus
from clinic.reminders.practice import plan_for_plan
from clinic.reminders.sending import backoff, send_reminder

from .conftest import ZONE, at, soon

pytestmark = pytest.mark.django_db


def due(target, kind=ReminderKind.APPOINTMENT, channel="email", ago=timedelta(minutes=1)):
    """A pending reminder that came due `ago`, for a visit or a plan."""
    due_at = timezone.now() - ago
    field = "plan" if kind in (ReminderKind.PRACTICE, ReminderKind.REBOOK) else "appointment"
    return Reminder.objects.create(
        kind=kind,
        client=target.client,
        channel=channel,
        due_at=due_at,
        next_attempt_at=due_at,
        **{field: target},
    )


def fresh(reminder):
    reminder.refresh_from_db()
    return reminder


@pytest.fixture
def visit(visit_for):
    return visit_for(soon(30))


def test_a_due_reminder_is_emailed_with_text_html_and_the_clinics_name(visit, mailoutbox):
    reminder = due(visit)
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    assert message.to == [visit.client.email]
    assert "Tranquil Massage Clinic" in message.subject
    assert "Tranquil Massage Clinic" in message.body
    assert "/reminders/confirm/" in message.body and "/reminders/cancel/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Confirm you are coming" in html
    assert message.extra_headers["X-Tranquil-Reminder"] == str(reminder.pk)
    assert fresh(reminder).status == ReminderStatus.SENT


def test_running_the_pass_again_sends_nothing_twice(visit, mailoutbox):
    reminder = due(visit)
    dispatch_pass(inline=True)
    dispatch_pass(inline=True)
    send_reminder(reminder.pk)
    assert len(mailoutbox) == 1
    assert fresh(reminder).attempts == 1


def test_a_reminder_not_yet_due_waits(visit, mailoutbox):
    due(visit, ago=-timedelta(minutes=5))
    assert dispatch_pass(inline=True)["claimed"] == 0
    assert mailoutbox == []


def test_a_text_message_goes_to_a_client_who_consented(visit, both_channels, sms_outbox):
    reminder = due(visit, channel="sms")
    dispatch_pass(inline=True)
    (text,) = sms_outbox
    assert text.to == both_channels.phone
    assert text.body.startswith("Tranquil Massage Clinic:")
    assert "/reminders/confirm/" in text.body
    assert text.reference == f"reminder-{reminder.pk}"


def test_no_text_message_without_consent(visit, both_channels, sms_outbox):
    both_channels.sms_consent = False
    both_channels.save()
    reminder = due(visit, channel="sms")
    dispatch_pass(inline=True)
    assert sms_outbox == []
    assert (fresh(reminder).status, reminder.skip_reason) == ("skipped", "no_sms_consent")


def test_opting_out_of_one_channel_skips_it_and_keeps_the_other(
    visit, both_channels, mailoutbox, sms_outbox
):
    ReminderOptOut.objects.create(client=both_channels, channel="email")
    by_email, by_text = due(visit), due(visit, channel="sms")
    dispatch_pass(inline=True)
    assert mailoutbox == [] and len(sms_outbox) == 1
    assert (fresh(by_email).status, by_email.skip_reason) == ("skipped", "opted_out")
    assert fresh(by_text).status == "sent"


def test_a_reminder_for_a_cancelled_visit_is_skipped_with_that_reason(visit, mailoutbox):
    reminder = due(visit)
    visit.status = "cancelled"
    visit.save()
    dispatch_pass(inline=True)
    assert mailoutbox == []
    assert (fresh(reminder).status, reminder.skip_reason) == ("skipped", "cancelled_appointment")


@pytest.mark.parametrize(
    "moment, until",
    [
        (at("2026-02-03", "20:59"), None),
        (at("2026-02-03", "21:00"), at("2026-02-04", "08:00")),
        (at("2026-02-04", "02:00"), at("2026-02-04", "08:00")),
        (at("2026-02-04", "07:59"), at("2026-02-04", "08:00")),
        (at("2026-02-04", "08:00"), None),
        # The night the clocks spring forward ends at 08:00 daylight time.
        (at("2026-03-07", "22:00"), at("2026-03-08", "08:00")),
    ],
)
def test_quiet_hours_last_from_nine_at_night_to_eight_in_the_morning(moment, until):
    assert quiet_until(moment, time(21), time(8), ZONE) == until


def test_quiet_hours_inside_one_day_are_understood_too():
    assert quiet_until(at("2026-02-04", "13:00"), time(12), time(14), ZONE) == at(
        "2026-02-04", "14:00"
    )
    assert quiet_until(at("2026-02-04", "14:00"), time(12), time(14), ZONE) is None


def quiet_now(clinic, hours_after=1):
    """Quiet hours that started an hour ago and end `hours_after` from now (local)."""
    local = timezone.localtime(timezone.now(), ZONE)
    clinic.quiet_hours_start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    clinic.quiet_hours_end = (
        (local + timedelta(hours=hours_after)).time().replace(second=0, microsecond=0)
    )
    clinic.save()


def test_a_reminder_due_in_quiet_hours_waits_until_they_end(visit, clinic, mailoutbox):
    quiet_now(clinic)
    reminder = due(visit)
    dispatch_pass(inline=True)
    reminder = fresh(reminder)
    assert mailoutbox == []
    assert reminder.status == "pending" and reminder.claimed_at is None
    ends = quiet_until(timezone.now(), clinic.quiet_hours_start, clinic.quiet_hours_end, ZONE)
    assert reminder.next_attempt_at == ends


def test_a_reminder_quiet_hours_would_delay_past_the_visit_is_skipped(visit_for, clinic):
    quiet_now(clinic, hours_after=3)
    reminder = due(visit_for(soon(2)))
    dispatch_pass(inline=True)
    assert (fresh(reminder).status, reminder.skip_reason) == ("skipped", "quiet_hours")


@pytest.fixture
def mail_server_down(settings):
    """Email through SMTP to a port nobody listens on: a real connection refusal."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 2


def test_a_transport_error_is_retried_later_with_the_error_kept(visit, mail_server_down):
    reminder = due(visit)
    dispatch_pass(inline=True)
    reminder = fresh(reminder)
    assert reminder.status == "pending" and reminder.attempts == 1
    assert "refused" in reminder.last_error.lower()
    wait = reminder.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)


def test_retries_back_off_exponentially_up_to_a_cap(settings):
    settings.REMINDER_RETRY_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=6)


def test_after_the_last_attempt_a_reminder_is_failed_and_the_front_desk_sees_it(
    visit, mail_server_down, settings, client_as
):
    settings.REMINDER_RETRY_SECONDS = 0
    settings.REMINDER_MAX_ATTEMPTS = 3
    reminder = due(visit)
    for _ in range(4):
        dispatch_pass(inline=True)
    reminder = fresh(reminder)
    assert (reminder.status, reminder.attempts) == ("failed", 3)
    page = client_as("front_desk").get("/desk/").content.decode()
    assert "could not be sent" in page and visit.client.full_name in page
    assert "Connection refused" in page


def test_the_front_desk_can_send_a_failed_reminder_again(visit, client_as, mailoutbox):
    reminder = due(visit)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", attempts=5)
    response = client_as("front_desk").post(f"/reminders/{reminder.pk}/retry/")
    assert response.status_code == 302
    dispatch_pass(inline=True)
    assert fresh(reminder).status == "sent" and len(mailoutbox) == 1


def test_the_intake_reminder_carries_a_working_intake_link(visit, mailoutbox, client):
    due(visit, kind=ReminderKind.INTAKE)
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    link = next(w for w in message.body.split() if "/intake/fill/" in w)
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_an_intake_reminder_is_skipped_once_the_intake_is_done(visit, mailoutbox, a_client):
    from intake.services import submit_intake
    from tests.intake.answers_fixtures import clear_answers

    reminder = due(visit, kind=ReminderKind.INTAKE)
    submit_intake(a_client, clear_answers(), None)
    dispatch_pass(inline=True)
    assert (fresh(reminder).status, reminder.skip_reason) == ("skipped", "intake_received")
    assert mailoutbox == []


def test_a_practice_reminder_has_an_i_did_it_link(plan_for, mailoutbox):
    due(plan_for(), kind=ReminderKind.PRACTICE)
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    assert "/reminders/done/" in message.body and "10 minutes" in message.body


def test_a_rebook_nudge_goes_to_a_client_whose_plan_has_no_visit(plan_for, mailoutbox):
    plan = plan_for()  # started in January, no visit since
    plan_for_plan(plan)
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    assert "Time to book your next visit" in message.subject


def test_a_rebook_nudge_is_skipped_when_a_visit_was_booked_since_it_was_planned(
    plan_for, visit_for, mailoutbox
):
    plan = plan_for()
    plan_for_plan(plan)
    visit_for(soon(24))  # written directly, as if planning had not run yet
    dispatch_pass(inline=True)
    assert mailoutbox == []
    reminder = Reminder.objects.get(kind=ReminderKind.REBOOK)
    assert (reminder.status, reminder.skip_reason) == ("skipped", "visit_booked")


def test_the_command_sends_due_reminders_and_says_how_many(visit, mailoutbox, capsys):
    due(visit)
    due(visit, kind=ReminderKind.INTAKE)
    call_command("send_due_reminders")
    assert len(mailoutbox) == 2
    assert "2 due reminders handled: 2 sent." in capsys.readouterr().out
