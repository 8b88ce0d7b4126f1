"""A client's card on file, kept by Stripe: Tranquil sends the client to a Stripe-hosted
Checkout Session in `setup` mode and keeps only the ids and what the card is known by (brand,
last four digits, expiry). No card number reaches Tranquil and no page of ours loads Stripe.

The return from Stripe and the `checkout.session.completed` webhook both call `save_card`,
which writes once: the database is the truth, whichever of the two comes first.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from clinic.accounts.models import Client, User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.booking.self_service import card_first
from clinic.core.models import ClinicSettings

from .gateways import StripeGateway, charge_card, gateway
from .invoices import BillingError
from .models import Invoice, Payment
from .online_models import CardOnFile


def online_payments() -> bool:
    """The clinic takes cards online (a Stripe gateway is configured)."""
    return settings.PAYMENT_GATEWAY == "stripe"


def stripe() -> StripeGateway:
    """The Stripe gateway, or a refusal the client can read when the clinic has none."""
    chosen = gateway()
    if not isinstance(chosen, StripeGateway):
        raise BillingError("This clinic takes no cards online.", code="NO_GATEWAY")
    return chosen


def card_of(client: Client) -> CardOnFile | None:
    return CardOnFile.objects.filter(client=client).first()


def _customer(client: Client, using: StripeGateway) -> str:
    """The client's Stripe customer: the one their card has, else a new one."""
    card = card_of(client)
    if card is not None:
        return card.customer
    made = using.client.v1.customers.create(
        params={
            "email": client.email or "",
            "name": client.full_name,
            "metadata": {"client": str(client.pk)},
        }
    )
    return str(made.id)


def card_for_reminder(client: Client) -> dict | None:
    """What the appointment reminder says of the card on file: nothing unless the clinic
    requires one; else the client's card label, or an empty label when none is on file."""
    if not card_first():
        return None
    card = card_of(client)
    return {"label": card.label if card else "", "url": reverse("billing-my-card")}


def start_card_setup(client: Client, *, success_url: str, cancel_url: str) -> str:
    """A Stripe-hosted page where the client saves a card; answers its URL.

    `success_url` gets `session_id={CHECKOUT_SESSION_ID}`, which Stripe fills in.
    """
    using = stripe()
    session = using.client.v1.checkout.sessions.create(
        params={
            "mode": "setup",
            "currency": ClinicSettings.load().currency.lower(),
            "customer": _customer(client, using),
            "client_reference_id": str(client.pk),
            "payment_method_types": ["card"],
            "metadata": {"client": str(client.pk), "purpose": "card_on_file"},
            "setup_intent_data": {"metadata": {"client": str(client.pk)}},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
    )
    return str(session.url)


def saved_card_details(session_id: str) -> dict | None:
    """What a completed setup session saved (customer, card id, brand, last4, expiry), read
    from Stripe; None when the session is not a completed card setup."""
    using = stripe()
    try:
        session = using.client.v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["setup_intent.payment_method"]}
        )
    except using._stripe.StripeError as error:
        raise BillingError(
            "Stripe does not know that card setup.", code="NO_SUCH_SESSION"
        ) from error
    intent = session.setup_intent
    if session.mode != "setup" or session.status != "complete" or not intent:
        return None
    method = intent.payment_method
    card = method.card
    return {
        "client": session.client_reference_id,
        "customer": str(session.customer),
        "payment_method": str(method.id),
        "brand": str(card.brand),
        "last4": str(card.last4),
        "exp_month": int(card.exp_month),
        "exp_year": int(card.exp_year),
    }


def intent_card_details(intent: dict) -> dict | None:
    """What a succeeded SetupIntent saved, for the client its metadata names; the event names
    the card only by id, so its brand and digits are read from Stripe."""
    client = (intent.get("metadata") or {}).get("client")
    if intent.get("status") != "succeeded" or not client or not intent.get("payment_method"):
        return None
    using = stripe()
    try:
        method = using.client.v1.payment_methods.retrieve(str(intent["payment_method"]))
    except using._stripe.StripeError as error:
        raise BillingError("Stripe does not know that card.", code="NO_SUCH_CARD") from error
    return {
        "client": client,
        "customer": str(intent["customer"]),
        "payment_method": str(method.id),
        "brand": str(method.card.brand),
        "last4": str(method.card.last4),
        "exp_month": int(method.card.exp_month),
        "exp_year": int(method.card.exp_year),
    }


def save_card(client: Client, details: dict, *, by: User | None) -> CardOnFile:
    """Keep (or replace) the client's card from what Stripe said; the same card twice is one
    write."""
    if str(details.get("client")) != str(client.pk):
        raise BillingError("That card setup belongs to someone else.", code="NOT_YOUR_SESSION")
    fields = {k: details[k] for k in ("customer", "payment_method", "brand", "last4")}
    fields |= {"exp_month": details["exp_month"], "exp_year": details["exp_year"]}
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        card = CardOnFile.objects.filter(client=client).first()
        if card is not None and card.payment_method == fields["payment_method"]:
            return card
        card, _ = CardOnFile.objects.update_or_create(client=client, defaults=fields)
        record(by, AuditAction.UPDATE, card, detail=f"card on file: {card.label}")
    return card


def remove_card(client: Client, *, by: User | None) -> bool:
    """Forget the client's card (Stripe keeps its own copy until the clinic deletes it there)."""
    with transaction.atomic():
        card = CardOnFile.objects.select_for_update().filter(client=client).first()
        if card is None:
            return False
        record(by, AuditAction.UPDATE, client, detail=f"card on file removed: {card.label}")
        card.delete()
    return True


def charge_card_on_file(
    invoice: Invoice, *, amount: Decimal, idempotency_key: str, by: User | None
) -> Payment:
    """Charge the invoice's client's card on file off-session; recorded once per key, and a
    decline is a refusal that records nothing."""
    card = card_of(invoice.client)
    if card is None:
        raise BillingError("This client has no card on file.", code="NO_CARD_ON_FILE")
    return charge_card(
        invoice,
        amount=amount,
        payment_method=card.payment_method,
        customer=card.customer,
        idempotency_key=idempotency_key,
        by=by,
        using=stripe(),
    )
