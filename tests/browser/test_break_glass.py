"""A therapist opens the record of a client they do not treat: the page says why it is closed,
a typed reason opens it, and the clinic admin finds the reason on the review list."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, TABLET, log_in
from tests.factories import ClientFactory, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Covering for a colleague off sick today"


def test_a_therapist_breaks_the_glass_and_the_admin_reviews_it(
    open_page, therapist, clinic_admin_user
):
    client = ClientFactory(first_name="Sam", last_name="Stranger")
    client.primary_therapist = TherapistFactory()
    client.save()
    page = open_page(TABLET)
    log_in(page, therapist.user.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"/treatment/clients/{client.pk}/record/")
    expect(page.get_by_role("heading", name="You do not treat Sam Stranger")).to_be_visible()
    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Open the record").click()

    expect(page.get_by_text("record is open to you until tonight")).to_be_visible()
    assert page.url.endswith(f"/treatment/clients/{client.pk}/record/")

    admin = open_page(DESKTOP)
    log_in(admin, clinic_admin_user.email)
    admin.wait_for_url(lambda url: "/accounts/login/" not in url)
    admin.get_by_role("link", name="Break-the-glass").click()
    row = admin.get_by_role("row").filter(has_text=REASON)
    row.get_by_role("button", name="Mark reviewed").click()
    expect(admin.get_by_text("Marked reviewed.")).to_be_visible()
    expect(admin.get_by_role("row").filter(has_text=REASON)).to_contain_text("Reviewed")
