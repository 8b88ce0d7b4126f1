"""A client's card on file through a Stripe-hosted page, and the desk charging it at checkout."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.billing.invoices import issue
from clinic.billing.models import CardOnFile, Invoice, Payment
from clinic.booking.booking import mark_no_show
from tests.billing.online_fixtures import deliver, stripe_on, through_stripe
from tests.factories import ClientWithLoginFactory

pytestmark = pytest.mark.django_db
__all__ = ["stripe_on"]

MY_CARD = "/billing/mine/card/"


def add_card(http, fake, card="4242"):
    return http.get(through_stripe(fake, http.post(MY_CARD, {"action": "add"}), card))


def test_a_client_keeps_a_card_on_file_through_stripes_page(client_as, a_client, stripe_on):
    http = client_as(Role.CLIENT)
    assert "No card on file" in http.get(MY_CARD).content.decode()
    response = add_card(http, stripe_on)
    assert response.status_code == 302 and response.url == MY_CARD
    card = CardOnFile.objects.get(client=a_client)
    assert (card.label, card.expiry, card.payment_method) == (
        "Visa •••• 4242",
        "12/2034",
        "pm_card_visa",
    )
    assert card.customer.startswith("cus_fake_")
    assert "Visa •••• 4242" in http.get(MY_CARD).content.decode()
    assert AuditEvent.objects.filter(object_type="billing.cardonfile").count() == 1


def test_the_webhooks_for_the_same_card_add_nothing(client, client_as, a_client, stripe_on):
    add_card(client_as(Role.CLIENT), stripe_on)
    assert [e["type"] for e in stripe_on.events] == [
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]
    for event in stripe_on.events * 2:
        assert deliver(client, event).status_code == 200
    assert CardOnFile.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="billing.cardonfile").count() == 1


@pytest.mark.parametrize("kind", ["setup_intent.succeeded", "checkout.session.completed"])
def test_either_webhook_alone_keeps_the_card_when_the_client_never_comes_back(
    client, client_as, a_client, stripe_on, kind
):
    response = client_as(Role.CLIENT).post(MY_CARD, {"action": "add"})
    through_stripe(stripe_on, response)  # the tab is closed before the redirect back
    [event] = [e for e in stripe_on.events if e["type"] == kind]
    assert deliver(client, event).status_code == 200
    assert CardOnFile.objects.get(client=a_client).label == "Visa •••• 4242"


def test_a_client_replaces_then_removes_their_card(client_as, a_client, stripe_on):
    http = client_as(Role.CLIENT)
    add_card(http, stripe_on)
    add_card(http, stripe_on, card="0341")
    card = CardOnFile.objects.get(client=a_client)
    assert card.last4 == "0341"
    http.post(MY_CARD, {"action": "remove"})
    assert not CardOnFile.objects.exists()
    assert "No card on file" in http.get(MY_CARD).content.decode()


def test_a_session_of_another_client_is_not_kept(client_as, a_client, stripe_on):

    http = client_as(Role.CLIENT)
    back = through_stripe(stripe_on, http.post(MY_CARD, {"action": "add"}))
    other = ClientWithLoginFactory(email="other@tranquil.test")
    http.force_login(other.user)
    response = http.get(back, follow=True)
    assert "belongs to someone else" in response.content.decode()
    assert not CardOnFile.objects.exists()


def test_an_unknown_session_on_the_way_back_is_a_clear_message(client_as, a_client, stripe_on):
    response = client_as(Role.CLIENT).get(f"{MY_CARD}saved/?session_id=cs_nope", follow=True)
    assert "Stripe does not know that card setup" in response.content.decode()


def test_without_a_gateway_the_card_page_says_the_clinic_takes_cards_at_the_desk(
    client_as, a_client, settings
):
    settings.PAYMENT_GATEWAY = "manual"
    page = client_as(Role.CLIENT).get(MY_CARD).content.decode()
    assert "takes cards at the desk only" in page


@pytest.fixture
def issued_with_card(checked_in, front_desk_user, client_as, stripe_on):
    def make(card="4242"):
        add_card(client_as(Role.CLIENT), stripe_on, card)
        visit = checked_in()
        return visit, issue(Invoice.objects.get(appointment=visit), by=front_desk_user)

    return make


def charge(http, visit, amount="113.00", key="k1"):
    return http.post(
        reverse("billing-checkout", args=[visit.pk]),
        {"action": "charge", "amount": amount, "key": key},
    )


def test_the_desk_charges_the_card_on_file_once_even_on_a_double_submit(
    client_as, issued_with_card, stripe_on
):
    visit, invoice = issued_with_card()
    http = client_as(Role.FRONT_DESK)
    page = http.get(reverse("billing-checkout", args=[visit.pk])).content.decode()
    assert "Charge card on file (Visa •••• 4242)" in page
    for _ in range(2):
        assert charge(http, visit).status_code == 302
    [payment] = Payment.objects.filter(invoice=invoice)
    assert (payment.method, payment.amount, payment.reference) == (
        "credit",
        Decimal("113.00"),
        "pi_fake_1",
    )
    [sent] = [r for r in stripe_on.requests if r["path"] == "/v1/payment_intents"]
    assert sent["form"]["off_session"] == "true" and sent["form"]["confirm"] == "true"
    assert sent["form"]["customer"].startswith("cus_fake_")
    assert stripe_on.charges == 1


def test_a_declined_card_on_file_is_a_clear_message_and_records_nothing(
    client_as, issued_with_card
):
    visit, invoice = issued_with_card(card="0341")
    response = charge(client_as(Role.FRONT_DESK), visit)
    assert response.status_code == 400
    assert "The card was not charged: Your card was declined." in response.content.decode()
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_an_unreadable_charge_is_a_400_that_charges_nothing(client_as, issued_with_card, stripe_on):
    visit, _ = issued_with_card()
    assert charge(client_as(Role.FRONT_DESK), visit, amount="lots").status_code == 400
    assert stripe_on.charges == 0


def test_no_charge_button_without_a_card_on_file(client_as, checked_in, front_desk_user, stripe_on):
    visit = checked_in()
    issue(Invoice.objects.get(appointment=visit), by=front_desk_user)
    page = client_as(Role.FRONT_DESK).get(reverse("billing-checkout", args=[visit.pk]))
    assert "Charge card on file" not in page.content.decode()
    assert charge(client_as(Role.FRONT_DESK), visit).status_code == 400


def test_a_no_show_fee_is_charged_to_the_card_on_file(
    client_as, make_visit, front_desk_user, stripe_on
):

    add_card(client_as(Role.CLIENT), stripe_on)
    visit = make_visit()
    mark_no_show(visit, now=visit.starts_at + timedelta(minutes=20))
    invoice = issue(Invoice.objects.get(appointment=visit), by=front_desk_user)
    assert invoice.total == Decimal("45.20")  # the 40.00 fee and its tax
    http = client_as(Role.FRONT_DESK)
    assert charge(http, visit, amount="45.20").status_code == 302
    assert Payment.objects.get(invoice=invoice).reference == "pi_fake_1"
