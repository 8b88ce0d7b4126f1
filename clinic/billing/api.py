"""The billing API: invoices, issuing, credit notes, payments, refunds and receipts.

Thin: authorise, validate, call the domain module; refusals are DomainErrors answered by the
project's exception handler. A repeated idempotency key answers 200 with the first payment.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.roles import (
    DESK,
    Role,
    api_roles,
    can_see_billing_status,
    visible_claims,
    visible_invoices,
)
from clinic.booking.models import Appointment
from clinic.core.pagination import LimitOffsetPagination

from . import invoices, payments
from .credit import partial_credit_note
from .models import InsurerClaim, Invoice, Payment
from .receipts import filename, receipt_pdf
from .selectors import visit_billing_status
from .serializers import (
    BillingStatusSerializer,
    CreditNoteInputSerializer,
    InvoiceSerializer,
    PaymentInputSerializer,
    PaymentSerializer,
    RefundInputSerializer,
    RefundSerializer,
)

TAKES_PAYMENTS = api_roles(*DESK)
REFUSED = OpenApiResponse(description="Refused (a rule code says why); nothing was changed.")


def _invoices(user):
    # Claims by the claims' own role rule, so an invoice never shows more than the claim list.
    claims = visible_claims(user, InsurerClaim.objects.order_by("submitted_at", "id"))
    rows = Invoice.objects.prefetch_related(
        "lines", "payments__refunds", Prefetch("claims", queryset=claims)
    ).order_by("-id")
    return visible_invoices(user, rows)


class InvoiceList(APIView):
    """Invoices and credit notes: the desk sees all, a client their own."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=InvoiceSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(_invoices(request.user), request, view=self)
        return paginator.get_paginated_response(InvoiceSerializer(page, many=True).data)


class InvoiceDetail(APIView):
    permission_classes = [api_roles(*DESK, Role.CLIENT)]

    @extend_schema(responses=InvoiceSerializer)
    def get(self, request, pk):
        return Response(InvoiceSerializer(get_object_or_404(_invoices(request.user), pk=pk)).data)


class IssueInvoice(APIView):
    """Issue a draft: it takes the next invoice number and can no longer change."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(request=None, responses={200: InvoiceSerializer, 409: REFUSED})
    def post(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        return Response(InvoiceSerializer(invoices.issue(invoice, by=request.user)).data)


class CreditInvoice(APIView):
    """Correct an issued invoice with a credit note: in full, or chosen lines and/or an
    amount of it (never more than is left uncredited)."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(
        request=CreditNoteInputSerializer, responses={201: InvoiceSerializer, 400: REFUSED}
    )
    def post(self, request, pk):
        body = CreditNoteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        invoice = get_object_or_404(Invoice, pk=pk)
        if "lines" in data or "amount" in data:
            note = partial_credit_note(
                invoice,
                reason=data["reason"],
                line_ids=data.get("lines"),
                amount=data.get("amount"),
                by=request.user,
            )
        else:
            note = invoices.credit_note(invoice, reason=data["reason"], by=request.user)
        return Response(InvoiceSerializer(note).data, status=status.HTTP_201_CREATED)


class PaymentList(APIView):
    """Record a payment against an issued invoice, once per idempotency key."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(
        request=PaymentInputSerializer,
        responses={
            201: PaymentSerializer,
            200: PaymentSerializer,
            400: REFUSED,
            404: REFUSED,
            409: REFUSED,
        },
    )
    def post(self, request):
        body = PaymentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        invoice = get_object_or_404(Invoice, pk=data.pop("invoice"))
        known = Payment.objects.filter(idempotency_key=data["idempotency_key"]).exists()
        payment = payments.record_payment(invoice=invoice, by=request.user, **data)
        code = status.HTTP_200_OK if known else status.HTTP_201_CREATED
        return Response(PaymentSerializer(payment).data, status=code)


class RefundPayment(APIView):
    """Give back part or all of a payment, once per idempotency key."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(request=RefundInputSerializer, responses={201: RefundSerializer, 400: REFUSED})
    def post(self, request, pk):
        body = RefundInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = get_object_or_404(Payment, pk=pk)
        made = payments.refund(payment=payment, by=request.user, **body.validated_data)
        return Response(RefundSerializer(made).data, status=status.HTTP_201_CREATED)


class Receipt(APIView):
    """The receipt PDF of an issued invoice (a later copy is marked DUPLICATE)."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        invoice = get_object_or_404(_invoices(request.user).filter(status="issued"), pk=pk)
        pdf, copy = receipt_pdf(invoice, by=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename(invoice, copy)}"'
        return response


class VisitBillingStatus(APIView):
    """Whether a visit is invoiced and paid, without amounts: the desk, and the visit's
    therapist."""

    permission_classes = [api_roles(*DESK, Role.THERAPIST)]

    @extend_schema(responses=BillingStatusSerializer)
    def get(self, request, pk):
        visit = get_object_or_404(Appointment, pk=pk)
        if not can_see_billing_status(request.user, visit):
            self.permission_denied(request, message="Not your visit.")
        return Response({"appointment": visit.pk, "status": visit_billing_status(visit)})
