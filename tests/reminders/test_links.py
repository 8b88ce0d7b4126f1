"""The links in reminders: confirm, cancel, "I did it" and opt out; valid, reused, expired and
tampered tokens."""

import time
from datetime import date, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from clinic.audit.models import AuditEvent
from clinic.reminders import links
from clinic.reminders.models import Reminder, ReminderKind, ReminderOptOut
from intake.models import Intake, IntakeCheckIn
from intake.services import submit_intake
from intake.status import screening_status
from sessions.models import PlanStatus, PracticeLog
from tests.intake.answers_fixtures import clear_answers

from .conftest import soon

pytestmark = pytest.mark.django_db


def reminder_for(target, kind=ReminderKind.APPOINTMENT, channel="email", due_at=None):
    due_at = due_at or timezone.now() - timedelta(hours=1)
    field = "plan" if kind == ReminderKind.PRACTICE else "appointment"
    return Reminder.objects.create(
        kind=kind,
        client=target.client,
        channel=channel,
        due_at=due_at,
        next_attempt_at=due_at,
        status="sent",
        sent_at=due_at,
        **{field: target},
    )


def url(reminder, purpose):
    return links.link_url(reminder, purpose).removeprefix("http://127.0.0.1:8000")


def old_url(reminder, purpose, monkeypatch, age):
    """The link as it was signed `age` ago."""
    signed_at = time.time() - age.total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signed_at)
        return url(reminder, purpose)


def tampered(link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps(999, salt="reminders.link.confirm").split(":")[0]
    return link.replace(token, forged + token[token.index(":") :])


@pytest.fixture
def visit(visit_for):
    return visit_for(soon(72))


@pytest.fixture
def appointment_reminder(visit):
    return reminder_for(visit)


def test_the_confirm_link_asks_first_and_confirms_on_the_button(client, appointment_reminder):
    link = url(appointment_reminder, links.CONFIRM)
    page = client.get(link)
    assert page.status_code == 200 and b"Yes, I'm coming" in page.content
    appointment_reminder.appointment.refresh_from_db()
    assert appointment_reminder.appointment.status == "booked"
    done = client.post(link, follow=True)
    assert b"your visit is confirmed" in done.content
    appointment_reminder.appointment.refresh_from_db()
    assert appointment_reminder.appointment.status == "confirmed"


def test_the_page_after_confirming_is_a_redirect_so_a_refresh_sends_nothing(
    client, appointment_reminder
):
    link = url(appointment_reminder, links.CONFIRM)
    response = client.post(link)
    assert response.status_code == 302 and response.url == link
    assert b"your visit is confirmed" in client.get(link).content
    assert b"already confirmed" in client.get(link).content  # a refresh reads the visit again


def test_confirming_twice_is_harmless_and_says_so(client, appointment_reminder):
    link = url(appointment_reminder, links.CONFIRM)
    client.post(link)
    again = client.post(link, follow=True)
    assert again.status_code == 200 and b"already confirmed" in again.content


@pytest.mark.parametrize(
    ("purpose", "response"), [(links.CONFIRM, "confirmed"), (links.CANCEL, "cancelled")]
)
def test_the_reminder_remembers_what_its_link_did_for_the_reports(
    client, appointment_reminder, purpose, response
):
    client.post(url(appointment_reminder, purpose), {"reason": ""})
    appointment_reminder.refresh_from_db()
    assert appointment_reminder.response == response
    assert appointment_reminder.responded_at is not None


def test_a_second_confirm_does_not_move_the_answer_time(client, appointment_reminder):
    link = url(appointment_reminder, links.CONFIRM)
    client.post(link)
    appointment_reminder.refresh_from_db()
    first = appointment_reminder.responded_at
    client.post(link)
    appointment_reminder.refresh_from_db()
    assert appointment_reminder.responded_at == first


@pytest.mark.parametrize("purpose", [links.CONFIRM, links.CANCEL, links.OPT_OUT])
def test_an_expired_link_says_so_and_changes_nothing(
    client, appointment_reminder, monkeypatch, purpose
):
    link = old_url(appointment_reminder, purpose, monkeypatch, links.MAX_AGE[purpose] * 1.01)
    response = client.post(link)
    assert response.status_code == 410 and b"expired" in response.content
    visit = appointment_reminder.appointment
    visit.refresh_from_db()
    assert visit.status == "booked" and not ReminderOptOut.objects.exists()


@pytest.mark.parametrize("purpose", [links.CONFIRM, links.CANCEL, links.OPT_OUT])
def test_a_tampered_link_says_so_and_changes_nothing(client, appointment_reminder, purpose):
    response = client.post(tampered(url(appointment_reminder, purpose)))
    assert response.status_code == 400 and b"not valid" in response.content
    visit = appointment_reminder.appointment
    visit.refresh_from_db()
    assert visit.status == "booked" and not ReminderOptOut.objects.exists()


def test_a_confirm_token_cannot_cancel(client, appointment_reminder):
    token = links.make_token(appointment_reminder, links.CONFIRM)
    response = client.post(f"/reminders/cancel/{token}/")
    assert response.status_code == 400
    appointment_reminder.appointment.refresh_from_db()
    assert appointment_reminder.appointment.status == "booked"


def test_cancelling_from_the_link_cancels_the_visit(client, appointment_reminder):
    link = url(appointment_reminder, links.CANCEL)
    assert b"Cancel my visit" in client.get(link).content
    response = client.post(link, {"reason": "Away that week"}, follow=True)
    assert b"Your visit is cancelled" in response.content
    assert b"late cancellation" not in response.content
    visit = appointment_reminder.appointment
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason, visit.late_cancellation) == (
        "cancelled",
        "Away that week",
        False,
    )


def test_cancelling_inside_24_hours_warns_and_is_flagged_late(client, visit_for):
    reminder = reminder_for(visit_for(soon(5)))
    link = url(reminder, links.CANCEL)
    assert b"late cancellation" in client.get(link).content
    response = client.post(link, follow=True)
    assert b"recorded as a late cancellation" in response.content
    reminder.appointment.refresh_from_db()
    assert reminder.appointment.late_cancellation


def test_cancelling_twice_is_harmless_and_says_so(client, appointment_reminder):
    link = url(appointment_reminder, links.CANCEL)
    client.post(link)
    again = client.post(link, follow=True)
    assert again.status_code == 200 and b"already cancelled" in again.content


def test_a_visit_that_has_passed_cannot_be_confirmed_from_an_old_reminder(client, visit_for):
    reminder = reminder_for(visit_for(soon(-3)))
    response = client.post(url(reminder, links.CONFIRM), follow=True)
    assert b"already taken place" in response.content
    reminder.appointment.refresh_from_db()
    assert reminder.appointment.status == "booked"


@pytest.fixture
def practice_reminder(plan_for):
    return reminder_for(plan_for(starts_on=date(2026, 1, 5)), kind=ReminderKind.PRACTICE)


def test_i_did_it_records_the_practice_and_pain_and_shows_it_counted(client, practice_reminder):
    link = url(practice_reminder, links.DONE)
    form = client.get(link)
    assert b"new numbness, leg weakness or bladder/bowel change" in form.content
    response = client.post(link, {"pain_now": "3", "new_symptoms": "no"}, follow=True)
    assert b"Counted" in response.content and b"You have practised on" in response.content
    log = PracticeLog.objects.get()
    assert (log.pain_now, log.source, log.plan) == (3, "reminder", practice_reminder.plan)
    event = AuditEvent.objects.get(object_id=str(log.pk))
    assert (event.action, event.client, event.actor) == ("create", log.client, None)


def test_i_did_it_twice_counts_once_and_says_so(client, practice_reminder):
    link = url(practice_reminder, links.DONE)
    client.post(link, {"pain_now": "3", "new_symptoms": "no"}, follow=True)
    again = client.get(link)
    assert b"Already counted" in again.content
    client.post(link, {"pain_now": "2", "new_symptoms": "no"})
    assert PracticeLog.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [{"pain_now": "11", "new_symptoms": "no"}, {"pain_now": "3"}, {"new_symptoms": "no"}],
    ids=["pain-out-of-range", "safety-unanswered", "pain-missing"],
)
def test_an_incomplete_check_in_is_refused_with_a_message(client, practice_reminder, data):
    response = client.post(url(practice_reminder, links.DONE), data)
    assert response.status_code == 400 and b'role="alert"' in response.content
    assert not PracticeLog.objects.exists()


def test_a_yes_to_the_safety_question_advises_care_alerts_the_therapist_and_reopens_screening(
    client, practice_reminder, a_client, therapist, mailoutbox, django_capture_on_commit_callbacks
):
    submit_intake(a_client, clear_answers(), None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(practice_reminder, links.DONE),
            {"pain_now": "6", "new_symptoms": "yes"},
            follow=True,
        )
    assert b"Please seek medical care promptly" in response.content
    alert = next(m for m in mailoutbox if m.to == [therapist.user.email])
    assert a_client.full_name in alert.subject
    assert IntakeCheckIn.objects.get(client=a_client).changed
    assert Intake.objects.get(client=a_client).superseded_at is not None
    assert screening_status(a_client).outcome == "missing"
    assert PracticeLog.objects.get().pain_now == 6


def test_i_did_it_for_an_ended_plan_records_nothing(client, practice_reminder):
    practice_reminder.plan.status = PlanStatus.COMPLETED
    practice_reminder.plan.save()
    response = client.post(
        url(practice_reminder, links.DONE), {"pain_now": "3", "new_symptoms": "no"}
    )
    assert b"plan has ended" in response.content and not PracticeLog.objects.exists()


def test_an_expired_i_did_it_link_records_nothing(client, practice_reminder, monkeypatch):
    link = old_url(practice_reminder, links.DONE, monkeypatch, timedelta(days=4))
    response = client.post(link, {"pain_now": "3", "new_symptoms": "no"})
    assert response.status_code == 410 and not PracticeLog.objects.exists()


def test_opting_out_stops_that_channel_and_twice_says_so(client, appointment_reminder):
    link = url(appointment_reminder, links.OPT_OUT)
    assert b"Stop reminders by email?" in client.get(link).content
    assert b"no more reminders by email" in client.post(link, follow=True).content
    assert ReminderOptOut.objects.filter(client=appointment_reminder.client, channel="email")
    assert b"already stopped" in client.post(link, follow=True).content
    assert ReminderOptOut.objects.count() == 1
