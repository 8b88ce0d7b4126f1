"""Card payments through the gateway: the real `stripe` library against a local fake."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.billing.gateways import ManualGateway, StripeGateway, charge_card, gateway
from clinic.billing.invoices import BillingError, issue
from clinic.billing.models import Invoice, Payment
from tests.billing.fake_stripe import DECLINED, FakeStripe

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_stripe(settings):
    with FakeStripe() as fake:
        settings.PAYMENT_GATEWAY = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_API_BASE = fake.url
        yield fake


@pytest.fixture
def issued(checked_in, front_desk_user):
    return issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)


def test_a_card_charged_through_stripe_is_recorded_with_its_payment_intent(
    fake_stripe, issued, front_desk_user
):
    payment = charge_card(
        issued,
        amount=Decimal("113.00"),
        payment_method="pm_card_visa",
        idempotency_key="c1",
        by=front_desk_user,
    )
    assert (payment.method, payment.reference, payment.amount) == (
        "credit",
        "pi_fake_1",
        Decimal("113.00"),
    )
    [sent] = fake_stripe.requests
    assert sent["form"]["amount"] == "11300" and sent["form"]["currency"] == "cad"
    assert sent["key"] == "c1"


def test_a_retried_charge_is_one_charge_and_one_payment(fake_stripe, issued, front_desk_user):
    for _ in range(2):
        charge_card(
            issued,
            amount=Decimal("50.00"),
            payment_method="pm_card_visa",
            idempotency_key="same",
            by=front_desk_user,
        )
    assert fake_stripe.charges == 1 and Payment.objects.count() == 1


def test_a_declined_card_records_nothing_and_says_so(fake_stripe, issued, front_desk_user):
    with pytest.raises(BillingError) as refused:
        charge_card(
            issued,
            amount=Decimal("113.00"),
            payment_method=DECLINED,
            idempotency_key="d",
            by=front_desk_user,
        )
    assert refused.value.code == "CARD_DECLINED" and "declined" in refused.value.message
    assert not Payment.objects.exists()


def test_a_charge_above_what_is_owed_never_reaches_stripe(fake_stripe, issued, front_desk_user):
    with pytest.raises(BillingError):
        charge_card(
            issued,
            amount=Decimal("500.00"),
            payment_method="pm_card_visa",
            idempotency_key="o",
            by=front_desk_user,
        )
    assert fake_stripe.requests == []


def test_a_refund_goes_to_stripe_against_the_payment_intent(fake_stripe):
    made = gateway().refund(reference="pi_fake_1", amount=Decimal("13.00"), idempotency_key="r")
    assert made.startswith("re_fake_")
    assert fake_stripe.requests[0]["form"] == {"payment_intent": "pi_fake_1", "amount": "1300"}


def test_without_a_gateway_the_clinic_takes_no_card_online(issued, front_desk_user, settings):
    settings.PAYMENT_GATEWAY = "manual"
    assert isinstance(gateway(), ManualGateway)
    with pytest.raises(BillingError) as refused:
        charge_card(
            issued,
            amount=Decimal("10"),
            payment_method="pm_x",
            idempotency_key="m",
            by=front_desk_user,
        )
    assert refused.value.code == "NO_GATEWAY"


def test_stripe_is_chosen_by_the_setting(fake_stripe):
    assert isinstance(gateway(), StripeGateway)


WEBHOOK_SECRET = "whsec_test_fake"


def signed(payload: dict, secret=WEBHOOK_SECRET, at=None):
    """A body and a Stripe-Signature header as Stripe makes them (HMAC-SHA256 of "t.body")."""
    body = json.dumps(payload)
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, f"t={at},v1={mac}"


def intent_succeeded(event_id, invoice, key, amount=11300):
    return {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_hook_1",
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "metadata": {"invoice": str(invoice.pk), "idempotency_key": key},
            }
        },
    }


def post_webhook(client, body, signature):
    return client.post(
        reverse("billing-stripe-webhook"),
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


def test_a_signed_webhook_records_the_payment_once_however_often_it_comes(
    client, webhook_secret, issued
):
    body, signature = signed(intent_succeeded("evt_1", issued, "hook-key"))
    for _ in range(2):
        assert post_webhook(client, body, signature).status_code == 200
    [payment] = Payment.objects.all()
    assert (payment.reference, payment.amount) == ("pi_hook_1", Decimal("113.00"))


def test_a_webhook_for_a_charge_the_desk_recorded_adds_nothing(
    client, webhook_secret, fake_stripe, issued, front_desk_user
):
    charge_card(
        issued,
        amount=Decimal("113.00"),
        payment_method="pm_card_visa",
        idempotency_key="desk-key",
        by=front_desk_user,
    )
    body, signature = signed(intent_succeeded("evt_2", issued, "desk-key"))
    assert post_webhook(client, body, signature).status_code == 200
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    ["", "t=1,v1=deadbeef", signed({"id": "x"}, secret="whsec_other")[1]],
)
def test_an_unsigned_or_forged_webhook_is_a_400_and_changes_nothing(
    client, webhook_secret, issued, signature
):
    body, _ = signed(intent_succeeded("evt_3", issued, "forged"))
    assert post_webhook(client, body, signature).status_code == 400
    assert not Payment.objects.exists()


def test_a_stale_webhook_is_refused(client, webhook_secret, issued):
    body, signature = signed(intent_succeeded("evt_4", issued, "old"), at=int(time.time()) - 3600)
    assert post_webhook(client, body, signature).status_code == 400
