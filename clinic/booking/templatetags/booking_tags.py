"""Booking pieces for other apps' pages: today's visits on the front-desk and therapist homes."""

from django import template

from ..forms import slot_value as _slot_value
from ..selectors import todays_visits

register = template.Library()

DESK_LIMIT = 50


@register.filter
def slot_value(slot):
    return _slot_value(slot)


@register.inclusion_tag("booking/_today.html")
def desk_today():
    """Every visit today (up to 50, then a link to the day view) with its screening badge."""
    visits = todays_visits(limit=DESK_LIMIT + 1)
    return {"visits": visits[:DESK_LIMIT], "more": len(visits) > DESK_LIMIT, "show_therapist": True}


@register.inclusion_tag("booking/_today.html")
def therapist_today(therapist):
    """The therapist's own visits today with their screening badges."""
    return {"visits": todays_visits(therapist), "more": False, "show_therapist": False}
