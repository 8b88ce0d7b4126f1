"""Under the Content-Security-Policy the pages still work: the time grid places visits from
its data attributes and the API docs load, with no policy violation in the console."""

from datetime import time

import pytest
from playwright.sync_api import expect

from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import working_every_day
from tests.browser.conftest import DESKTOP, log_in
from tests.factories import AppointmentFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_for_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_the_day_view_places_a_visit_by_its_time(open_page, front_desk_user, therapist):
    working_every_day(therapist)
    service = ServiceFactory(duration_minutes=60)
    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(today(), time(11)))
    page = open_page(DESKTOP)
    violations = watch_for_violations(page)
    log_in(page, front_desk_user.email)
    page.goto("/booking/day/")

    card = page.locator("article.visit.placed").first
    expect(card).to_be_visible()
    top = card.evaluate("el => getComputedStyle(el).getPropertyValue('--top').trim()")
    assert top == card.get_attribute("data-top") and int(top) > 0
    box, body = card.bounding_box(), page.locator(".cal-body").first.bounding_box()
    assert box["y"] > body["y"] + 10, "the 11:00 visit sits below the top of the grid"
    assert box["height"] > 40, "a 60-minute visit is taller than a line of text"
    assert violations == []


def test_the_api_docs_load_under_the_policy(open_page, front_desk_user):
    page = open_page(DESKTOP)
    violations = watch_for_violations(page)
    log_in(page, front_desk_user.email)
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Tranquil API")).to_be_visible()
    assert [v for v in violations if "script" in v] == []
