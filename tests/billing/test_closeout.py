"""The day's close-out and the accountant's CSV export."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.billing.checkout import Tender, checkout
from clinic.billing.closeout import close_out, outstanding_invoices
from clinic.billing.invoices import credit_note, issue
from clinic.billing.models import Invoice, Overpayment, OverpaymentRefund, PaymentMethod
from clinic.billing.payments import refund
from clinic.core.clinic_time import today
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_visits(checked_in, front_desk_user):
    """Three visits: one paid by split, one half paid, one credited."""
    invoices = [
        Invoice.objects.get(
            appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
        )
        for _ in range(3)
    ]
    checkout(
        invoices[0],
        tenders=[
            Tender(PaymentMethod.INSURER, Decimal("80.00")),
            Tender(PaymentMethod.CASH, Decimal("33.00")),
        ],
        idempotency_key="a",
        by=front_desk_user,
    )
    _, [half] = checkout(
        invoices[1],
        tenders=[Tender(PaymentMethod.DEBIT, Decimal("50.00"))],
        idempotency_key="b",
        by=front_desk_user,
    )
    refund(payment=half, amount=Decimal("5.00"), reason="=cmd|x", idempotency_key="r", by=None)
    credit_note(issue(invoices[2], by=front_desk_user), reason="Booked twice", by=front_desk_user)
    return invoices


def test_close_out_totals_the_day_by_method_and_insurer(day_of_visits):
    report = close_out(today())
    assert {r["method"]: r["total"] for r in report.by_method} == {
        "insurer": Decimal("80.00"),
        "cash": Decimal("33.00"),
        "debit": Decimal("50.00"),
    }
    assert (report.refunds, report.taken, report.insurers) == (
        Decimal("5.00"),
        Decimal("158.00"),
        Decimal("80.00"),
    )


def test_only_invoices_still_owed_are_outstanding(day_of_visits):
    [owed] = outstanding_invoices()
    assert owed.pk == day_of_visits[1].pk and owed.due == Decimal("68.00")


def test_the_close_out_page_reads_a_fixed_number_of_queries(
    client_as, day_of_visits, django_assert_max_num_queries
):
    desk = client_as(Role.FRONT_DESK)
    with django_assert_max_num_queries(12):
        page = desk.get(reverse("billing-close-out"))
    assert 'id="taken">158.00<' in page.text


def test_the_export_has_a_row_per_line_payment_and_refund(client_as, day_of_visits):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("billing-export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    kinds = [r["type"] for r in rows]
    assert kinds.count("line") == 4  # three invoices and one credit note, one line each
    assert kinds.count("payment") == 3 and kinds.count("refund") == 1
    assert [r["description"] for r in rows if r["type"] == "refund"] == ["'=cmd|x"]


@pytest.mark.parametrize(
    "query",
    ["?date=yesterday", "?date=2026-13-01"],
)
def test_a_bad_close_out_date_is_a_400(client_as, query):
    assert client_as(Role.FRONT_DESK).get(reverse("billing-close-out") + query).status_code == 400


@pytest.mark.parametrize(
    "query",
    ["?start=2026-02-01&end=2026-01-01", "?start=2020-01-01&end=2026-01-01", "?end=x"],
)
def test_a_bad_export_period_is_a_400(client_as, query):
    assert client_as(Role.FRONT_DESK).get(reverse("billing-export") + query).status_code == 400


@pytest.fixture
def overpaid(day_of_visits):
    """Two balances paid twice online (the rows the webhook writes), one already given back."""
    client = day_of_visits[1].client
    kept, given_back = (
        Overpayment.objects.create(
            client=client, amount=amount, reference=f"pi_fake_{n}", idempotency_key=f"over-{n}"
        )
        for n, amount in enumerate([Decimal("30.00"), Decimal("12.00")])
    )
    OverpaymentRefund.objects.create(overpayment=given_back, reference="re_fake_1")
    return kept, given_back


def test_money_paid_online_above_the_balance_is_taken_and_its_refund_refunded(overpaid):
    report = close_out(today())
    [online] = [r for r in report.by_method if r["method"] == "credit_online"]
    assert (online["label"], online["count"], online["total"]) == (
        "Credit card (online, above the balance)",
        2,
        Decimal("42.00"),
    )
    # 163 in payments + 42 online, less 5 refunded on a payment and 12 given back online.
    assert (report.refunds, report.taken) == (Decimal("17.00"), Decimal("188.00"))
    assert report.by_therapist[-1] == {"name": "Unassigned", "total": Decimal("42.00")}


def test_the_close_out_page_shows_overpayments_in_a_fixed_number_of_queries(
    client_as, overpaid, django_assert_max_num_queries
):
    desk = client_as(Role.FRONT_DESK)
    desk.get(reverse("billing-close-out"))  # warm the settings cache
    with django_assert_max_num_queries(12):
        page = desk.get(reverse("billing-close-out"))
    assert 'id="taken">188.00<' in page.text
    assert "<td>Credit card (online, above the balance)</td><td>2</td><td>42.00</td>" in page.text
    assert "<td>Unassigned</td><td>42.00</td>" in page.text


def test_the_export_has_a_row_per_overpayment_and_per_overpayment_refund(client_as, overpaid):
    response = client_as(Role.CLINIC_ADMIN).get(reverse("billing-export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    online = [
        (r["type"], r["document"], r["client"], r["method"], r["amount"], r["currency"])
        for r in rows
        if r["type"].startswith("overpayment")
    ]
    name = overpaid[0].client.full_name
    assert online == [
        ("overpayment", "pi_fake_0", name, "credit", "30.00", "CAD"),
        ("overpayment", "pi_fake_1", name, "credit", "12.00", "CAD"),
        ("overpayment_refund", "pi_fake_1", name, "credit", "-12.00", "CAD"),
    ]
