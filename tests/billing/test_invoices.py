"""Invoices: drafted at check-in, policy fees, discounts, waivers, issue, credit notes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from clinic.audit.models import AuditEvent
from clinic.billing import invoices
from clinic.billing.invoices import BillingError, credit_note, issue, line_amounts, round_money
from clinic.billing.models import Invoice, InvoiceLine, InvoiceStatus, LineKind
from clinic.booking.booking import cancel, mark_no_show
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("price", "discount", "rate", "net", "tax"),
    [
        ("100.00", "0", "13.00", "100.00", "13.00"),
        ("0.50", "0", "13.00", "0.50", "0.07"),  # 0.065 rounds half up
        ("1.50", "0", "5.00", "1.50", "0.08"),  # 0.075 rounds half up
        ("95.00", "10.00", "13.00", "85.00", "11.05"),
        ("80.00", "0", "0", "80.00", "0.00"),
    ],
)
def test_a_line_rounds_its_tax_once_half_up(price, discount, rate, net, tax):
    assert line_amounts(Decimal(price), Decimal(discount), Decimal(rate)) == (
        Decimal(net),
        Decimal(tax),
    )


def test_rounding_is_half_up_not_bankers():
    assert round_money(Decimal("2.125")) == Decimal("2.13")
    assert round_money(Decimal("2.135")) == Decimal("2.14")


def test_checking_a_visit_in_drafts_its_invoice_with_the_service_at_its_price(checked_in):
    visit = checked_in()
    invoice = Invoice.objects.get(appointment=visit)
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    [line] = invoice.lines.all()
    assert (line.kind, line.unit_price, line.tax) == (
        LineKind.SERVICE,
        Decimal("100.00"),
        Decimal("13.00"),
    )
    assert AuditEvent.objects.filter(object_type="billing.invoice", action="create").exists()


def test_a_tax_exempt_service_is_invoiced_without_tax(checked_in, priced_service):
    priced_service.tax_exempt = True
    priced_service.save()
    [line] = Invoice.objects.get(appointment=checked_in()).lines.all()
    assert line.tax == Decimal("0.00")


def test_a_no_show_is_invoiced_the_policy_fee(make_visit):
    visit = make_visit()
    mark_no_show(visit, now=visit.starts_at + timedelta(minutes=20))
    [line] = Invoice.objects.get(appointment=visit).lines.all()
    assert (line.kind, line.unit_price) == (LineKind.NO_SHOW_FEE, Decimal("40.00"))


def test_a_late_cancellation_is_invoiced_the_policy_fee(make_visit):
    visit = make_visit()
    cancel(visit, reason="ill", notify=False, now=visit.starts_at - timedelta(hours=2))
    [line] = Invoice.objects.get(appointment=visit).lines.all()
    assert (line.kind, line.unit_price) == (LineKind.LATE_CANCEL_FEE, Decimal("30.00"))


def test_a_timely_cancellation_is_not_invoiced(make_visit):
    visit = make_visit()
    cancel(visit, reason="ill", notify=False, now=visit.starts_at - timedelta(days=3))
    assert not Invoice.objects.filter(appointment=visit).exists()


def test_no_fee_is_drafted_when_the_clinic_charges_none(make_visit, clinic):
    clinic.no_show_fee = Decimal("0")
    clinic.save()
    visit = make_visit()
    mark_no_show(visit, now=visit.starts_at + timedelta(minutes=20))
    assert not Invoice.objects.filter(appointment=visit).exists()


def test_the_desk_waives_a_fee_with_a_reason_and_it_charges_nothing(make_visit, front_desk_user):
    visit = make_visit()
    mark_no_show(visit, now=visit.starts_at + timedelta(minutes=20))
    invoice = Invoice.objects.get(appointment=visit)
    line = invoice.lines.get()
    with pytest.raises(BillingError):
        invoices.waive_fee(invoice, line_id=line.pk, reason=" ", by=front_desk_user)
    invoices.waive_fee(invoice, line_id=line.pk, reason="Snowstorm", by=front_desk_user)
    line.refresh_from_db()
    assert (line.net, line.tax, line.waived_reason) == (Decimal("0"), Decimal("0"), "Snowstorm")


def test_a_service_line_cannot_be_waived(checked_in, front_desk_user):
    invoice = Invoice.objects.get(appointment=checked_in())
    with pytest.raises(BillingError) as refused:
        invoices.waive_fee(
            invoice, line_id=invoice.lines.get().pk, reason="friend", by=front_desk_user
        )
    assert refused.value.code == "NOT_A_FEE"


def test_a_discount_lowers_the_net_and_the_tax_on_it(checked_in, front_desk_user):
    invoice = Invoice.objects.get(appointment=checked_in())
    line = invoices.set_discount(
        invoice, line_id=invoice.lines.get().pk, discount=Decimal("10"), by=front_desk_user
    )
    assert (line.net, line.tax) == (Decimal("90.00"), Decimal("11.70"))


def test_a_discount_above_the_price_is_refused(checked_in, front_desk_user):
    invoice = Invoice.objects.get(appointment=checked_in())
    with pytest.raises(BillingError):
        invoices.set_discount(
            invoice, line_id=invoice.lines.get().pk, discount=Decimal("101"), by=front_desk_user
        )


def test_issuing_numbers_the_invoice_and_writes_its_totals(checked_in, front_desk_user):
    first = issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)
    second = issue(
        Invoice.objects.get(
            appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
        ),
        by=front_desk_user,
    )
    assert (first.number, second.number) == (1, 2)
    assert (first.subtotal, first.tax, first.total) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    assert first.label == "INV-000001"


def test_an_issued_invoice_cannot_be_issued_or_discounted_again(checked_in, front_desk_user):
    invoice = issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)
    with pytest.raises(BillingError) as refused:
        issue(invoice, by=front_desk_user)
    assert refused.value.code == "INVOICE_ISSUED"


def test_the_database_refuses_to_change_an_issued_invoice(checked_in, front_desk_user):
    invoice = issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).update(net=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.create(
            invoice=invoice, kind="service", description="x", unit_price=1, net=1, tax=0
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).delete()
    invoice.refresh_from_db()
    assert invoice.total == Decimal("113.00")


def test_a_draft_invoice_can_still_change_in_the_database(checked_in):
    invoice = Invoice.objects.get(appointment=checked_in())
    assert InvoiceLine.objects.filter(invoice=invoice).update(discount=Decimal("1.00")) == 1


def test_a_credit_note_takes_back_an_issued_invoice(checked_in, front_desk_user):
    invoice = issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)
    note = credit_note(invoice, reason="Charged twice", by=front_desk_user)
    assert note.corrects == invoice and note.label == "CN-000001"
    assert note.total == Decimal("-113.00")
    with pytest.raises(BillingError) as refused:
        credit_note(invoice, reason="again", by=front_desk_user)
    assert refused.value.code == "ALREADY_CREDITED"
