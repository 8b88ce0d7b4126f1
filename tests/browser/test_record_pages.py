"""A long record in a real browser: "Show older notes" adds the next page's notes in place."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sessions.views import NOTES_PER_PAGE
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

    page.get_by_role("link", name="Show older notes").click()
    expect(rows).to_have_count(NOTES_PER_PAGE * 2)
    assert "notes=" not in page.url  # the same page, grown
    page.get_by_role("link", name="Show older notes").click()
    expect(rows).to_have_count(NOTES_PER_PAGE * 2 + 3)
    expect(page.get_by_role("link", name="Show older notes")).to_have_count(0)
