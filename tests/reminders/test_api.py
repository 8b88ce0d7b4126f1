"""The reminders API: history and retry for staff, the rebook list, settings, and link actions."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from clinic.core.models import ClinicSettings
from clinic.reminders import links
from clinic.reminders.models import Reminder, ReminderOptOut
from clinic.reminders.planning import plan_for_appointment
from sessions.models import PracticeLog

from .conftest import home_care, soon
from .test_links import reminder_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(visit_for):
    return visit_for(soon(72))


def test_staff_read_a_clients_reminders_with_their_status(client_as, a_client, visit):
    plan_for_appointment(visit)
    response = client_as("front_desk").get("/api/reminders/", {"client": a_client.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {(r["kind"], r["status"]) for r in rows} == {
        ("appointment", "pending"),
        ("intake", "pending"),
    }
    assert len(rows) == 3


@pytest.mark.parametrize(
    "query, field", [({"status": "lost"}, "status"), ({"client": "x"}, "client")]
)
def test_a_bad_filter_is_refused_with_a_message(client_as, query, field):
    response = client_as("front_desk").get("/api/reminders/", query)
    assert response.status_code == 400 and field in response.json()


def test_the_front_desk_retries_a_failed_reminder_once(client_as, visit):
    reminder = reminder_for(visit)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", attempts=5)
    http = client_as("front_desk")
    first = http.post(f"/api/reminders/{reminder.pk}/retry/")
    assert first.status_code == 200 and first.json()["status"] == "pending"
    second = http.post(f"/api/reminders/{reminder.pk}/retry/")
    assert second.status_code == 409


def test_the_rebook_list_names_the_overdue_client(client_as, plan_for, a_client):
    plan_for(starts_on=date(2026, 1, 5))
    (entry,) = client_as("front_desk").get("/api/reminders/rebook/").json()
    assert (entry["client"], entry["client_name"]) == (a_client.pk, a_client.full_name)


def test_the_admin_changes_reminder_settings_through_the_api(client_as):
    response = client_as("clinic_admin").patch(
        "/api/reminders/settings/",
        {"first_reminder_hours": 24, "quiet_hours_start": "22:00"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert ClinicSettings.load().reminder_lead_hours == [24, 2]


@pytest.mark.parametrize(
    "data",
    [{"first_reminder_hours": 0}, {"quiet_hours_end": "8 o'clock"}, {"second_reminder_hours": -1}],
)
def test_bad_settings_through_the_api_are_refused_and_change_nothing(client_as, data):
    response = client_as("clinic_admin").patch(
        "/api/reminders/settings/", data, content_type="application/json"
    )
    assert response.status_code == 400 and set(response.json()) == set(data)
    assert ClinicSettings.load().reminder_lead_hours == [48, 2]


def act(client, purpose, reminder, **data):
    token = links.make_token(reminder, purpose)
    return client.post(
        f"/api/reminders/links/{purpose}/",
        {"token": token, **data},
        content_type="application/json",
    )


def test_an_app_confirms_a_visit_with_the_link_token_and_twice_says_so(client, visit):
    reminder = reminder_for(visit)
    assert act(client, links.CONFIRM, reminder).json() == {"outcome": "confirmed"}
    assert act(client, links.CONFIRM, reminder).json() == {"outcome": "already_confirmed"}


def test_an_app_cancelling_inside_24_hours_hears_it_was_late(client, visit_for):
    reminder = reminder_for(visit_for(soon(5)))
    assert act(client, links.CANCEL, reminder).json() == {"outcome": "cancelled_late"}


def test_an_app_records_practice_with_pain_and_the_safety_answer(client, plan_for):
    every_day = home_care(days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    reminder = reminder_for(plan_for(home_care=every_day), kind="practice")
    response = act(client, links.DONE, reminder, pain_now=4, new_symptoms=False)
    body = response.json()
    assert (body["outcome"], body["seek_prompt_medical_care"]) == ("counted", False)
    assert body["adherence"]["done"] == 1
    assert PracticeLog.objects.get().pain_now == 4


def test_practice_without_the_two_answers_is_refused(client, plan_for):
    reminder = reminder_for(plan_for(), kind="practice")
    response = act(client, links.DONE, reminder, pain_now=4)
    assert response.status_code == 400 and "new_symptoms" in response.json()
    assert not PracticeLog.objects.exists()


def test_a_forged_or_expired_token_changes_nothing_through_the_api(client, visit, monkeypatch):
    reminder = reminder_for(visit)
    forged = client.post(
        "/api/reminders/links/opt_out/", {"token": "1:forged:sig"}, content_type="application/json"
    )
    assert forged.status_code == 400
    old = timezone.now() - links.MAX_AGE[links.OPT_OUT] - timedelta(days=1)
    monkeypatch.setattr(signing.time, "time", lambda: old.timestamp())
    token = links.make_token(reminder, links.OPT_OUT)
    monkeypatch.undo()
    expired = client.post(
        "/api/reminders/links/opt_out/", {"token": token}, content_type="application/json"
    )
    assert expired.status_code == 410
    assert not ReminderOptOut.objects.exists()


def test_an_unknown_link_purpose_is_not_found(client, visit):
    response = act(client, "delete_everything", reminder_for(visit))
    assert response.status_code == 404
