"""The billing API's shapes: invoices with their lines, and the inputs that move money."""

from decimal import Decimal

from rest_framework import serializers

from .models import InsurerClaim, Invoice, InvoiceLine, Payer, Payment, PaymentMethod, Refund
from .payments import KEY_MAX

MONEY = {"max_digits": 10, "decimal_places": 2}


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
            "kind",
            "description",
            "unit_price",
            "discount",
            "tax_rate",
            "net",
            "tax",
            "waived_reason",
        ]


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "payment", "amount", "reason", "refunded_at"]


class PaymentSerializer(serializers.ModelSerializer):
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "method",
            "payer",
            "amount",
            "reference",
            "received_at",
            "refunds",
        ]


class InvoiceClaimSerializer(serializers.ModelSerializer):
    """A claim as its invoice shows it: who was billed, how much, and where it stands."""

    class Meta:
        model = InsurerClaim
        fields = ["id", "insurer", "amount", "status", "submitted_at", "decided_at"]


class InvoiceSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    # Filtered by the reader's role where the invoices are read (api._invoices).
    claims = InvoiceClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "label",
            "kind",
            "status",
            "number",
            "client",
            "therapist",
            "appointment",
            "corrects",
            "reason",
            "currency",
            "subtotal",
            "tax",
            "total",
            "issued_at",
            "lines",
            "payments",
            "claims",
        ]


class PaymentInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(min_value=1)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    payer = serializers.ChoiceField(choices=Payer.choices, default=Payer.CLIENT)
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    idempotency_key = serializers.CharField(max_length=KEY_MAX)


class RefundInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reason = serializers.CharField(max_length=500)
    idempotency_key = serializers.CharField(max_length=KEY_MAX)


class CreditNoteInputSerializer(serializers.Serializer):
    """A credit note: with neither lines nor an amount it takes back the whole invoice."""

    reason = serializers.CharField(max_length=500)
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=100
    )
    amount = serializers.DecimalField(min_value=Decimal("0.01"), required=False, **MONEY)


class BillingStatusSerializer(serializers.Serializer):
    appointment = serializers.IntegerField()
    status = serializers.CharField()
