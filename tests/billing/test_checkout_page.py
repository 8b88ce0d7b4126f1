"""The checkout screen at the desk: invoice, split payment, double submit, refusals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.billing.models import Invoice, InvoiceStatus, Payment

pytestmark = pytest.mark.django_db


def pay_form(key, *rows):
    data = {
        "action": "pay",
        "key": key,
        "pay-TOTAL_FORMS": "3",
        "pay-INITIAL_FORMS": "0",
        "pay-MIN_NUM_FORMS": "0",
        "pay-MAX_NUM_FORMS": "3",
    }
    for i, (method, amount) in enumerate(rows):
        data[f"pay-{i}-method"] = method
        data[f"pay-{i}-amount"] = amount
    return data


def test_the_desk_sees_the_draft_invoice_with_its_tax(client_as, checked_in):
    visit = checked_in()
    page = client_as(Role.FRONT_DESK).get(reverse("billing-checkout", args=[visit.pk]))
    assert page.status_code == 200
    assert "Draft invoice" in page.text and "113.00" in page.text


def test_a_split_payment_issues_the_invoice_and_settles_it(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    desk = client_as(Role.FRONT_DESK)
    response = desk.post(url, pay_form("abc", ("insurer", "80.00"), ("credit", "33.00")))
    assert response.status_code == 302
    invoice = Invoice.objects.get(appointment=visit)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.number == 1
    assert sorted(Payment.objects.values_list("payer", "amount")) == [
        ("client", Decimal("33.00")),
        ("insurer", Decimal("80.00")),
    ]
    page = desk.get(url)
    assert "INV-000001" in page.text and 'id="due">0.00<' in page.text


def test_a_double_submitted_checkout_records_each_payment_once(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    desk = client_as(Role.FRONT_DESK)
    form = pay_form("same", ("cash", "113.00"))
    assert desk.post(url, form).status_code == 302
    assert desk.post(url, form).status_code == 302
    assert Payment.objects.count() == 1


def test_paying_more_than_owed_is_refused_and_nothing_is_issued(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    response = client_as(Role.FRONT_DESK).post(url, pay_form("k", ("cash", "500")))
    assert response.status_code == 400 and "more than" in response.text
    assert Invoice.objects.get(appointment=visit).status == InvoiceStatus.DRAFT
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "pay", "key": "k"},  # no management form
        {"action": "explode"},
        {"action": "discount", "line": "x", "discount": "ten"},
        {"action": "waive", "line": "1", "reason": ""},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(client_as, checked_in, data):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    assert client_as(Role.FRONT_DESK).post(url, data).status_code == 400
    assert Invoice.objects.get(appointment=visit).status == InvoiceStatus.DRAFT


def test_a_discount_from_the_page_lowers_the_total(client_as, checked_in):
    visit = checked_in()
    line = Invoice.objects.get(appointment=visit).lines.get()
    url = reverse("billing-checkout", args=[visit.pk])
    client_as(Role.FRONT_DESK).post(url, {"action": "discount", "line": line.pk, "discount": "10"})
    line.refresh_from_db()
    assert line.net + line.tax == Decimal("101.70")


def test_a_therapist_sees_their_visits_billing_status_without_amounts(client_as, checked_in):
    visit = checked_in()
    page = client_as(Role.THERAPIST).get(reverse("booking-appointment", args=[visit.pk]))
    assert "Invoice drafted, not issued" in page.text
    assert "113.00" not in page.text and "Checkout" not in page.text


def test_the_checkout_page_reads_a_fixed_number_of_queries(
    client_as, checked_in, django_assert_max_num_queries
):
    visit = checked_in()
    desk = client_as(Role.FRONT_DESK)
    url = reverse("billing-checkout", args=[visit.pk])
    desk.post(url, pay_form("k", *[("cash", "30.00")] * 3))
    # One more than before insurer claims: the invoice's claims are read with it.
    with django_assert_max_num_queries(15):
        assert desk.get(url).status_code == 200


def test_the_desk_refunds_part_of_a_payment_once(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    desk = client_as(Role.FRONT_DESK)
    desk.post(url, pay_form("k", ("credit", "113.00")))
    payment = Payment.objects.get()
    form = {
        "action": "refund",
        "payment": payment.pk,
        "amount": "13.00",
        "reason": "goodwill",
        "key": "k-r1",
    }
    assert desk.post(url, form).status_code == 302
    assert desk.post(url, form).status_code == 302
    assert payment.refunds.count() == 1
    assert 'id="due">13.00<' in desk.get(url).text


def test_the_desk_credits_an_issued_invoice_with_a_reason(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    desk = client_as(Role.FRONT_DESK)
    desk.post(url, pay_form("k", ("cash", "10.00")))
    assert desk.post(url, {"action": "credit", "reason": ""}).status_code == 400
    assert desk.post(url, {"action": "credit", "reason": "Wrong service"}).status_code == 302
    assert "CN-000001" in desk.get(url).text
