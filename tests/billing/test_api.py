"""The billing API: invoices, payments (idempotent), refunds, receipts, billing status."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.billing.invoices import issue
from clinic.billing.models import Invoice, Payment
from clinic.core.clinic_time import clinic_zone, local_date
from clinic.reports.period import Period
from clinic.reports.revenue import revenue_rows
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(checked_in, front_desk_user):
    return issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)


def post(http, url, data):
    return http.post(url, data, content_type="application/json")


def test_the_desk_records_a_payment_once_per_key(client_as, issued):
    desk = client_as(Role.FRONT_DESK)
    body = {"invoice": issued.pk, "method": "debit", "amount": "113.00", "idempotency_key": "a1"}
    first = post(desk, reverse("api-payments"), body)
    again = post(desk, reverse("api-payments"), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Payment.objects.count() == 1


def test_an_overpayment_is_a_400_with_its_rule_code(client_as, issued):
    body = {"invoice": issued.pk, "method": "cash", "amount": "200.00", "idempotency_key": "a"}
    response = post(client_as(Role.FRONT_DESK), reverse("api-payments"), body)
    assert response.status_code == 400 and response.json()["code"] == "OVERPAYMENT"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"invoice": "x", "method": "cash", "amount": "1", "idempotency_key": "k"},
        {"invoice": 1, "method": "bitcoin", "amount": "1", "idempotency_key": "k"},
        {"invoice": 1, "method": "cash", "amount": "-5", "idempotency_key": "k"},
        {"invoice": 1, "method": "cash", "amount": "1e400", "idempotency_key": "k"},
    ],
)
def test_bad_payment_input_is_a_400(client_as, issued, body):
    assert post(client_as(Role.FRONT_DESK), reverse("api-payments"), body).status_code == 400
    assert not Payment.objects.exists()


def test_a_refund_through_the_api(client_as, issued):
    desk = client_as(Role.FRONT_DESK)
    body = {"invoice": issued.pk, "method": "credit", "amount": "113.00", "idempotency_key": "p"}
    payment = post(desk, reverse("api-payments"), body).json()
    url = reverse("api-payment-refunds", args=[payment["id"]])
    made = post(desk, url, {"amount": "13.00", "reason": "goodwill", "idempotency_key": "r"})
    assert made.status_code == 201 and made.json()["amount"] == "13.00"


def test_a_client_lists_only_their_own_invoices(client_as, issued, checked_in, front_desk_user):
    other_visit = checked_in(client=ClientFactory(), therapist=TherapistFactory())
    issue(Invoice.objects.get(appointment=other_visit), by=front_desk_user)
    rows = client_as(Role.CLIENT).get(reverse("api-invoices")).json()["results"]
    assert [r["id"] for r in rows] == [issued.pk]
    assert rows[0]["total"] == "113.00"


def test_a_therapist_sees_the_billing_status_of_their_own_visit_only(client_as, issued):
    url = reverse("api-appointment-billing-status", args=[issued.appointment_id])
    mine = client_as(Role.THERAPIST).get(url)
    assert mine.status_code == 200 and mine.json()["status"] == "Invoice INV-000001: payment owing"
    other = client_as(Role.THERAPIST)
    other.force_login(TherapistFactory().user)
    assert other.get(url).status_code == 403


def test_a_credit_note_through_the_api(client_as, issued):
    url = reverse("api-invoice-credit", args=[issued.pk])
    made = post(client_as(Role.CLINIC_ADMIN), url, {"reason": "Wrong service"})
    assert made.status_code == 201 and made.json()["total"] == "-113.00"


def test_the_schema_lists_the_billing_endpoints(client_as):
    schema = client_as(Role.CLINIC_ADMIN).get(reverse("api-schema"), {"format": "json"}).json()
    for path in [
        "/api/invoices/",
        "/api/payments/",
        "/api/payments/{id}/refunds/",
        "/api/invoices/{id}/receipt/",
    ]:
        assert path in schema["paths"], path


def test_revenue_reaches_the_reports(issued, therapist):
    day = local_date(issued.issued_at)
    [row] = revenue_rows(Period(day, day, clinic_zone()))
    assert (row["invoices"], row["net"], row["tax"], row["gross"]) == (
        1,
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    assert row["therapist"] == therapist.name
