"""Small things a new user notices: a favicon, and actions that look like buttons."""

from datetime import timedelta

from django.utils import timezone

from clinic.accounts.models import Role
from clinic.reminders.models import Reminder
from intake.services import submit_intake
from tests.factories import AppointmentFactory
from tests.intake.answers_fixtures import clear_answers


def test_every_page_names_an_icon_and_favicon_ico_finds_it(client_as, db):
    http = client_as(None)
    assert (
        '<link rel="icon" href="/static/favicon.svg"'
        in http.get("/accounts/login/").content.decode()
    )
    response = http.get("/favicon.ico")
    assert response.status_code == 302 and response.url == "/static/favicon.svg"


def test_try_again_on_a_failed_reminder_is_a_button(client_as, a_client):
    due_at = timezone.now() - timedelta(hours=1)
    Reminder.objects.create(
        kind="appointment",
        appointment=AppointmentFactory(client=a_client),
        client=a_client,
        channel="email",
        due_at=due_at,
        next_attempt_at=due_at,
        status="failed",
    )
    page = client_as(Role.FRONT_DESK).get("/desk/", follow=True).content.decode()
    assert 'class="button secondary small">Try again</button>' in page


def test_mark_as_seen_on_a_refer_alert_is_a_button(client_as, a_client):
    submit_intake(a_client, clear_answers(saddle_numbness=True), None)
    page = client_as(Role.THERAPIST).get("/", follow=True).content.decode()
    assert 'class="button secondary small">Mark as seen</button>' in page
