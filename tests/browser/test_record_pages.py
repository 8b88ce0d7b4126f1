"""Long pages in a real browser: "Show older notes" adds the next page's notes in place, and
the record and the day view with their pagers pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sessions.views import NOTES_PER_PAGE
from tests.booking.test_schedule_pages import fill_day
from tests.browser.axe import serious_violations
from tests.browser.conftest import TABLET, log_in
from tests.treatment.test_record import many_sessions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_show_older_notes_adds_them_under_the_newest_without_leaving_the_page(
    open_page, therapist, a_client
):
    many_sessions(a_client, therapist, NOTES_PER_PAGE * 2 + 3)
    page = open_page(TABLET)
    log_in(page, therapist.user.email)
    page.goto(reverse("treatment-record", args=[a_client.pk]))
    rows = page.locator("#note-rows > tr")
    expect(rows).to_have_count(NOTES_PER_PAGE)
    assert serious_violations(page) == []

    page.get_by_role("link", name="Show older notes").click()
    expect(rows).to_have_count(NOTES_PER_PAGE * 2)
    assert "notes=" not in page.url  # the same page, grown
    page.get_by_role("link", name="Show older notes").click()
    expect(rows).to_have_count(NOTES_PER_PAGE * 2 + 3)
    expect(page.get_by_role("link", name="Show older notes")).to_have_count(0)


def test_the_day_view_with_its_pager_of_therapists_passes_axe(open_page, front_desk_user):
    from datetime import date

    day = date(2026, 3, 10)
    fill_day(day, therapists=14, visits=28)
    page = open_page({"width": 1366, "height": 768})
    log_in(page, front_desk_user.email)
    page.goto(f"/booking/day/?date={day.isoformat()}&page=2")
    expect(page.get_by_role("navigation", name="Pages of therapists")).to_contain_text(
        "Therapists 13–"
    )
    assert serious_violations(page) == []
