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
from clinic.billing.models import Invoice, PaymentMethod
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
