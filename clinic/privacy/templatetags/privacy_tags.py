"""Privacy panels other pages include: the admin home's due requests, the client page's link."""

from django import template
from django.utils import timezone

from clinic.accounts.roles import can_handle_privacy_requests
from intake.answers import ANSWER_SPECS

from ..access_requests import due_requests

register = template.Library()
PANEL_LIMIT = 20


@register.inclusion_tag("privacy/_admin_due.html", takes_context=True)
def privacy_due(context):
    """Access requests overdue or due within a week (two queries)."""
    today = timezone.localdate()
    due = list(due_requests(today)[:PANEL_LIMIT])
    return {
        "due": due,
        "overdue": sum(1 for r in due if r.due_on < today),
        "today": today,
        "request": context.get("request"),
    }


@register.inclusion_tag("privacy/_client_link.html", takes_context=True)
def privacy_link(context, client):
    """The way to a client's export and requests, for the clinic admin only."""
    return {"client": client, "show": can_handle_privacy_requests(context["request"].user)}


@register.filter
def answer_rows(answers):
    """An intake's answers as (question, answer) in the form's order, for the export PDF."""
    rows = []
    for key, spec in ANSWER_SPECS.items():
        if key not in answers:
            continue
        value = answers[key]
        if isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif value is None:
            shown = "—"
        elif spec.choices:
            shown = dict(spec.choices).get(value, value)
        else:
            shown = value
        rows.append((spec.question, shown))
    return rows
