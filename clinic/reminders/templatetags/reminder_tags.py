"""Reminder panels other apps' pages include: a client's or a visit's reminder history, and the
front desk's rebook list and failed reminders. Each renders with a fixed number of queries."""

from django import template
from django.utils import timezone

from ..models import Reminder, ReminderOptOut, ReminderStatus
from ..practice import rebook_list

register = template.Library()
HISTORY_LIMIT = 50
FAILED_LIMIT = 50


@register.inclusion_tag("reminders/_history.html", takes_context=True)
def reminder_history(context, client=None, appointment=None):
    """The latest reminders of a client, or of one visit: when, how, what, and what happened."""
    rows = Reminder.objects.select_related("appointment", "invoice").order_by("-due_at", "-id")
    rows = rows.filter(appointment=appointment) if appointment else rows.filter(client=client)
    opt_outs = [] if appointment else list(ReminderOptOut.objects.filter(client=client))
    return {
        "reminders": list(rows[:HISTORY_LIMIT]),
        "opt_outs": opt_outs,
        "limit": HISTORY_LIMIT,
        "for_visit": appointment is not None,
        "request": context.get("request"),
    }


@register.inclusion_tag("reminders/_front_desk.html", takes_context=True)
def front_desk_reminders(context):
    """Clients to call about rebooking, and reminders that could not be sent."""
    failed = (
        Reminder.objects.filter(status=ReminderStatus.FAILED)
        .select_related("client")
        .order_by("-updated_at")
    )
    return {
        "rebook": rebook_list(timezone.now()),
        "failed": list(failed[:FAILED_LIMIT]),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
