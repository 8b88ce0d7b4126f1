"""Card payments through the gateway: the real `stripe` library against a local fake."""

from decimal import Decimal

import pytest

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
