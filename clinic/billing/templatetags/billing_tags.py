"""The billing panel other apps' pages include: a visit's billing status (the desk also gets
the checkout link). A therapist sees whether their own visit is billed and paid, no amounts."""

from django import template

from clinic.accounts.roles import can_see_billing_status, can_take_payments

from ..models import Invoice, NumberSeries
from ..payments import due_on

register = template.Library()


def visit_billing_status(appointment) -> str:
    """In a few words: not invoiced, draft, paid, or owing."""
    invoice = Invoice.objects.filter(appointment=appointment, kind=NumberSeries.INVOICE).first()
    if invoice is None:
        return "Not invoiced"
    if not invoice.is_issued:
        return "Invoice drafted, not issued"
    return f"Invoice {invoice.label}: " + ("paid" if due_on(invoice) <= 0 else "payment owing")


@register.inclusion_tag("billing/_visit_status.html", takes_context=True)
def billing_status(context, appointment):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_see_billing_status(user, appointment):
        return {"shown": False}
    return {
        "shown": True,
        "status": visit_billing_status(appointment),
        "checkout": can_take_payments(user),
        "visit": appointment,
    }
