"""The reminder history on the client page, the front desk's rebook list and failed reminders,
and the admin's reminder settings."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from clinic.core.models import ClinicSettings
from clinic.reminders.models import Reminder, ReminderOptOut
from clinic.reminders.planning import plan_for_appointment
from intake.services import submit_intake
from tests.factories import ClientFactory
from tests.intake.answers_fixtures import clear_answers

from .conftest import soon

pytestmark = pytest.mark.django_db


def add_reminders(client, count, status="sent", **extra):
    now = timezone.now()
    plan = extra.pop("plan")
    Reminder.objects.bulk_create(
        Reminder(
            kind="practice",
            client=client,
            plan=plan,
            channel="email",
            due_at=now - timedelta(hours=n),
            next_attempt_at=now - timedelta(hours=n),
            status=status,
            sent_at=now if status == "sent" else None,
            **extra,
        )
        for n in range(count)
    )


def test_the_client_page_shows_each_reminder_with_its_status_and_reason(
    client_as, a_client, visit_for
):
    submit_intake(a_client, clear_answers(), None)
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    visit.status = "cancelled"
    visit.save()
    plan_for_appointment(visit)
    page = client_as("front_desk").get(f"/clients/{a_client.pk}/").content.decode()
    assert 'id="reminders"' in page
    assert page.count("Skipped: cancelled appointment") == 2


def test_the_client_page_says_when_a_client_opted_out(client_as, a_client):
    ReminderOptOut.objects.create(client=a_client, channel="sms")
    page = client_as("front_desk").get(f"/clients/{a_client.pk}/").content.decode()
    assert "Opted out of reminders by text message" in page


def test_the_client_page_reminder_history_costs_the_same_queries_for_many_reminders(
    client_as, a_client, plan_for, django_assert_max_num_queries
):
    http = client_as("front_desk")
    add_reminders(a_client, 3, plan=plan_for())
    with django_assert_max_num_queries(40) as few:
        http.get(f"/clients/{a_client.pk}/")
    add_reminders(
        a_client, 300, status="skipped", skip_reason="opted_out", plan=plan_for(status="completed")
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = http.get(f"/clients/{a_client.pk}/").content.decode()
    assert "The latest 50 are shown." in page


def test_the_therapist_reads_the_clinical_content_before_a_closed_reminder_list(
    client_as, a_client, plan_for
):
    submit_intake(a_client, clear_answers(), None)
    add_reminders(a_client, 34, plan=plan_for())
    page = client_as("therapist").get(f"/clients/{a_client.pk}/").content.decode()
    reminders = page[page.index('id="reminders"') :]
    assert page.index('id="treatment"') < page.index('id="reminders"')
    assert "<details" in reminders.split("<table")[0]  # the table sits in a closed <details>
    assert "<details open" not in reminders
    assert "34 reminders, latest first" in reminders


def test_the_front_desk_sees_clients_due_to_rebook(client_as, plan_for, a_client):
    plan_for(starts_on=date(2026, 1, 5))  # no visit since: long overdue
    page = client_as("front_desk").get("/desk/").content.decode()
    assert "Due to rebook" in page and a_client.full_name in page


def test_the_front_desk_home_costs_the_same_queries_however_many_plans_and_failures(
    client_as, plan_for, django_assert_max_num_queries
):
    http = client_as("front_desk")
    with django_assert_max_num_queries(40) as few:
        http.get("/desk/")
    for _ in range(30):
        someone = ClientFactory()
        plan = plan_for(client=someone)
        add_reminders(someone, 3, status="failed", plan=plan, last_error="SMTPException: down")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = http.get("/desk/").content.decode()
    assert page.count("Try again") == 50


def test_the_admin_changes_lead_times_and_quiet_hours(client_as):
    response = client_as("clinic_admin").post(
        "/reminders/settings/",
        {
            "first_reminder_hours": "24",
            "second_reminder_hours": "3",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:30",
        },
    )
    assert response.status_code == 302
    clinic = ClinicSettings.load()
    assert clinic.reminder_lead_hours == [24, 3]
    assert (clinic.quiet_hours_start, clinic.quiet_hours_end) == (time(22), time(7, 30))


def test_new_lead_times_re_plan_the_visits_coming_up(client_as, visit_for):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    client_as("clinic_admin").post(
        "/reminders/settings/",
        {
            "first_reminder_hours": "24",
            "second_reminder_hours": "2",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:00",
        },
    )
    pending = Reminder.objects.filter(kind="appointment", status="pending")
    assert sorted(r.due_at for r in pending) == [
        visit.starts_at - timedelta(hours=24),
        visit.starts_at - timedelta(hours=2),
    ]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_reminder_hours", "0", "Choose between 1 hour and 14 days"),
        ("second_reminder_hours", "400", "Choose between 1 hour and 14 days"),
        ("quiet_hours_start", "25:00", "Enter a valid time"),
        ("first_reminder_hours", "", "This field is required"),
    ],
)
def test_bad_reminder_settings_are_refused_with_a_message_and_change_nothing(
    client_as, field, value, message
):
    data = {
        "first_reminder_hours": "24",
        "second_reminder_hours": "3",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:30",
        field: value,
    }
    response = client_as("clinic_admin").post("/reminders/settings/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert ClinicSettings.load().reminder_lead_hours == [48, 2]


def test_the_visit_page_shows_that_visits_reminders(client_as, visit_for):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    page = client_as("front_desk").get(f"/booking/appointments/{visit.pk}/").content.decode()
    assert 'id="reminders"' in page
    assert page.count("<td>Appointment") == 2
