"""Cards through (the fake) Stripe in the real pages: the client keeps a card on file on the
hosted page, the desk checks the visit in and out with a split payment (the insurer's part and
the card on file charged through Stripe), and the receipt PDF is read back; and a client pays
their balance on the hosted page. The fake posts its signed webhooks to the live server."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.billing.invoices import issue
from clinic.billing.models import GatewayEvent, Invoice, Payment
from clinic.booking.booking import check_in
from clinic.core.clinic_time import today
from clinic.core.models import ClinicSettings
from tests.billing.fake_stripe import FakeStripe
from tests.billing.test_gateways import WEBHOOK_SECRET
from tests.booking.conftest import working_every_day
from tests.booking.test_online import book_url
from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, log_in
from tests.browser.journey import pdf_text
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stripe_live(settings, live_server):
    hook = f"{live_server.url}/billing/stripe/webhook/"
    with FakeStripe(webhook_url=hook, webhook_secret=WEBHOOK_SECRET) as fake:
        settings.PAYMENT_GATEWAY = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_API_BASE = fake.url
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_CHECKOUT_ORIGIN = fake.url
        yield fake


def a_visit_now(client, therapist):
    start = (timezone.now() - timedelta(minutes=5)).replace(second=0, microsecond=0)
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        service=ServiceFactory(name="Gluteal massage", price=Decimal("100.00")),
        starts_at=start,
    )


def test_a_visit_paid_by_the_insurer_and_the_card_on_file_charged_through_stripe(
    open_page, front_desk_user, a_client, therapist, tmp_path, stripe_live
):
    clinic = ClinicSettings.load()
    clinic.tax_number, clinic.address = "123456789RT0001", "12 Queen St W, Toronto"
    clinic.save()
    therapist.registration_number = "U-4242"
    therapist.save()
    visit = a_visit_now(a_client, therapist)

    # The client keeps a card on file on Stripe's page (the fake's), from the portal.
    me = open_page(DESKTOP)
    log_in(me, a_client.user.email)
    me.goto("/billing/mine/card/")
    me.get_by_role("button", name="Add a card").click()
    expect(me.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
    me.get_by_role("button", name="Save card ending 4242").click()
    expect(me.get_by_text("Visa •••• 4242 is on file.")).to_be_visible()
    assert serious_violations(me) == []

    desk = open_page(DESKTOP)
    log_in(desk, front_desk_user.email)
    desk.goto(f"/booking/appointments/{visit.pk}/")
    desk.get_by_role("button", name="Check in").first.click()
    desk.get_by_role("link", name="Checkout").click()
    first = desk.get_by_role("group", name="Payment 1")
    first.get_by_label("Method").select_option("insurer")
    first.get_by_label("Amount").fill("80.00")
    first.get_by_label("Reference").fill("CLAIM-77")
    desk.get_by_role("button", name="Issue invoice").click()
    expect(desk.locator("#due")).to_have_text("33.00")
    expect(desk.locator("#charge-amount")).to_have_value("33.00")
    desk.get_by_role("button", name="Charge card on file (Visa •••• 4242)").click()

    expect(desk.get_by_text("33.00 charged to the card on file (pi_fake_1).")).to_be_visible()
    expect(desk.locator("#due")).to_have_text("0.00")
    assert serious_violations(desk) == []
    card_payment = Payment.objects.get(method="credit")
    assert (card_payment.amount, card_payment.reference) == (Decimal("33.00"), "pi_fake_1")
    [intent] = [r for r in stripe_live.requests if r["path"] == "/v1/payment_intents"]
    assert intent["form"]["off_session"] == "true" and intent["form"]["amount"] == "3300"

    with desk.expect_download() as download:
        desk.get_by_role("link", name="Print receipt INV-000001 (PDF)").click()
    text = pdf_text(download.value.path().read_bytes(), tmp_path)
    for needed in [
        a_client.full_name,
        "Massage therapy",
        "Duration: 60 minutes",
        "113.00",
        "80.00",
        "33.00",
        "Insurer direct billing",
        "Credit card",
        therapist.name,
        "U-4242",
        "123456789RT0001",
        "INV-000001",
    ]:
        assert needed in text, needed


def test_a_client_pays_their_balance_on_stripes_page_and_the_webhook_agrees(
    open_page, front_desk_user, a_client, therapist, stripe_live
):
    visit = check_in(a_visit_now(a_client, therapist), now=timezone.now())
    issue(Invoice.objects.get(appointment=visit), by=front_desk_user)

    me = open_page(DESKTOP)
    log_in(me, a_client.user.email)
    me.goto("/billing/mine/")
    me.get_by_role("button", name="Pay 113.00 online").click()
    expect(me.get_by_text("Pay 113.00 CAD.")).to_be_visible()
    me.get_by_role("button", name="Pay with card ending 4242").click()

    expect(me.get_by_text("Thank you: 113.00 paid.")).to_be_visible()
    expect(me.locator("#balance")).to_have_text("0.00")
    assert serious_violations(me) == []
    [payment] = Payment.objects.all()
    assert (payment.amount, payment.reference) == (Decimal("113.00"), "pi_fake_1")
    assert GatewayEvent.objects.filter(type="checkout.session.completed").count() == 1


def test_online_booking_asks_for_a_card_on_stripes_page_then_books_the_same_time(
    open_page, a_client, therapist, stripe_live
):

    clinic = ClinicSettings.load()
    clinic.require_card_for_online_booking = True
    clinic.save()
    working_every_day(therapist, RoomFactory(name="Willow"))
    service = ServiceFactory(name="Gluteal release 60 min", duration_minutes=60)
    me = open_page(DESKTOP)
    log_in(me, a_client.user.email)
    me.goto(book_url(service, therapist, today() + timedelta(days=2)))
    me.get_by_role("button", name="Book this visit").click()
    expect(me.get_by_role("heading", name="A card on file")).to_be_visible()
    assert serious_violations(me) == []
    me.get_by_role("button", name="Add a card with Stripe").click()
    me.get_by_role("button", name="Save card ending 4242").click()
    expect(me.get_by_text("Visa •••• 4242 is on file.")).to_be_visible()
    me.get_by_role("button", name="Confirm the booking").click()
    expect(me.get_by_role("heading", name="You are booked")).to_be_visible()
    expect(me.get_by_text("10:00")).to_be_visible()
