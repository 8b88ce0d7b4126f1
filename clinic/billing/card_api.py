"""The card-on-file API: the desk (or the client) sees or removes a client's card; the desk
charges it for an invoice, once per idempotency key. Thin: the rules live in cards.py."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.models import Client
from clinic.accounts.roles import DESK, Role, api_roles, can_see_card_on_file

from . import cards
from .models import Invoice, Payment
from .online_models import CardOnFile
from .payments import KEY_MAX
from .serializers import PaymentSerializer

REFUSED = OpenApiResponse(description="Refused (a rule code says why); nothing was changed.")
DECLINED = OpenApiResponse(description="The card was declined (CARD_DECLINED); nothing recorded.")


class CardOnFileSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = CardOnFile
        fields = ["client", "label", "brand", "last4", "exp_month", "exp_year", "saved_at"]


class ChargeInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    idempotency_key = serializers.CharField(max_length=KEY_MAX)


class ClientCard(APIView):
    """A client's card on file: the desk any client's, a client their own."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]

    def _client(self, request, pk):
        client = get_object_or_404(Client, pk=pk)
        if not can_see_card_on_file(request.user, client):
            self.permission_denied(request, message="Not your card.")
        return client

    @extend_schema(responses={200: CardOnFileSerializer, 404: REFUSED})
    def get(self, request, pk):
        card = get_object_or_404(CardOnFile, client=self._client(request, pk))
        return Response(CardOnFileSerializer(card).data)

    @extend_schema(responses={204: None, 404: REFUSED})
    def delete(self, request, pk):
        if not cards.remove_card(self._client(request, pk), by=request.user):
            return Response({"detail": "No card on file."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChargeCardOnFile(APIView):
    """Charge the invoice's client's card on file off-session, once per idempotency key."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(
        request=ChargeInputSerializer,
        responses={
            201: PaymentSerializer,
            200: PaymentSerializer,
            400: REFUSED,
            402: DECLINED,
            404: REFUSED,
            409: REFUSED,
        },
    )
    def post(self, request, pk):
        body = ChargeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invoice = get_object_or_404(Invoice, pk=pk)
        key = body.validated_data["idempotency_key"]
        known = Payment.objects.filter(idempotency_key=key).exists()
        payment = cards.charge_card_on_file(
            invoice, amount=body.validated_data["amount"], idempotency_key=key, by=request.user
        )
        code = status.HTTP_200_OK if known else status.HTTP_201_CREATED
        return Response(PaymentSerializer(payment).data, status=code)
