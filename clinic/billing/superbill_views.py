"""The superbill's pages (US clinics): choose its diagnosis codes, print it."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from clinic.accounts.models import Role
from clinic.accounts.roles import (
    can_choose_diagnosis_codes,
    can_take_payments,
    role_required,
    visible_invoices,
)
from clinic.core.errors import DomainError

from .icd10 import CODES
from .models import Invoice, InvoiceStatus, NumberSeries
from .superbill import choose_codes, codes_for, superbill_enabled, superbill_pdf

DESK = (Role.FRONT_DESK, Role.CLINIC_ADMIN)


def _visit_invoices():
    if not superbill_enabled():
        raise Http404("Superbills are off in this clinic's settings.")
    return Invoice.objects.filter(
        status=InvoiceStatus.ISSUED, kind=NumberSeries.INVOICE, appointment__isnull=False
    ).select_related("client", "therapist__user", "appointment")


@role_required(*DESK, Role.THERAPIST)
def superbill_codes_view(request, pk):
    """The desk, or the visit's therapist, confirms or changes the superbill's ICD-10 codes."""
    invoice = _visit_invoices().filter(pk=pk).first()
    if invoice is None or not can_choose_diagnosis_codes(request.user, invoice.appointment):
        raise Http404("No such superbill.")
    error, status = None, 200
    if request.method == "POST":
        try:
            choose_codes(invoice, request.POST.getlist("codes"), by=request)
        except DomainError as refusal:
            error, status = refusal.message, 400
        else:
            return redirect("billing-superbill-codes", invoice.pk)
    codes, suggested = codes_for(invoice, by=request)
    context = {
        "invoice": invoice,
        "codes": codes,
        "suggested": suggested,
        "choices": list(CODES.items()),
        "error": error,
        "can_print": can_take_payments(request.user),
    }
    return render(request, "billing/superbill_codes.html", context, status=status)


@role_required(*DESK, Role.CLIENT)
def superbill_pdf_view(request, pk):
    """The superbill PDF: the desk any, a client their own (else 404). Audited."""
    invoice = visible_invoices(request.user, _visit_invoices()).filter(pk=pk).first()
    if invoice is None:
        raise Http404("No such superbill.")
    response = HttpResponse(superbill_pdf(invoice, by=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="superbill-{invoice.label}.pdf"'
    return response
