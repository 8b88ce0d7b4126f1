"""Partial credit notes: chosen lines and/or an amount of an issued invoice, never more than is
left uncredited, numbered without gaps, audited; balances, receipts and statements follow."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.billing.credit import left_to_credit, partial_credit_note
from clinic.billing.invoices import BillingError, credit_note, issue
from clinic.billing.models import Invoice, InvoiceLine, NumberSeries
from clinic.billing.payments import client_balance, due_on
from clinic.billing.receipts import receipt_pdf, statement_pdf
from clinic.core.clinic_time import today
from tests.billing.racing import at_once
from tests.billing.test_receipts import pdf_text
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two_lines(checked_in, front_desk_user):
    """An issued invoice: the massage (100.00 + 13.00) and a 30.00 + 3.90 fee line."""
    draft = Invoice.objects.get(appointment=checked_in())
    InvoiceLine.objects.create(
        invoice=draft,
        kind="late_cancel_fee",
        description="Late cancellation fee",
        unit_price=D("30.00"),
        tax_rate=D("13.00"),
        net=D("30.00"),
        tax=D("3.90"),
    )
    return issue(draft, by=front_desk_user)


def lines_of(invoice):
    return list(invoice.lines.order_by("id"))


def test_an_amount_is_credited_with_its_tax_and_the_balances_follow(
    two_lines, front_desk_user, a_client
):
    note = partial_credit_note(two_lines, amount=D("20.00"), reason="Short visit", by=None)
    assert note.kind == NumberSeries.CREDIT_NOTE and note.label == "CN-000001"
    assert (note.subtotal, note.tax, note.total) == (D("-17.70"), D("-2.30"), D("-20.00"))
    assert note.corrects == two_lines
    assert due_on(two_lines) == D("126.90")
    assert client_balance(a_client) == D("126.90")
    assert left_to_credit(two_lines) == D("126.90")


def test_chosen_lines_are_credited_in_full_and_only_once(two_lines, front_desk_user):
    _service, fee = lines_of(two_lines)
    note = partial_credit_note(two_lines, line_ids=[fee.pk], reason="Fee waived", by=None)
    assert note.total == D("-33.90")
    assert note.lines.get().credits == fee
    with pytest.raises(BillingError) as refused:
        partial_credit_note(two_lines, line_ids=[fee.pk], reason="again", by=None)
    assert refused.value.code == "NOTHING_LEFT_TO_CREDIT"


def test_an_amount_over_chosen_lines_takes_each_in_order(two_lines):
    service, fee = lines_of(two_lines)
    note = partial_credit_note(
        two_lines, line_ids=[fee.pk, service.pk], amount=D("120.00"), reason="Goodwill", by=None
    )
    taken = {line.credits_id: line.net + line.tax for line in note.lines.all()}
    assert taken == {service.pk: D("-113.00"), fee.pk: D("-7.00")}


def test_never_more_than_is_left_and_pieces_add_up_exactly(two_lines, front_desk_user):
    partial_credit_note(two_lines, amount=D("0.07"), reason="a", by=None)
    partial_credit_note(two_lines, amount=D("10.01"), reason="b", by=None)
    left = left_to_credit(two_lines)
    with pytest.raises(BillingError) as refused:
        partial_credit_note(two_lines, amount=left + D("0.01"), reason="c", by=None)
    assert refused.value.code == "CREDIT_OVER_LEFT" and refused.value.status == 400
    partial_credit_note(two_lines, amount=left, reason="the rest", by=None)
    notes = Invoice.objects.filter(corrects=two_lines)
    # Numbers run on without a gap: the refusal took none.
    assert sorted(notes.values_list("number", flat=True)) == [1, 2, 3]
    assert sum(n.subtotal for n in notes) == -two_lines.subtotal
    assert sum(n.tax for n in notes) == -two_lines.tax
    assert due_on(two_lines) == D("0.00")
    with pytest.raises(BillingError) as refused:
        credit_note(two_lines, reason="all", by=front_desk_user)
    assert refused.value.code == "ALREADY_CREDITED"


def test_refusals_name_their_rule(two_lines, checked_in, front_desk_user):
    other = issue(
        Invoice.objects.get(
            appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
        ),
        by=front_desk_user,
    )
    cases = [
        ({"line_ids": [lines_of(other)[0].pk], "reason": "x"}, "NO_SUCH_LINE"),
        ({"amount": D("0"), "reason": "x"}, "BAD_AMOUNT"),
        ({"amount": D("1"), "reason": " "}, "CREDIT_NEEDS_REASON"),
    ]
    for kwargs, code in cases:
        with pytest.raises(BillingError) as refused:
            partial_credit_note(two_lines, by=None, **kwargs)
        assert refused.value.code == code
    note = credit_note(other, reason="x", by=None)
    with pytest.raises(BillingError) as refused:
        partial_credit_note(note, amount=D("1"), reason="x", by=None)
    assert refused.value.code == "NOT_CREDITABLE"
    assert Invoice.objects.filter(corrects=two_lines).count() == 0


def test_a_partial_credit_note_is_audited(two_lines, front_desk_user):
    note = partial_credit_note(two_lines, amount=D("20.00"), reason="Short", by=front_desk_user)
    details = AuditEvent.objects.filter(
        object_type="billing.invoice", object_id=str(note.pk)
    ).values_list("detail", flat=True)
    assert f"credits 20.00 of {two_lines.label}: Short" in details
    assert f"issued {note.label} -20.00" in details


def test_the_receipt_and_statement_show_the_credit(two_lines, front_desk_user, tmp_path):
    note = partial_credit_note(two_lines, amount=D("20.00"), reason="Short visit", by=None)
    text = pdf_text(receipt_pdf(two_lines, by=front_desk_user)[0], tmp_path)
    assert "Credit notes" in text and note.label in text and "-20.00" in text
    assert "Short visit" in text
    own = pdf_text(receipt_pdf(note, by=front_desk_user)[0], tmp_path)
    assert f"Credits invoice {two_lines.label}" in own
    statement = pdf_text(statement_pdf(two_lines.client, today().year, by=None), tmp_path)
    assert "Credit note: Short visit" in statement and "-20.00" in statement


def post(http, url, data):
    return http.post(url, data, content_type="application/json")


def test_a_partial_credit_note_through_the_api(client_as, two_lines):
    desk = client_as(Role.FRONT_DESK)
    url = reverse("api-invoice-credit", args=[two_lines.pk])
    fee = lines_of(two_lines)[1]
    made = post(desk, url, {"reason": "Fee waived", "lines": [fee.pk]})
    assert made.status_code == 201 and made.json()["total"] == "-33.90"
    over = post(desk, url, {"reason": "x", "amount": "113.01"})
    assert over.status_code == 400 and over.json()["code"] == "CREDIT_OVER_LEFT"


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "x", "amount": "-1"},
        {"reason": "x", "amount": "1e400"},
        {"reason": "x", "lines": ["a"]},
        {"reason": "x", "lines": [999999]},
        {"reason": "x", "lines": "1"},
        {"amount": "1"},
    ],
)
def test_bad_credit_input_is_a_400(client_as, two_lines, body):
    url = reverse("api-invoice-credit", args=[two_lines.pk])
    assert post(client_as(Role.FRONT_DESK), url, body).status_code == 400
    assert not Invoice.objects.filter(corrects=two_lines).exists()


def test_the_checkout_page_writes_a_partial_credit_note(client_as, two_lines):
    url = reverse("billing-checkout", args=[two_lines.appointment_id])
    desk = client_as(Role.FRONT_DESK)
    form = {"action": "credit_part", "amount": "20.00", "reason": "Short visit"}
    assert desk.post(url, form).status_code == 302
    page = desk.get(url)
    assert "CN-000001: -20.00" in page.text and 'id="due">126.90<' in page.text
    assert "126.90 left to credit" in page.text
    bad = desk.post(url, {"action": "credit_part", "lines": "abc", "reason": "x"})
    assert bad.status_code == 400
    assert Invoice.objects.filter(corrects=two_lines).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_credits_at_once_never_take_more_than_is_left(two_lines):
    def credit():
        return partial_credit_note(two_lines, amount=D("100.00"), reason="r", by=None)

    made, refused = at_once(credit, credit, expected=BillingError)
    assert len(made) == 1 and [e.code for e in refused] == ["CREDIT_OVER_LEFT"]
    assert left_to_credit(two_lines) == D("46.90")
