"""Booking pieces for other pages: today's visits on the homes, a client's visits on their page."""

from django import template

from clinic.accounts.roles import can_manage_bookings

from ..forms import slot_value as _slot_value
from ..selectors import client_schedule, todays_visits

register = template.Library()

DESK_LIMIT = 50


@register.filter
def slot_value(slot):
    return _slot_value(slot)


@register.inclusion_tag("booking/_today.html", takes_context=True)
def desk_today(context):
    """Every visit today (up to 50, then a link to the day view) with its screening badge."""
    visits = todays_visits(limit=DESK_LIMIT + 1)
    return {
        "visits": visits[:DESK_LIMIT],
        "more": len(visits) > DESK_LIMIT,
        "show_therapist": True,
        "request": context["request"],
    }


@register.inclusion_tag("booking/_today.html", takes_context=True)
def therapist_today(context, therapist):
    """The therapist's own visits today with their screening badges, one tap to the note."""
    return {
        "visits": todays_visits(therapist),
        "more": False,
        "show_therapist": False,
        "request": context["request"],
    }


@register.inclusion_tag("booking/_client_visits.html", takes_context=True)
def client_visits(context, client):
    """A client's next visits and their last few, with a Book button for the front desk."""
    upcoming, recent = client_schedule(client)
    return {
        "client": client,
        "upcoming": upcoming,
        "recent": recent,
        "can_book": can_manage_bookings(context["request"].user),
    }
