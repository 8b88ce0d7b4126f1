"""A client on a phone opens the links in their reminders: "I did it" and confirm."""

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.core.models import ClinicSettings
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder
from sessions.models import PlanStatus, PracticeLog, TreatmentPlan
from tests.browser.conftest import PHONE
from tests.factories import AppointmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_quiet_hours(db):
    clinic = ClinicSettings.load()
    clinic.quiet_hours_start = clinic.quiet_hours_end = time(0)
    clinic.save()


def send_due(target, kind, mailoutbox, field):
    """A reminder due a minute ago, sent the way the dispatcher sends it; returns the email's
    text."""
    due_at = timezone.now() - timedelta(minutes=1)
    Reminder.objects.create(
        kind=kind,
        client=target.client,
        channel="email",
        due_at=due_at,
        next_attempt_at=due_at,
        **{field: target},
    )
    dispatch_pass(inline=True)
    (message,) = mailoutbox
    return message.body


def link(body, purpose):
    """The path of the reminder link for `purpose` in an email, to open on the live server."""
    return re.search(rf"https?://[^/\s]+(/reminders/{purpose}/\S+)", body).group(1)


def test_the_client_says_they_did_their_practice_and_sees_it_counted(
    open_page, a_client, therapist, mailoutbox
):
    plan = TreatmentPlan.objects.create(
        client=a_client,
        therapist=therapist,
        status=PlanStatus.ACTIVE,
        starts_on=date(2026, 1, 5),
        review_on=date(2026, 3, 1),
        home_care=[
            {
                "tool": "massage_ball",
                "technique": "kneading",
                "minutes": 10,
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "time": "19:30",
            }
        ],
    )
    body = send_due(plan, "practice", mailoutbox, "plan")
    page = open_page(PHONE)
    page.goto(link(body, "done"))
    expect(page.get_by_role("heading", level=1)).to_have_text("I did my home care")
    page.get_by_role("group", name=re.compile("back pain right now")).get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("new numbness")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("heading", name="Counted: well done!")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You have practised on 1 of")
    assert PracticeLog.objects.get().pain_now == 3
    # Nothing runs off the side of a phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_confirm_link_from_a_reminder_confirms_the_visit(open_page, a_client, mailoutbox):
    starts_at = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    visit = AppointmentFactory(client=a_client, starts_at=starts_at)
    body = send_due(visit, "appointment", mailoutbox, "appointment")
    page = open_page(PHONE)
    page.goto(link(body, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your visit")
    page.get_by_role("button", name="Yes, I'm coming").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your visit is confirmed")
    visit.refresh_from_db()
    assert visit.status == "confirmed"
