"""A client pays their balance online: a Stripe-hosted Checkout Session in `payment` mode.

The payment is recorded when the client comes back and when Stripe's webhook says the session
completed, whichever is first; the second finds the first's rows by the session's key. Money
above what the invoices still owe (a balance paid twice from two tabs) is not refused — it was
taken — but kept as an `Overpayment`: the client's credit, flagged for the desk to refund.
"""

import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum

from clinic.accounts.models import Client, User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.inputs import parse_id

from .cards import card_of, intent_card_details, save_card, saved_card_details, stripe
from .gateways import _cents, gateway
from .invoices import BillingError
from .models import Invoice, InvoiceStatus, NumberSeries, Payment, PaymentMethod
from .online_models import Overpayment, OverpaymentRefund
from .payments import due_on, record_payment


def outstanding(client: Client) -> list[tuple[Invoice, Decimal]]:
    """The client's issued invoices that still ask for money, oldest first, with what is due."""
    issued = Invoice.objects.filter(
        client=client, kind=NumberSeries.INVOICE, status=InvoiceStatus.ISSUED
    ).order_by("issued_at", "id")
    return [(invoice, due) for invoice in issued if (due := due_on(invoice)) > 0]


def to_refund(client: Client) -> QuerySet[Overpayment]:
    """The client's overpayments not yet given back."""
    return Overpayment.objects.filter(client=client, refund__isnull=True)


def overpaid(client: Client) -> Decimal:
    """What the client paid online above what they owed, awaiting a refund by the desk."""
    total: Decimal | None = to_refund(client).aggregate(t=Sum("amount"))["t"]
    return total or Decimal("0.00")


def refund_overpayment(overpayment: Overpayment, *, by: User | None) -> OverpaymentRefund:
    """Give an overpayment back to the card it came from, once (the gateway gets the same key
    on a retry, so a double click is one refund)."""
    done = OverpaymentRefund.objects.filter(overpayment=overpayment).first()
    if done is not None:
        return done
    reference = gateway().refund(
        reference=overpayment.reference,
        amount=overpayment.amount,
        idempotency_key=f"overpayment-{overpayment.pk}",
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                made = OverpaymentRefund.objects.create(
                    overpayment=overpayment,
                    reference=reference,
                    refunded_by=by if by is not None and by.is_authenticated else None,
                )
        except IntegrityError:  # the same refund, recorded by a concurrent click
            return OverpaymentRefund.objects.get(overpayment=overpayment)
        record(
            by,
            AuditAction.CREATE,
            made,
            client=overpayment.client,
            detail=f"overpayment {overpayment.amount} refunded",
        )
    return made


def start_balance_payment(client: Client, *, success_url: str, cancel_url: str) -> str:
    """A Stripe-hosted page where the client pays what they owe; answers its URL."""
    owed = outstanding(client)
    if not owed:
        raise BillingError("There is nothing to pay.", code="NOTHING_OWED")
    total = sum((due for _, due in owed), Decimal("0.00"))
    card = card_of(client)
    session = stripe().client.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "client_reference_id": str(client.pk),
            **({"customer": card.customer} if card else {}),
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": owed[0][0].currency.lower(),
                        "unit_amount": _cents(total),
                        "product_data": {"name": "Balance: " + ", ".join(i.label for i, _ in owed)},
                    },
                }
            ],
            "metadata": {
                "client": str(client.pk),
                "purpose": "balance",
                "invoices": ",".join(str(i.pk) for i, _ in owed),
            },
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
    )
    return str(session.url)


def session_of(session_id: str) -> dict:
    """The Checkout Session as Stripe has it now (the return page does not trust its URL)."""
    using = stripe()
    try:
        return using.client.v1.checkout.sessions.retrieve(session_id).to_dict()
    except using._stripe.StripeError as error:
        raise BillingError("Stripe does not know that payment.", code="NO_SUCH_SESSION") from error


def _key(session_id: str, part: str) -> str:
    # Stripe's session ids are longer than our keys: a digest of it, then which part.
    return f"cs-{hashlib.sha256(session_id.encode()).hexdigest()[:40]}-{part}"


def record_session_payment(
    session: dict, *, by: User | None
) -> tuple[list[Payment], Overpayment | None]:
    """Record a paid balance session once: allocated to its invoices oldest first, up to what
    each still owes, and the rest as an overpayment. A repeat answers the first rows."""
    metadata = session.get("metadata") or {}
    if session.get("mode") != "payment" or metadata.get("purpose") != "balance":
        raise BillingError("That is not a balance payment.", code="NOT_A_BALANCE_PAYMENT")
    if session.get("payment_status") != "paid":
        raise BillingError("The payment is not complete.", code="NOT_PAID")
    client = Client.objects.filter(pk=parse_id(metadata.get("client"))).first()
    if client is None:
        raise BillingError("That payment names no client here.", code="NOT_A_BALANCE_PAYMENT")
    ids = [parse_id(i) for i in str(metadata.get("invoices", "")).split(",")]
    left = Decimal(int(session["amount_total"])) / 100
    reference = str(session.get("payment_intent") or session["id"])
    with transaction.atomic():
        # One session at a time per client: the return page and the webhook may race.
        Client.objects.select_for_update().get(pk=client.pk)
        prefix = _key(session["id"], "")
        done = list(Payment.objects.filter(idempotency_key__startswith=prefix))
        extra = Overpayment.objects.filter(idempotency_key__startswith=prefix).first()
        if done or extra:
            return done, extra
        invoices = Invoice.objects.filter(client=client, pk__in=ids).order_by("issued_at", "id")
        payments = []
        for invoice in invoices:
            part = min(left, max(due_on(invoice), Decimal("0.00")))
            if part <= 0:
                continue
            payments.append(
                record_payment(
                    invoice=invoice,
                    method=PaymentMethod.CREDIT,
                    amount=part,
                    reference=reference,
                    idempotency_key=_key(session["id"], str(invoice.pk)),
                    by=by,
                )
            )
            left -= part
        if left > 0:
            extra = Overpayment.objects.create(
                client=client,
                amount=left,
                reference=reference,
                idempotency_key=_key(session["id"], "over"),
                received_by=by if by is not None and by.is_authenticated else None,
            )
            record(by, AuditAction.CREATE, extra, detail=f"overpaid online {left}: to refund")
    return payments, extra


def prepare(event: dict) -> dict | None:
    """What a completed card-setup session saved, read from Stripe (the event only names it).
    Called before the event's transaction, so no lock is held over the network."""
    thing = event["data"]["object"]
    if event["type"] == "checkout.session.completed" and thing.get("mode") == "setup":
        return saved_card_details(thing["id"])
    if event["type"] == "setup_intent.succeeded":
        return intent_card_details(thing)
    return None


def keep_card(prepared: dict) -> None:
    """Stripe says a card was saved (`prepare` read it): keep it for the client it names."""
    client = Client.objects.filter(pk=parse_id(prepared.get("client"))).first()
    if client is not None:
        save_card(client, prepared, by=None)


def session_completed(session: dict, prepared: dict | None) -> Payment | None:
    """Stripe says a Checkout Session completed: keep the card, or record the payment."""
    if prepared is not None:
        keep_card(prepared)
        return None
    if (session.get("metadata") or {}).get("purpose") == "balance":
        payments, _ = record_session_payment(session, by=None)
        return payments[0] if payments else None
    return None
