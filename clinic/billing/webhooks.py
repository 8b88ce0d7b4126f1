"""Stripe's webhooks: verified by their signature, handled once per event id, and the database
stays the source of truth (a payment the desk already recorded is found by its key, not added).
"""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from clinic.core.inputs import parse_id

from . import online
from .invoices import BillingError
from .models import GatewayEvent, Invoice, Payment, PaymentMethod
from .payments import record_payment


class BadWebhook(BillingError):
    code = "BAD_WEBHOOK"


def verified_event(payload: bytes, signature: str) -> dict:
    """The event Stripe signed, or BadWebhook (a forged or stale request)."""
    import stripe

    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadWebhook("Webhooks are not set up (STRIPE_WEBHOOK_SECRET).")
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadWebhook("The webhook's signature does not verify.") from error
    return event.to_dict()


def _payment_for_intent(intent: dict) -> Payment | None:
    metadata = intent.get("metadata") or {}
    invoice = Invoice.objects.filter(pk=parse_id(metadata.get("invoice"))).first()
    key = metadata.get("idempotency_key") or f"stripe-{intent['id']}"
    if invoice is None:
        return None
    amount = Decimal(int(intent["amount_received"] or intent["amount"])) / 100
    found = Payment.objects.filter(idempotency_key=key).first()
    if found is not None:
        return found
    return record_payment(
        invoice=invoice,
        method=PaymentMethod.CREDIT,
        amount=amount,
        reference=intent["id"],
        idempotency_key=key,
        by=None,
    )


def handle(event: dict) -> GatewayEvent | None:
    """Handle a verified event once: a PaymentIntent that succeeded is a payment (found by its
    key when the desk's charge already recorded it); a completed Checkout Session is a card
    kept or a balance paid (clinic/billing/online.py). Returns None for a redelivered event."""
    try:
        prepared = online.prepare(event)
    except (KeyError, TypeError, AttributeError) as error:
        raise BadWebhook("The event is not one Tranquil knows.") from error
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = GatewayEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return None
        if event["type"] == "payment_intent.succeeded":
            try:
                row.payment = _payment_for_intent(event["data"]["object"])
            except (KeyError, TypeError, ValueError, ArithmeticError) as error:
                raise BadWebhook("The event is not a payment intent Tranquil knows.") from error
            row.save(update_fields=["payment"])
        elif event["type"] == "checkout.session.completed":
            try:
                row.payment = online.session_completed(event["data"]["object"], prepared)
            except (KeyError, TypeError, ValueError, ArithmeticError) as error:
                raise BadWebhook("The event is not a session Tranquil knows.") from error
            row.save(update_fields=["payment"])
        elif event["type"] == "setup_intent.succeeded" and prepared is not None:
            online.keep_card(prepared)
    return row
