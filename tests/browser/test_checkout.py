"""A visit's money in the real pages: the desk checks the client in, checks out with a split
payment (the insurer's part and the client's card), and prints a receipt with every field an
insurer asks for (read from the PDF)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.core.models import ClinicSettings
from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, log_in
from tests.browser.journey import pdf_text
from tests.factories import AppointmentFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_desk_checks_in_checks_out_with_a_split_payment_and_prints_the_receipt(
    open_page, front_desk_user, a_client, therapist, tmp_path
):
    clinic = ClinicSettings.load()
    clinic.tax_number, clinic.address = "123456789RT0001", "12 Queen St W, Toronto"
    clinic.save()
    therapist.registration_number = "U-4242"
    therapist.save()
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
    expect(desk.get_by_role("heading", name="Draft invoice")).to_be_visible()

    first = desk.get_by_role("group", name="Payment 1")
    first.get_by_label("Method").select_option("insurer")
    first.get_by_label("Amount").fill("80.00")
    first.get_by_label("Reference").fill("CLAIM-77")
    second = desk.get_by_role("group", name="Payment 2")
    second.get_by_label("Method").select_option("credit")
    second.get_by_label("Amount").fill("33.00")
    desk.get_by_role("button", name="Issue invoice").click()

    expect(desk.get_by_role("heading", name="Invoice INV-000001")).to_be_visible()
    expect(desk.locator("#due")).to_have_text("0.00")
    assert serious_violations(desk) == []
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Print receipt INV-000001 (PDF)").click()
    text = pdf_text(download.value.path().read_bytes(), tmp_path)
    for needed in [
        a_client.full_name,
        "Massage therapy",
        "Duration: 60 minutes",
        "113.00",
        "Insurer direct billing",
        "Credit card",
        therapist.name,
        "U-4242",
        "123456789RT0001",
        "INV-000001",
    ]:
        assert needed in text, needed
