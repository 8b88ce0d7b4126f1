"""A client pays their balance online through a Stripe-hosted page: recorded once whichever of
the return and the webhook comes first; paid twice (two tabs), the extra is flagged for refund."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.billing.invoices import issue
from clinic.billing.models import Invoice, Overpayment, OverpaymentRefund, Payment
from clinic.billing.payments import client_balance, due_on
from tests.billing.online_fixtures import deliver, stripe_on, through_stripe
from tests.factories import ClientWithLoginFactory

pytestmark = pytest.mark.django_db
__all__ = ["stripe_on"]

MINE = "/billing/mine/"
PAY = "/billing/mine/pay/"


@pytest.fixture
def owed(checked_in, front_desk_user):
    """Two issued visits of 113.00 each, nothing paid."""
    now = timezone.now().replace(microsecond=0)
    visits = [checked_in(starts_at=now - timedelta(hours=h)) for h in (3, 0)]
    return [issue(Invoice.objects.get(appointment=v), by=front_desk_user) for v in visits]


def test_a_client_pays_their_whole_balance_on_stripes_page(client_as, a_client, owed, stripe_on):
    http = client_as(Role.CLIENT)
    assert "Pay 226.00 online" in http.get(MINE).content.decode()
    back = through_stripe(stripe_on, http.post(PAY))
    page = http.get(back, follow=True).content.decode()
    assert "Thank you: 226.00 paid." in page
    assert [due_on(i) for i in owed] == [Decimal("0.00"), Decimal("0.00")]
    assert {p.reference for p in Payment.objects.all()} == {"pi_fake_1"}
    assert client_balance(a_client) == Decimal("0.00")
    [session] = stripe_on.sessions.values()
    assert session["amount_total"] == 22600 and session["mode"] == "payment"


def test_the_webhook_and_the_return_record_the_payment_once(
    client, client_as, a_client, owed, stripe_on
):
    http = client_as(Role.CLIENT)
    back = through_stripe(stripe_on, http.post(PAY))
    [event] = stripe_on.events
    assert deliver(client, event).status_code == 200
    http.get(back)
    http.get(back)
    assert Payment.objects.count() == 2  # one per invoice
    assert not Overpayment.objects.exists()


def test_a_balance_paid_twice_from_two_tabs_is_flagged_for_refund_not_a_negative_balance(
    client, client_as, a_client, owed, stripe_on
):
    http = client_as(Role.CLIENT)
    first, second = http.post(PAY), http.post(PAY)
    for response in (first, second):
        http.get(through_stripe(stripe_on, response))
    [extra] = Overpayment.objects.all()
    assert extra.amount == Decimal("226.00")
    assert client_balance(a_client) == Decimal("0.00")
    page = http.get(MINE).content.decode()
    assert "You paid 226.00 more than you owed online; the clinic will refund it." in page


def test_nothing_to_pay_is_said_and_sends_nobody_to_stripe(client_as, a_client, stripe_on):
    response = client_as(Role.CLIENT).post(PAY, follow=True)
    assert "There is nothing to pay." in response.content.decode()
    assert stripe_on.sessions == {}


def test_someone_elses_payment_session_is_not_recorded_for_this_client(
    client_as, a_client, owed, stripe_on
):

    http = client_as(Role.CLIENT)
    back = through_stripe(stripe_on, http.post(PAY))
    http.force_login(ClientWithLoginFactory(email="other@tranquil.test").user)
    assert http.get(back).status_code == 404
    assert not Payment.objects.exists()


def test_without_a_gateway_there_is_no_online_payment(client_as, a_client, owed, settings):
    settings.PAYMENT_GATEWAY = "manual"
    http = client_as(Role.CLIENT)
    assert "Pay online" not in http.get(MINE).content.decode()
    assert "This clinic takes no cards online." in http.post(PAY, follow=True).content.decode()


def test_the_desk_refunds_an_overpayment_to_the_card_once_and_the_flag_goes(
    client_as, a_client, owed, stripe_on
):

    http = client_as(Role.CLIENT)
    for response in (http.post(PAY), http.post(PAY)):
        http.get(through_stripe(stripe_on, response))
    extra = Overpayment.objects.get()
    desk = client_as(Role.FRONT_DESK)
    checkout = f"/billing/visits/{owed[0].appointment_id}/checkout/"
    assert "Refund 226.00 to the card" in desk.get(checkout).content.decode()
    for _ in range(2):
        desk.post(checkout, {"action": "refund_overpayment", "overpayment": extra.pk})
    [refund] = [r for r in stripe_on.requests if r["path"] == "/v1/refunds"]
    assert refund["form"] == {"payment_intent": extra.reference, "amount": "22600"}
    assert OverpaymentRefund.objects.get().reference.startswith("re_fake_")
    assert "Refund 226.00 to the card" not in desk.get(checkout).content.decode()
    assert "more than you owed" not in client_as(Role.CLIENT).get(MINE).content.decode()


def test_refunding_an_unknown_overpayment_is_a_400(client_as, a_client, owed, stripe_on):
    checkout = f"/billing/visits/{owed[0].appointment_id}/checkout/"
    response = client_as(Role.FRONT_DESK).post(
        checkout, {"action": "refund_overpayment", "overpayment": "nope"}
    )
    assert response.status_code == 400
    assert "No such overpayment to refund." in response.content.decode()
