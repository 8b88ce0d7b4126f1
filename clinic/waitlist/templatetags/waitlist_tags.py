"""The waitlist panel other apps' pages include: a client's entries and their offers, with
"Add to the waitlist" for those who manage bookings. Renders with a fixed number of queries."""

from django import template

from clinic.accounts.roles import can_manage_bookings

from ..models import Offer, WaitlistEntry

register = template.Library()


@register.inclusion_tag("waitlist/_client.html", takes_context=True)
def waitlist_section(context, client):
    request = context.get("request")
    entries = (
        WaitlistEntry.objects.filter(client=client)
        .select_related("service")
        .prefetch_related("therapists__user")
        .order_by("-created_at")[:20]
    )
    offers = Offer.objects.filter(client=client).select_related("therapist__user")[:20]
    return {
        "client": client,
        "entries": list(entries),
        "offers": list(offers),
        "can_add": request is not None and can_manage_bookings(request.user),
    }
