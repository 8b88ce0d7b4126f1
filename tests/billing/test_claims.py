"""Insurer claims (direct billing): the insurer's part is tracked apart from the client's
until the insurer pays it, pays part of it, or denies it."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.billing.checkout import checkout
from clinic.billing.claims import deny_claim, insurers_owe, record_insurer_payment, submit_claim
from clinic.billing.closeout import export_csv
from clinic.billing.invoices import BillingError
from clinic.billing.models import ClaimStatus, InsurerClaim, Invoice, Payer, PaymentMethod
from clinic.billing.payments import client_balance, client_due_on, due_on, record_payment
from clinic.billing.selectors import visit_billing_status
from clinic.core.clinic_time import today
from tests.billing.racing import at_once
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db
D = Decimal


def claim_on(invoice, amount, key, by=None, insurer="Sun Life"):
    return submit_claim(
        invoice, insurer=insurer, member_id="SL-1", amount=D(amount), idempotency_key=key, by=by
    )


def test_a_pending_claim_is_the_insurers_not_the_clients(claimed, a_client):
    invoice = claimed.invoice
    assert claimed.status == ClaimStatus.SUBMITTED and claimed.amount == D("80.00")
    assert due_on(invoice) == D("80.00")
    assert client_due_on(invoice) == D("0.00")
    assert client_balance(a_client) == D("0.00")
    assert visit_billing_status(invoice.appointment).endswith("insurer claim pending")


def test_the_client_cannot_pay_what_the_insurer_is_asked_for(claimed, front_desk_user):
    with pytest.raises(BillingError) as refused:
        record_payment(
            invoice=claimed.invoice,
            method=PaymentMethod.CASH,
            amount=D("10.00"),
            idempotency_key="cash",
            by=front_desk_user,
        )
    assert refused.value.code == "OVERPAYMENT"


def test_a_claim_above_the_clients_part_is_refused(claimed, front_desk_user):
    with pytest.raises(BillingError) as refused:
        claim_on(claimed.invoice, "0.01", "second", front_desk_user)
    assert refused.value.code == "CLAIM_OVER_DUE"
    assert InsurerClaim.objects.count() == 1


def test_a_claim_needs_an_issued_invoice_and_its_details(checked_in, front_desk_user):
    draft = Invoice.objects.get(appointment=checked_in())
    with pytest.raises(BillingError) as refused:
        claim_on(draft, "10.00", "d", front_desk_user)
    assert refused.value.code == "NOT_ISSUED"
    with pytest.raises(BillingError) as refused:
        submit_claim(draft, insurer=" ", member_id="x", amount=D("1"), idempotency_key="e", by=None)
    assert refused.value.code == "CLAIM_BAD_INPUT"


def test_a_repeated_claim_key_bills_once(claimed, front_desk_user):
    again = claim_on(claimed.invoice, "80.00", "visit-claim", front_desk_user)
    assert again.pk == claimed.pk and InsurerClaim.objects.count() == 1
    with pytest.raises(BillingError) as refused:
        claim_on(claimed.invoice, "70.00", "visit-claim", front_desk_user)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_the_insurers_payment_settles_the_claim(claimed, front_desk_user, a_client):
    payment = record_insurer_payment(
        claimed, amount=D("80.00"), reference="EFT 77", idempotency_key="ins", by=front_desk_user
    )
    again = record_insurer_payment(
        claimed, amount=D("80.00"), idempotency_key="ins", by=front_desk_user
    )
    claimed.refresh_from_db()
    assert again.pk == payment.pk
    assert (payment.payer, payment.method, payment.claim_id) == (
        Payer.INSURER,
        PaymentMethod.INSURER,
        claimed.pk,
    )
    assert claimed.status == ClaimStatus.PAID and claimed.decided_at is not None
    assert due_on(claimed.invoice) == D("0.00") and client_balance(a_client) == D("0.00")
    assert visit_billing_status(claimed.invoice.appointment).endswith(": paid")


def test_a_partly_paid_claim_leaves_the_rest_to_the_client(claimed, front_desk_user, a_client):
    record_insurer_payment(claimed, amount=D("60.00"), idempotency_key="i", by=front_desk_user)
    claimed.refresh_from_db()
    assert claimed.status == ClaimStatus.PARTLY_PAID
    assert client_balance(a_client) == D("20.00")
    assert client_due_on(claimed.invoice) == D("20.00")


def test_an_insurer_cannot_pay_more_than_its_claim(claimed, front_desk_user):
    with pytest.raises(BillingError) as refused:
        record_insurer_payment(claimed, amount=D("80.01"), idempotency_key="i", by=None)
    assert refused.value.code == "OVER_CLAIM"


def test_a_denial_moves_the_amount_back_to_the_client(claimed, front_desk_user, a_client):
    with pytest.raises(BillingError) as refused:
        deny_claim(claimed, reason="  ", by=front_desk_user)
    assert refused.value.code == "CLAIM_BAD_INPUT"
    denied = deny_claim(claimed, reason="Annual maximum reached", by=front_desk_user)
    assert denied.status == ClaimStatus.DENIED
    assert denied.denial_reason == "Annual maximum reached"
    assert client_balance(a_client) == D("80.00")
    # A decided claim stays decided.
    for decide in (
        lambda: deny_claim(claimed, reason="again", by=None),
        lambda: record_insurer_payment(claimed, amount=D("1"), idempotency_key="x", by=None),
    ):
        with pytest.raises(BillingError) as refused:
            decide()
        assert refused.value.code == "CLAIM_DECIDED"


def test_every_claim_change_is_audited(claimed, front_desk_user):
    deny_claim(claimed, reason="Not covered", by=front_desk_user)
    details = list(
        AuditEvent.objects.filter(object_type="billing.insurerclaim")
        .order_by("id")
        .values_list("action", "detail")
    )
    assert details == [
        ("create", f"claim 80.00 to Sun Life on {claimed.invoice.label}"),
        ("update", "claim denied: Not covered"),
    ]


def test_close_out_ages_what_insurers_owe(claimed, checked_in, front_desk_user):
    older = Invoice.objects.get(
        appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
    )
    checkout(older, tenders=[], idempotency_key="old", by=front_desk_user)
    claim = claim_on(older, "100.00", "old-claim", insurer="Blue Cross")
    InsurerClaim.objects.filter(pk=claim.pk).update(
        submitted_at=timezone.now() - timedelta(days=45)
    )
    claim_on(older, "13.00", "old-claim-2", insurer="Sun Life")
    rows = {row["insurer"]: row for row in insurers_owe(today())}
    assert rows["Blue Cross"]["ageing"] == [D("0"), D("100.00"), D("0"), D("0")]
    assert rows["Sun Life"]["claims"] == 2 and rows["Sun Life"]["total"] == D("93.00")
    assert rows["Sun Life"]["ageing"][0] == D("93.00")


def test_the_close_out_page_shows_what_insurers_owe(client_as, claimed):
    page = client_as(Role.FRONT_DESK).get(reverse("billing-close-out"))
    assert page.status_code == 200
    assert "What insurers owe" in page.text and "Sun Life" in page.text


def test_the_accountants_csv_has_claims_and_denials(claimed, front_desk_user):
    deny_claim(claimed, reason="Not covered", by=front_desk_user)
    rows = list(csv.DictReader(io.StringIO(export_csv(today(), today()))))
    claim_rows = [(r["type"], r["amount"]) for r in rows if r["type"].startswith("claim")]
    assert claim_rows == [("claim", "80.00"), ("claim_denied", "-80.00")]


def test_checkout_page_bills_the_insurer_and_records_its_answer(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    desk = client_as(Role.FRONT_DESK)
    form = {
        "action": "pay",
        "key": "page",
        "pay-TOTAL_FORMS": "3",
        "pay-INITIAL_FORMS": "0",
        "pay-MIN_NUM_FORMS": "0",
        "pay-MAX_NUM_FORMS": "3",
        "pay-0-method": "credit",
        "pay-0-amount": "33.00",
        "insurer-insurer": "Sun Life",
        "insurer-member_id": "SL-9",
        "insurer-amount": "80.00",
    }
    assert desk.post(url, form).status_code == 302
    assert desk.post(url, form).status_code == 302  # a double click bills once
    claim = InsurerClaim.objects.get()
    page = desk.get(url)
    assert 'id="client-due">0.00<' in page.text and "SL-9" in page.text
    assert desk.post(url, {"action": "claim_denied", "claim": claim.pk}).status_code == 400
    response = desk.post(url, {"action": "claim_denied", "claim": claim.pk, "reason": "Lapsed"})
    assert response.status_code == 302
    page = desk.get(url)
    assert "Denied: Lapsed" in page.text and 'id="client-due">80.00<' in page.text


def test_checkout_refuses_half_an_insurer_part(client_as, checked_in):
    visit = checked_in()
    url = reverse("billing-checkout", args=[visit.pk])
    form = {
        "action": "pay",
        "key": "k",
        "pay-TOTAL_FORMS": "3",
        "pay-INITIAL_FORMS": "0",
        "insurer-insurer": "Sun Life",
    }
    assert client_as(Role.FRONT_DESK).post(url, form).status_code == 400
    assert not InsurerClaim.objects.exists()


def post(http, url, data):
    return http.post(url, data, content_type="application/json")


def test_the_claim_api(client_as, claimed):
    desk = client_as(Role.FRONT_DESK)
    paid = post(
        desk,
        reverse("api-claim-payment", args=[claimed.pk]),
        {"amount": "80.00", "idempotency_key": "api-paid"},
    )
    assert paid.status_code == 201 and paid.json()["payer"] == "insurer"
    late = post(desk, reverse("api-claim-denial", args=[claimed.pk]), {"reason": "late"})
    assert late.status_code == 409 and late.json()["code"] == "CLAIM_DECIDED"
    listed = desk.get(reverse("api-claims")).json()["results"]
    assert [(c["id"], c["status"]) for c in listed] == [(claimed.pk, "paid")]


def test_a_claim_through_the_api_once_per_key(client_as, checked_in, front_desk_user):
    invoice = Invoice.objects.get(appointment=checked_in())
    checkout(invoice, tenders=[], idempotency_key="k", by=front_desk_user)
    desk = client_as(Role.FRONT_DESK)
    url = reverse("api-invoice-claims", args=[invoice.pk])
    body = {"insurer": "Green Shield", "member_id": "GS", "amount": "50", "idempotency_key": "a"}
    assert [post(desk, url, body).status_code for _ in range(2)] == [201, 200]
    too_much = post(desk, url, {**body, "amount": "63.01", "idempotency_key": "b"})
    assert too_much.status_code == 400 and too_much.json()["code"] == "CLAIM_OVER_DUE"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"insurer": "", "member_id": "x", "amount": "1", "idempotency_key": "k"},
        {"insurer": "x", "member_id": "x", "amount": "-1", "idempotency_key": "k"},
        {"insurer": "x", "member_id": "x", "amount": "1e400", "idempotency_key": "k"},
        {"insurer": "x" * 101, "member_id": "x", "amount": "1", "idempotency_key": "k"},
    ],
)
def test_bad_claim_input_is_a_400(client_as, claimed, body):
    url = reverse("api-invoice-claims", args=[claimed.invoice_id])
    assert post(client_as(Role.FRONT_DESK), url, body).status_code == 400
    assert InsurerClaim.objects.count() == 1


def test_a_client_sees_only_their_own_claims(client_as, claimed, checked_in, front_desk_user):
    other = Invoice.objects.get(
        appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
    )
    checkout(other, tenders=[], idempotency_key="o", by=front_desk_user)
    claim_on(other, "10.00", "other")
    mine = client_as(Role.CLIENT).get(reverse("api-claims")).json()["results"]
    assert [c["id"] for c in mine] == [claimed.pk]
    assert client_as(Role.THERAPIST).get(reverse("api-claims")).status_code == 403


def test_the_therapist_sees_the_claim_only_as_a_billing_status(client_as, claimed):
    url = reverse("api-appointment-billing-status", args=[claimed.invoice.appointment_id])
    body = client_as(Role.THERAPIST).get(url).json()
    assert body["status"].endswith("insurer claim pending") and "80" not in body["status"]


def queries_for(http, url):
    with CaptureQueriesContext(connection) as run:
        assert http.get(url).status_code == 200
    return len(run)


def test_what_insurers_owe_costs_the_same_queries_for_many_claims(
    client_as, claimed, checked_in, front_desk_user
):
    desk = client_as(Role.FRONT_DESK)
    url = reverse("billing-close-out")
    queries_for(desk, url)  # warm the clinic-settings cache
    one = queries_for(desk, url)
    for n in range(4):
        visit = checked_in(client=ClientFactory(), therapist=TherapistFactory())
        invoice = Invoice.objects.get(appointment=visit)
        checkout(invoice, tenders=[], idempotency_key=f"many-{n}", by=front_desk_user)
        claim_on(invoice, "50.00", f"many-claim-{n}", insurer=f"Insurer {n}")
    assert queries_for(desk, url) == one


def test_the_client_portal_says_what_is_billed_to_the_insurer(client_as, claimed):
    page = client_as(Role.CLIENT).get(reverse("billing-my-invoices"))
    assert 'id="balance">0.00<' in page.text
    assert "Billed to your insurer" in page.text and "80.00 to Sun Life" in page.text


def test_the_close_out_shows_the_insurers_part_of_what_is_owed(client_as, claimed):
    page = client_as(Role.FRONT_DESK).get(reverse("billing-close-out"))
    assert "<td>80.00</td><td>80.00</td>" in page.text


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_never_bill_more_than_the_client_owes(checked_in, front_desk_user):
    invoice = Invoice.objects.get(appointment=checked_in())
    checkout(invoice, tenders=[], idempotency_key="race", by=front_desk_user)
    made, refused = at_once(
        lambda: claim_on(invoice, "80.00", "race-1"),
        lambda: claim_on(invoice, "80.00", "race-2"),
        expected=BillingError,
    )
    assert len(made) == 1 and [e.code for e in refused] == ["CLAIM_OVER_DUE"]
    assert InsurerClaim.objects.count() == 1
