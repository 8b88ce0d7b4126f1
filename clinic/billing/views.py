"""Checkout at the desk: one page to see the invoice, adjust it, and take the payment."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client, Role
from clinic.accounts.roles import role_required, visible_claims, visible_invoices
from clinic.booking.models import Appointment
from clinic.core.clinic_time import today
from clinic.core.errors import DomainError
from clinic.core.inputs import parse_day

from . import card_views, invoices
from .cards import card_of, online_payments
from .checkout import Tender, checkout
from .claims import AGEING
from .claims_views import CLAIM_ACTIONS, CheckoutClaimForm
from .closeout import close_out, export_csv
from .credit_views import CREDIT_ACTIONS
from .forms import (
    CheckoutKeyForm,
    DiscountForm,
    ReasonForm,
    RefundForm,
    TenderFormSet,
    WaiveForm,
)
from .models import ZERO, ClaimStatus, InsurerClaim, Invoice, InvoiceStatus, NumberSeries
from .online import overpaid, to_refund
from .payments import client_balance, due_on, refund
from .receipts import email_receipt, filename, receipt_pdf, statement_pdf
from .superbill import superbill_enabled
from .webhooks import handle, verified_event

DESK = (Role.FRONT_DESK, Role.CLINIC_ADMIN)
MAX_EXPORT_DAYS = 366
MIN_STATEMENT_YEAR = 2000


def _visit(pk):
    visits = Appointment.objects.select_related("client", "therapist__user", "service")
    return get_object_or_404(visits, pk=pk)


def _invoice_of(visit):
    return (
        Invoice.objects.filter(appointment=visit, kind=NumberSeries.INVOICE)
        .prefetch_related("lines", "payments", "credit_notes", "claims")
        .first()
    )


def _page(request, visit, invoice, *, tenders=None, key=None, insurer=None, error=None, status=200):
    next_visit = f"{reverse('booking-book')}?client={visit.client_id}&series=plan"
    claims = list(invoice.claims.all()) if invoice else []
    credit_notes = list(invoice.credit_notes.all()) if invoice else []
    due = due_on(invoice) if invoice else None
    # The client's part: pending claims (already loaded) are the insurer's.
    client_due = due - sum((c.amount for c in claims if c.is_pending), ZERO) if invoice else None
    return render(
        request,
        "billing/checkout.html",
        {
            "visit": visit,
            "invoice": invoice,
            "lines": list(invoice.lines.all()) if invoice else [],
            "payments": list(invoice.payments.all()) if invoice else [],
            "credit_notes": credit_notes,
            "claims": claims,
            "insurer_form": insurer or CheckoutClaimForm(),
            "due": due,
            "client_due": client_due,
            "superbill": superbill_enabled(),
            # Credit notes' totals are negative and each takes from the invoice's lines.
            "left_to_credit": invoice.total + sum((n.total for n in credit_notes), ZERO)
            if invoice
            else None,
            "tenders": tenders or TenderFormSet(prefix="pay"),
            "key": key or CheckoutKeyForm.fresh(),
            "error": error,
            "next_visit": next_visit,
            "card": card_of(visit.client) if online_payments() else None,
            "overpayments": list(to_refund(visit.client)) if online_payments() else [],
            "charge_key": CheckoutKeyForm.fresh().initial["key"],
        },
        status=status,
    )


def _pay(request, visit, invoice):
    tenders = TenderFormSet(request.POST, prefix="pay")
    key = CheckoutKeyForm(request.POST)
    insurer = CheckoutClaimForm(request.POST)
    if not (tenders.is_valid() and key.is_valid() and insurer.is_valid()):
        return _page(request, visit, invoice, tenders=tenders, key=key, insurer=insurer, status=400)
    issued, payments = checkout(
        invoice,
        tenders=[Tender(t["method"], t["amount"], t["reference"]) for t in tenders.tenders()],
        idempotency_key=key.cleaned_data["key"],
        by=request.user,
        claim=insurer.part(),
    )
    messages.success(request, f"Invoice {issued.label} issued; {len(payments)} payment(s) taken.")
    return None


def _discount(request, visit, invoice):
    form = DiscountForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, invoice, error="Give a discount of 0 or more.", status=400)
    invoices.set_discount(
        invoice,
        line_id=form.cleaned_data["line"],
        discount=form.cleaned_data["discount"],
        by=request.user,
    )
    return None


def _waive(request, visit, invoice):
    form = WaiveForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, invoice, error="Say why the fee is waived.", status=400)
    invoices.waive_fee(
        invoice,
        line_id=form.cleaned_data["line"],
        reason=form.cleaned_data["reason"],
        by=request.user,
    )
    return None


def _email(request, visit, invoice):
    if email_receipt(invoice, by=request.user):
        messages.success(request, f"Receipt {invoice.label} emailed to {invoice.client.email}.")
    else:
        messages.warning(request, "The client has no email address; print the receipt instead.")
    return None


def _credit(request, visit, invoice):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, invoice, error="Say why the invoice is credited.", status=400)
    note = invoices.credit_note(invoice, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, f"Credit note {note.label} written for {invoice.label}.")
    return None


def _refund(request, visit, invoice):
    form = RefundForm(request.POST)
    if not form.is_valid():
        return _page(request, visit, invoice, error="Give an amount and a reason.", status=400)
    data = form.cleaned_data
    payment = invoice.payments.filter(pk=data["payment"]).first()
    if payment is None:
        return _page(request, visit, invoice, error="No such payment.", status=400)
    refund(
        payment=payment,
        amount=data["amount"],
        reason=data["reason"],
        idempotency_key=data["key"],
        by=request.user,
    )
    messages.success(request, f"Refunded {data['amount']}.")
    return None


ACTIONS = {
    "pay": _pay,
    "discount": _discount,
    "waive": _waive,
    "email": _email,
    "credit": _credit,
    "refund": _refund,
    "charge": card_views.charge_action,
    "refund_overpayment": card_views.refund_overpayment_action,
    **CLAIM_ACTIONS,
    **CREDIT_ACTIONS,
}


@role_required(*DESK)
def checkout_view(request, pk):
    """The visit's invoice and its payment, in one screen at the end of the visit."""
    visit = _visit(pk)
    invoice = _invoice_of(visit)
    if request.method != "POST":
        return _page(request, visit, invoice)
    action = ACTIONS.get(request.POST.get("action", ""))
    if invoice is None or action is None:
        return _page(request, visit, invoice, error="Nothing to do for that request.", status=400)
    try:
        response = action(request, visit, invoice)
    except DomainError as refusal:
        return _page(request, visit, _invoice_of(visit), error=refusal.message, status=400)
    return response or redirect("billing-checkout", visit.pk)


@role_required(*DESK, Role.CLIENT)
def receipt_view(request, pk):
    """The receipt PDF of an issued invoice: the desk any, a client their own (else 404)."""
    issued = Invoice.objects.filter(status=InvoiceStatus.ISSUED).select_related(
        "client", "therapist__user", "appointment"
    )
    invoice = visible_invoices(request.user, issued).filter(pk=pk).first()
    if invoice is None:
        raise Http404("No such receipt.")
    pdf, copy = receipt_pdf(invoice, by=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(invoice, copy)}"'
    return response


@role_required(Role.CLIENT)
@card_views.forms_to_stripe
def my_invoices(request):
    """The client's portal: their issued invoices and receipts, and their balance."""
    client = getattr(request.user, "client", None)
    if client is None:
        raise Http404("No client record.")
    mine = visible_invoices(request.user, Invoice.objects.filter(status=InvoiceStatus.ISSUED))
    return render(
        request,
        "billing/my_invoices.html",
        {
            "invoices": list(mine.order_by("-issued_at")),
            "balance": client_balance(client),
            "online": online_payments(),
            "overpaid": overpaid(client),
            "superbill": superbill_enabled(),
            "pending_claims": list(
                visible_claims(
                    request.user, InsurerClaim.objects.filter(status=ClaimStatus.SUBMITTED)
                )
            ),
            "years": [today().year, today().year - 1],
        },
    )


def _day_param(request, name, default):
    raw = request.GET.get(name)
    return default if raw in (None, "") else parse_day(raw)


@role_required(*DESK)
def close_out_view(request):
    """The day's close-out: payments by method and by therapist, refunds, what is owed."""
    day = _day_param(request, "date", today())
    if day is None:
        return HttpResponseBadRequest("Give the date as YYYY-MM-DD.")
    ageing = [label for label, _first, _last in AGEING]
    return render(request, "billing/close_out.html", {"report": close_out(day), "ageing": ageing})


@role_required(*DESK)
def export_view(request):
    """The accountant's CSV: every invoice line, payment and refund from start to end."""
    end = _day_param(request, "end", today())
    start = _day_param(request, "start", end)
    if start is None or end is None or start > end or (end - start).days > MAX_EXPORT_DAYS:
        return HttpResponseBadRequest("Give start and end as YYYY-MM-DD, at most a year apart.")
    response = HttpResponse(export_csv(start, end), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="billing-{start}-{end}.csv"'
    return response


@csrf_exempt  # Stripe cannot send a CSRF token: its signature authenticates the request.
@require_POST
def stripe_webhook(request):
    """Stripe's events: a bad signature is a 400; a redelivered event is answered 200 again."""
    try:
        payload = request.body
    except RawPostDataException:
        # A multipart form (something else than Stripe) already read by a middleware.
        return HttpResponseBadRequest("Stripe sends JSON.")
    try:
        event = verified_event(payload, request.headers.get("Stripe-Signature", ""))
        handle(event)
    except DomainError as refusal:
        return HttpResponseBadRequest(refusal.message)
    return HttpResponse("ok")


def _statement_response(request, client, year):
    if not MIN_STATEMENT_YEAR <= year <= today().year:
        raise Http404("No statement for that year.")
    pdf = statement_pdf(client, year, by=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{client.pk}-{year}.pdf"'
    return response


@role_required(Role.CLIENT)
def my_statement(request, year):
    """The client's own yearly statement (for their taxes)."""
    client = getattr(request.user, "client", None)
    if client is None:
        raise Http404("No client record.")
    return _statement_response(request, client, year)


@role_required(*DESK)
def client_statement(request, client_id, year):
    """A client's yearly statement, printed by the desk."""
    return _statement_response(request, get_object_or_404(Client, pk=client_id), year)
