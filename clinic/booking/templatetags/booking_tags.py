"""Booking pieces for other pages: today's visits on the homes, a client's visits on their page."""

from django import template
from django.utils import timezone

from clinic.accounts.roles import can_manage_bookings, is_the_client
from clinic.core.models import ClinicSettings

from ..forms import slot_value as _slot_value
from ..selectors import client_schedule, todays_visits
from ..self_service import can_change_online

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


@register.inclusion_tag("booking/_my_visits.html", takes_context=True)
def my_visits(context, client, upcoming=50, past=5, more_url=""):
    """The client's own visits on their portal: each upcoming one with Move and Cancel while
    the online cut-off allows, "call the clinic" after it; then their latest past visits."""
    if client is None or not is_the_client(context["request"].user, client):
        return {"client": None}
    coming, recent = client_schedule(client, upcoming=upcoming, recent=past)
    now = timezone.now()
    clinic = ClinicSettings.load()
    return {
        "client": client,
        "upcoming": [(visit, can_change_online(visit, now)) for visit in coming],
        "show_upcoming": upcoming > 0,
        "recent": recent,
        "show_recent": past > 0,
        "more_url": more_url,
        "cutoff_hours": clinic.online_cancel_cutoff_hours,
        "clinic": clinic,
    }
