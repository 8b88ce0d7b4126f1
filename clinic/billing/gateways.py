"""Card payments online through a pluggable gateway; no card number ever touches Tranquil.

`gateway()` answers the clinic's configured backend: `ManualGateway` (no online payments: the
desk takes cards on the clinic's terminal and records them) or `StripeGateway` (the `stripe`
library; a PaymentIntent charges a card the client saved with Stripe, a Refund gives back).
The checkout's idempotency key is passed to Stripe too, so a retried charge is one charge, and
the payment row is written only once Stripe says the money moved.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings

from clinic.accounts.models import User

from .invoices import BillingError
from .models import Invoice, Payment, PaymentMethod
from .payments import due_on, record_payment


@dataclass(frozen=True)
class Charge:
    reference: str  # the gateway's id for it (a PaymentIntent id)
    succeeded: bool


class Gateway(Protocol):
    name: str

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        invoice_id: int,
        customer: str = "",
    ) -> Charge: ...

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> str: ...


class ManualGateway:
    """No online payments: the clinic's own terminal takes cards and the desk records them."""

    name = "manual"

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        invoice_id: int,
        customer: str = "",
    ) -> Charge:
        raise BillingError(
            "This clinic takes no card payments online; use the clinic's terminal.",
            code="NO_GATEWAY",
        )

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> str:
        raise BillingError("This clinic has no online payments to refund.", code="NO_GATEWAY")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class StripeGateway:
    """Stripe's PaymentIntents and Refunds, through the official library."""

    name = "stripe"

    def __init__(self, api_key: str, api_base: str):
        import stripe

        self._stripe = stripe
        self.client = stripe.StripeClient(
            api_key, base_addresses={"api": api_base}, max_network_retries=2
        )

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        payment_method: str,
        idempotency_key: str,
        invoice_id: int,
        customer: str = "",
    ) -> Charge:
        # A card saved with Stripe belongs to its customer, who is named with it.
        named = {"customer": customer} if customer else {}
        try:
            intent = self.client.v1.payment_intents.create(
                params={
                    **named,
                    "amount": _cents(amount),
                    "currency": currency.lower(),
                    "payment_method": payment_method,
                    "confirm": True,
                    "off_session": True,
                    # The webhook finds the invoice and the payment's key from these.
                    "metadata": {"invoice": str(invoice_id), "idempotency_key": idempotency_key},
                },
                options={"idempotency_key": idempotency_key},
            )
        except self._stripe.StripeError as error:
            raise BillingError(
                f"The card was not charged: {error.user_message or 'the payment failed'}.",
                code="CARD_DECLINED",
                status=402,
            ) from error
        return Charge(reference=intent.id, succeeded=intent.status == "succeeded")

    def refund(self, *, reference: str, amount: Decimal, idempotency_key: str) -> str:
        try:
            made = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": _cents(amount)},
                options={"idempotency_key": idempotency_key},
            )
        except self._stripe.StripeError as error:
            raise BillingError("The refund failed at the gateway.", code="REFUND_FAILED") from error
        return str(made.id)


def gateway() -> Gateway:
    """The configured gateway (settings.PAYMENT_GATEWAY)."""
    if settings.PAYMENT_GATEWAY == "stripe":
        if not settings.STRIPE_SECRET_KEY:
            raise BillingError(
                "Stripe is chosen but STRIPE_SECRET_KEY is not set.", code="NO_GATEWAY"
            )
        return StripeGateway(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)
    return ManualGateway()


def charge_card(
    invoice: Invoice,
    *,
    amount: Decimal,
    payment_method: str,
    idempotency_key: str,
    by: User | None,
    using: Gateway | None = None,
    customer: str = "",
) -> Payment:
    """Charge a card saved with the gateway and record the payment, once per key.

    The gateway is called outside any transaction (no lock held over the network) with the same
    key, so a retry after a failure anywhere is one charge and one payment row.
    """
    if not invoice.is_issued:
        raise BillingError("Issue the invoice before taking payment.", code="NOT_ISSUED")
    # A double submit after the first charge was recorded: that payment, not a refusal.
    done = Payment.objects.filter(idempotency_key=idempotency_key, invoice=invoice).first()
    if done is not None and done.amount == amount:
        return done
    if amount > due_on(invoice):
        raise BillingError("That is more than is owed.", "amount", code="OVERPAYMENT")
    charged = (using or gateway()).charge(
        amount=amount,
        currency=invoice.currency,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
        invoice_id=invoice.pk,
        customer=customer,
    )
    if not charged.succeeded:
        raise BillingError("The card needs the client's confirmation.", code="CARD_PENDING")
    return record_payment(
        invoice=invoice,
        method=PaymentMethod.CREDIT,
        amount=amount,
        reference=charged.reference,
        idempotency_key=idempotency_key,
        by=by,
    )
