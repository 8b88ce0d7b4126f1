"""The card-on-file API: who sees a card, removing it, and charging it once per key."""

from decimal import Decimal

import pytest

from clinic.accounts.models import Role
from clinic.billing.invoices import issue
from clinic.billing.models import CardOnFile, Invoice, Payment
from tests.billing.fake_stripe import DECLINED
from tests.billing.online_fixtures import stripe_on
from tests.factories import ClientWithLoginFactory

pytestmark = pytest.mark.django_db
__all__ = ["stripe_on"]


def keep_card(client, payment_method="pm_card_visa", last4="4242"):
    return CardOnFile.objects.create(
        client=client,
        customer="cus_api",
        payment_method=payment_method,
        brand="visa",
        last4=last4,
        exp_month=12,
        exp_year=2034,
    )


def test_the_desk_and_the_client_see_the_card_label_and_no_number(client_as, a_client):
    keep_card(a_client)
    for role in (Role.FRONT_DESK, Role.CLIENT):
        body = client_as(role).get(f"/api/clients/{a_client.pk}/card-on-file/").json()
        assert body["label"] == "Visa •••• 4242" and "payment_method" not in body


def test_a_client_cannot_see_another_clients_card(client_as, a_client):
    other = ClientWithLoginFactory(email="other@tranquil.test")
    keep_card(other)
    assert client_as(Role.CLIENT).get(f"/api/clients/{other.pk}/card-on-file/").status_code == 403


def test_a_client_removes_their_card_through_the_api(client_as, a_client):
    keep_card(a_client)
    http = client_as(Role.CLIENT)
    assert http.delete(f"/api/clients/{a_client.pk}/card-on-file/").status_code == 204
    assert http.get(f"/api/clients/{a_client.pk}/card-on-file/").status_code == 404


@pytest.fixture
def invoice(checked_in, front_desk_user):
    return issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)


def charge(http, invoice, key="api-1"):
    return http.post(
        f"/api/invoices/{invoice.pk}/charge-card/",
        {"amount": "113.00", "idempotency_key": key},
        content_type="application/json",
    )


def test_the_desk_charges_the_card_once_per_key(client_as, a_client, invoice, stripe_on):
    keep_card(a_client)
    http = client_as(Role.FRONT_DESK)
    assert charge(http, invoice).status_code == 201
    repeat = charge(http, invoice)
    assert repeat.status_code == 200 and repeat.json()["amount"] == "113.00"
    assert Payment.objects.count() == 1 and stripe_on.charges == 1


def test_a_declined_card_is_a_402_and_records_nothing(client_as, a_client, invoice, stripe_on):
    keep_card(a_client, payment_method=DECLINED, last4="0341")
    response = charge(client_as(Role.FRONT_DESK), invoice)
    assert response.status_code == 402 and response.json()["code"] == "CARD_DECLINED"
    assert not Payment.objects.exists()


def test_no_card_on_file_is_a_clear_400(client_as, a_client, invoice, stripe_on):
    response = charge(client_as(Role.FRONT_DESK), invoice)
    assert response.status_code == 400 and response.json()["code"] == "NO_CARD_ON_FILE"
    assert Decimal(0) == sum(p.amount for p in Payment.objects.all())
