"""The billing panel other apps' pages include: a visit's billing status (the desk also gets
the checkout link). A therapist sees whether their own visit is billed and paid, no amounts."""

from django import template

from clinic.accounts.roles import can_see_billing_status, can_take_payments

from ..selectors import visit_billing_status

register = template.Library()


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
