"""Payments and refunds: split, idempotent, never more than owed, append-only, audited."""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connections, transaction

from clinic.audit.models import AuditEvent
from clinic.billing.invoices import BillingError, credit_note, issue
from clinic.billing.models import Invoice, Payment, PaymentMethod
from clinic.billing.payments import client_balance, due_on, record_payment, refund


@pytest.fixture
def issued(checked_in, front_desk_user):
    return issue(Invoice.objects.get(appointment=checked_in()), by=front_desk_user)


def pay(invoice, amount, key, by, method=PaymentMethod.CASH, **kwargs):
    return record_payment(
        invoice=invoice, method=method, amount=Decimal(amount), idempotency_key=key, by=by, **kwargs
    )


@pytest.mark.django_db
def test_a_split_payment_settles_the_invoice(issued, front_desk_user, a_client):
    pay(issued, "80.00", "k1", front_desk_user, PaymentMethod.INSURER, payer="insurer")
    pay(issued, "33.00", "k2", front_desk_user, PaymentMethod.DEBIT)
    assert due_on(issued) == Decimal("0.00")
    assert client_balance(a_client) == Decimal("0.00")


@pytest.mark.django_db
def test_a_double_submitted_payment_is_recorded_once(issued, front_desk_user):
    first = pay(issued, "113.00", "same-key", front_desk_user)
    again = pay(issued, "113.00", "same-key", front_desk_user)
    assert again.pk == first.pk
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="billing.payment").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_payment_submitted_twice_at_once_is_recorded_once(issued, front_desk_user):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=30)
            results.append(pay(issued, "113.00", "racing-key", front_desk_user).pk)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(results)) == 1 and Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_amount_is_refused(issued, front_desk_user):
    pay(issued, "10.00", "k", front_desk_user)
    with pytest.raises(BillingError) as refused:
        pay(issued, "20.00", "k", front_desk_user)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED" and refused.value.status == 409


@pytest.mark.django_db
def test_a_payment_above_what_is_owed_is_refused(issued, front_desk_user):
    with pytest.raises(BillingError) as refused:
        pay(issued, "113.01", "k", front_desk_user)
    assert refused.value.code == "OVERPAYMENT"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_draft_invoice_takes_no_payment(checked_in, front_desk_user):
    draft = Invoice.objects.get(appointment=checked_in())
    with pytest.raises(BillingError) as refused:
        pay(draft, "10.00", "k", front_desk_user)
    assert refused.value.code == "NOT_ISSUED"


@pytest.mark.django_db
def test_a_refund_gives_back_part_of_a_payment_and_never_more(issued, front_desk_user, a_client):
    payment = pay(issued, "113.00", "k", front_desk_user, PaymentMethod.CREDIT)
    refund(
        payment=payment,
        amount=Decimal("13.00"),
        reason="goodwill",
        idempotency_key="r1",
        by=front_desk_user,
    )
    assert client_balance(a_client) == Decimal("13.00")
    with pytest.raises(BillingError) as refused:
        refund(
            payment=payment,
            amount=Decimal("100.01"),
            reason="x",
            idempotency_key="r2",
            by=front_desk_user,
        )
    assert refused.value.code == "OVER_REFUND"


@pytest.mark.django_db
def test_a_credited_invoice_leaves_the_client_in_credit(issued, front_desk_user, a_client):
    pay(issued, "113.00", "k", front_desk_user)
    credit_note(issued, reason="Wrong service", by=front_desk_user)
    assert client_balance(a_client) == Decimal("-113.00")
    assert due_on(issued) == Decimal("-113.00")


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_a_payment(issued, front_desk_user):
    payment = pay(issued, "113.00", "k", front_desk_user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).delete()


@pytest.mark.django_db
def test_every_money_change_writes_an_audit_row(issued, front_desk_user):
    payment = pay(issued, "113.00", "k", front_desk_user)
    refund(
        payment=payment, amount=Decimal("1"), reason="r", idempotency_key="r", by=front_desk_user
    )
    kinds = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {
        ("billing.invoice", "create"),
        ("billing.invoice", "update"),
        ("billing.payment", "create"),
        ("billing.refund", "create"),
    } <= kinds
