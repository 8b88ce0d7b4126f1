"""The insurer-claim API: bill part of an issued invoice to an insurer, record the insurer's
payment or denial, list claims. The desk does all; a client lists their own claims."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.roles import DESK, Role, api_roles, visible_claims
from clinic.core.pagination import LimitOffsetPagination

from . import claims
from .models import InsurerClaim, Invoice
from .payments import KEY_MAX
from .serializers import MONEY, PaymentSerializer

TAKES_PAYMENTS = api_roles(*DESK)
REFUSED = OpenApiResponse(description="Refused (a rule code says why); nothing was changed.")
CENT = Decimal("0.01")


class ClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsurerClaim
        fields = [
            "id",
            "invoice",
            "client",
            "insurer",
            "member_id",
            "amount",
            "status",
            "submitted_at",
            "decided_at",
            "denial_reason",
        ]


class ClaimInputSerializer(serializers.Serializer):
    insurer = serializers.CharField(max_length=100)
    member_id = serializers.CharField(max_length=60)
    amount = serializers.DecimalField(min_value=CENT, **MONEY)
    idempotency_key = serializers.CharField(max_length=KEY_MAX)


class InsurerPaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=CENT, **MONEY)
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    idempotency_key = serializers.CharField(max_length=KEY_MAX)


class DenialInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ClaimList(APIView):
    """Insurer claims, oldest first: the desk sees all, a client their own."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=ClaimSerializer(many=True))
    def get(self, request):
        rows = visible_claims(request.user, InsurerClaim.objects.order_by("submitted_at", "id"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ClaimSerializer(page, many=True).data)


class InvoiceClaims(APIView):
    """Bill part of an issued invoice to the client's insurer, once per idempotency key (a
    repeat answers 200 with the first claim)."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(
        request=ClaimInputSerializer,
        responses={201: ClaimSerializer, 200: ClaimSerializer, 400: REFUSED, 409: REFUSED},
    )
    def post(self, request, pk):
        body = ClaimInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invoice = get_object_or_404(Invoice, pk=pk)
        key = body.validated_data["idempotency_key"]
        known = InsurerClaim.objects.filter(idempotency_key=key).exists()
        claim = claims.submit_claim(invoice, by=request.user, **body.validated_data)
        code = status.HTTP_200_OK if known else status.HTTP_201_CREATED
        return Response(ClaimSerializer(claim).data, status=code)


class ClaimPayment(APIView):
    """The insurer paid its claim, in full or in part (the rest is the client's again)."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(
        request=InsurerPaymentInputSerializer,
        responses={201: PaymentSerializer, 400: REFUSED, 409: REFUSED},
    )
    def post(self, request, pk):
        body = InsurerPaymentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = get_object_or_404(InsurerClaim, pk=pk)
        payment = claims.record_insurer_payment(claim, by=request.user, **body.validated_data)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class ClaimDenial(APIView):
    """The insurer denied the claim: its amount is the client's to pay again."""

    permission_classes = [TAKES_PAYMENTS]

    @extend_schema(
        request=DenialInputSerializer,
        responses={200: ClaimSerializer, 400: REFUSED, 409: REFUSED},
    )
    def post(self, request, pk):
        body = DenialInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = get_object_or_404(InsurerClaim, pk=pk)
        denied = claims.deny_claim(claim, reason=body.validated_data["reason"], by=request.user)
        return Response(ClaimSerializer(denied).data)
