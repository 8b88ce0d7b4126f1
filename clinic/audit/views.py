from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from clinic.accounts.roles import Role, role_required

from .forms import AuditFilterForm
from .models import AuditEvent

PAGE_SIZE = 100


def _start_of(day):
    # Days are the clinic's days (the middleware activated its zone).
    return timezone.make_aware(datetime.combine(day, time.min))


@role_required(Role.CLINIC_ADMIN)
def audit_log(request):
    """Admins only: every view and change of a clinical record, newest first, filterable."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor", "client")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor=data["actor"])
        if data["client"]:
            events = events.filter(client=data["client"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
