"""Claims are shown where their invoice is: in the invoice API (by the claims' role rule) and
on the receipt, where a pending claim says what the insurer was billed."""

import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.billing.claims import record_insurer_payment, submit_claim
from clinic.billing.closeout import client_owing_invoices
from clinic.billing.models import ClaimStatus
from clinic.billing.payments import client_balance, client_due_on, refund

pytestmark = pytest.mark.django_db
D = Decimal
PENDING = "Billed to Sun Life, awaiting payment: 80.00"


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.CLIENT])
def test_the_invoice_api_shows_its_claims(client_as, claimed, role):
    body = client_as(role).get(reverse("api-invoice", args=[claimed.invoice_id])).json()
    assert [(c["insurer"], c["amount"], c["status"]) for c in body["claims"]] == [
        ("Sun Life", "80.00", "submitted")
    ]
    listed = client_as(role).get(reverse("api-invoices")).json()["results"]
    assert [c["id"] for c in listed[0]["claims"]] == [claimed.pk]


def test_a_therapist_sees_no_claim_amounts(client_as, claimed):
    therapist = client_as(Role.THERAPIST)
    assert therapist.get(reverse("api-invoice", args=[claimed.invoice_id])).status_code == 403
    assert therapist.get(reverse("api-invoices")).status_code == 403


def test_the_schema_describes_an_invoices_claims(client_as):
    schema = client_as(Role.FRONT_DESK).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    invoice = schema["components"]["schemas"]["Invoice"]
    assert invoice["properties"]["claims"]["items"] == {"$ref": "#/components/schemas/InvoiceClaim"}
    claim = schema["components"]["schemas"]["InvoiceClaim"]["properties"]
    assert {"insurer", "amount", "status"} <= set(claim)


def test_the_receipt_shows_a_pending_claim_then_not_once_paid(
    client_as, claimed, front_desk_user, tmp_path
):
    desk = client_as(Role.FRONT_DESK)
    url = reverse("billing-receipt", args=[claimed.invoice_id])
    text = pdf_text(desk.get(url).content, tmp_path)
    assert PENDING in text
    # The receipt's own fields are untouched: the client's part is still paid by debit.
    assert "Debit" in text and "Amount paid" in text
    record_insurer_payment(claimed, amount=D("80.00"), idempotency_key="i", by=front_desk_user)
    text = pdf_text(desk.get(url).content, tmp_path)
    assert "awaiting payment" not in text and "Insurer direct billing" in text


def test_a_refunded_insurer_payment_is_the_clients_to_pay_and_the_claim_stays_paid(
    client_as, claimed, front_desk_user, a_client
):
    """An insurer taking its payment back (a clawback) reopens no claim: the claim stays paid
    with the refund shown on its payment, and the refunded amount is owed by the client."""
    paid = record_insurer_payment(
        claimed, amount=D("80.00"), idempotency_key="i", by=front_desk_user
    )
    refund(
        payment=paid,
        amount=D("30.00"),
        reason="Sun Life clawback: over annual maximum",
        idempotency_key="clawback",
        by=front_desk_user,
    )
    claimed.refresh_from_db()
    assert claimed.status == ClaimStatus.PAID
    assert client_due_on(claimed.invoice) == D("30.00") and client_balance(a_client) == D("30.00")
    [owed] = client_owing_invoices()  # what a balance reminder asks the client for
    assert owed.pk == claimed.invoice_id and owed.client_due == D("30.00")
    body = client_as(Role.CLIENT).get(reverse("api-invoice", args=[claimed.invoice_id])).json()
    assert [c["status"] for c in body["claims"]] == ["paid"]
    [insurer] = [p for p in body["payments"] if p["payer"] == "insurer"]
    assert [r["amount"] for r in insurer["refunds"]] == ["30.00"]
    # If the insurer will pay again, a new claim for the refunded amount makes it theirs again.
    again = submit_claim(
        claimed.invoice,
        insurer="Sun Life",
        member_id="SL-123",
        amount=D("30.00"),
        idempotency_key="again",
        by=front_desk_user,
    )
    assert again.status == ClaimStatus.SUBMITTED and client_due_on(claimed.invoice) == D("0.00")
