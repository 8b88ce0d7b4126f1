"""An insurer claim in the real pages: the desk bills part of the visit to the client's insurer
at checkout, the client pays the rest by card, and the insurer's denial puts its part back on
the client."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, log_in
from tests.factories import AppointmentFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_desk_bills_an_insurer_at_checkout_and_records_its_denial(
    open_page, front_desk_user, a_client, therapist
):
    start = (timezone.now() - timedelta(minutes=5)).replace(second=0, microsecond=0)
    visit = AppointmentFactory(
        client=a_client,
        therapist=therapist,
        service=ServiceFactory(name="Gluteal massage", price=Decimal("100.00")),
        starts_at=start,
    )
    desk = open_page(DESKTOP)
    log_in(desk, front_desk_user.email)
    desk.goto(f"/booking/appointments/{visit.pk}/")
    desk.get_by_role("button", name="Check in").first.click()
    desk.get_by_role("link", name="Checkout").click()

    insurer = desk.get_by_role("group", name="Bill an insurer (optional)")
    insurer.get_by_role("textbox", name="Insurer").fill("Sun Life")
    insurer.get_by_label("Member or policy id").fill("SL-555")
    insurer.get_by_label("Amount billed to the insurer").fill("80.00")
    card = desk.get_by_role("group", name="Payment 1")
    card.get_by_label("Method").select_option("credit")
    card.get_by_label("Amount").fill("33.00")
    desk.get_by_role("button", name="Issue invoice").click()

    expect(desk.locator("#due")).to_have_text("80.00")
    expect(desk.locator("#client-due")).to_have_text("0.00")
    expect(desk.locator("#claims")).to_contain_text("Submitted")
    assert serious_violations(desk) == []

    desk.get_by_label("Denied because").fill("Annual maximum reached")
    desk.get_by_role("button", name="Record denial").click()
    expect(desk.locator("#claims")).to_contain_text("Denied: Annual maximum reached")
    expect(desk.locator("#client-due")).to_have_text("80.00")
