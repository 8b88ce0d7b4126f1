"""Receipt PDFs carry every field the CMTO lists; copies after the first say DUPLICATE."""

import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.billing.checkout import Tender, checkout
from clinic.billing.models import Invoice, PaymentMethod
from clinic.core.clinic_time import local
from tests.factories import ClientWithLoginFactory

pytestmark = pytest.mark.django_db
# A 1x1 PNG: enough for WeasyPrint to draw the signature.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def paid_visit(checked_in, clinic, therapist, front_desk_user):
    clinic.name = "Tranquil Test Clinic"
    clinic.address = "12 Queen St W, Toronto ON"
    clinic.tax_number = "123456789RT0001"
    clinic.save()
    therapist.user.first_name, therapist.user.last_name = "Maya", "Lindqvist"
    therapist.user.save()
    therapist.registration_number = "U-4242"
    therapist.signature.save("sig.png", ContentFile(PNG))
    therapist.save()
    visit = checked_in()
    invoice = Invoice.objects.get(appointment=visit)
    checkout(
        invoice,
        tenders=[
            Tender(PaymentMethod.INSURER, Decimal("80.00")),
            Tender(PaymentMethod.DEBIT, Decimal("33.00")),
        ],
        idempotency_key="k",
        by=front_desk_user,
    )
    return visit


def test_the_receipt_shows_every_field_an_insurer_requires(client_as, paid_visit, tmp_path):
    invoice = Invoice.objects.get(appointment=paid_visit)
    response = client_as(Role.FRONT_DESK).get(reverse("billing-receipt", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for needed in [
        paid_visit.client.full_name,
        "Massage therapy",
        "Duration: 60 minutes",
        f"{local(paid_visit.starts_at):%H:%M}",
        "100.00",  # fee
        "13.00",  # tax
        "HST",
        "113.00",  # amount paid
        "Insurer direct billing",
        "Debit",
        "Maya Lindqvist",
        "Registration number: U-4242",
        "Tranquil Test Clinic",
        "12 Queen St W, Toronto ON",
        "123456789RT0001",
        "INV-000001",
    ]:
        assert needed in text, needed
    assert "DUPLICATE" not in text


def test_a_second_copy_is_marked_duplicate(client_as, paid_visit, tmp_path):
    invoice = Invoice.objects.get(appointment=paid_visit)
    desk = client_as(Role.FRONT_DESK)
    url = reverse("billing-receipt", args=[invoice.pk])
    desk.get(url)
    second = desk.get(url)
    assert "duplicate" in second["Content-Disposition"]
    assert "DUPLICATE" in pdf_text(second.content, tmp_path)


def test_a_client_downloads_their_own_receipt_but_not_anothers(client_as, paid_visit):
    invoice = Invoice.objects.get(appointment=paid_visit)
    url = reverse("billing-receipt", args=[invoice.pk])
    assert client_as(Role.CLIENT).get(url).status_code == 200
    other = ClientWithLoginFactory()
    http = client_as(Role.CLIENT)
    http.force_login(other.user)
    assert http.get(url).status_code == 404


def test_the_client_portal_lists_their_receipts(client_as, paid_visit):
    page = client_as(Role.CLIENT).get(reverse("billing-my-invoices"))
    assert "INV-000001" in page.text and 'id="balance">0.00<' in page.text


def test_the_desk_emails_the_receipt_as_a_pdf(
    client_as, paid_visit, django_capture_on_commit_callbacks
):
    url = reverse("billing-checkout", args=[paid_visit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_as(Role.FRONT_DESK).post(url, {"action": "email"})
    [message] = mail.outbox
    assert message.to == [paid_visit.client.email]
    assert message.attachments[0][2] == "application/pdf"


def test_the_yearly_statement_lists_the_years_invoices_and_payments(
    client_as, paid_visit, tmp_path
):
    year = timezone.localdate().year
    response = client_as(Role.CLIENT).get(reverse("billing-my-statement", args=[year]))
    text = pdf_text(response.content, tmp_path)
    assert f"Statement for {year}" in text and "INV-000001" in text
    assert "Paid, less refunds" in text and "113.00" in text


def test_a_statement_for_a_year_out_of_range_is_a_404(client_as, paid_visit):
    assert (
        client_as(Role.CLIENT).get(reverse("billing-my-statement", args=[1999])).status_code == 404
    )
