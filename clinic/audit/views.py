from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client
from clinic.accounts.roles import NotTreating, Role, can_break_glass, role_required
from clinic.core.errors import DomainError, add_error_to_form

from .break_glass import break_glass, grants_for_review, mark_reviewed
from .forms import AuditFilterForm, BreakGlassForm, GrantFilterForm
from .models import AuditEvent, BreakGlassGrant

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


def _back(request, fallback):
    """The page to return to: `next` when it is on this site, else `fallback`."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return fallback


def permission_denied(request, exception):
    """The project's 403 page (handler403). A therapist refused the record of a client they do
    not treat is told why, and may break the glass with a reason from the same page."""
    if isinstance(exception, NotTreating):
        form = BreakGlassForm(initial={"next": request.get_full_path()})
        context = {"client": exception.client, "form": form}
        return render(request, "audit/break_glass.html", context, status=403)
    return defaults.permission_denied(request, exception)


@role_required(Role.THERAPIST)
def break_glass_page(request, pk):
    """A therapist asks for a client's record with a reason; it opens until the end of the day."""
    client = get_object_or_404(Client, pk=pk)
    record_page = reverse("treatment-record", args=[client.pk])
    if not can_break_glass(request.user, client):
        # Already open to them (they treat the client, or broke the glass earlier today).
        return redirect(_back(request, record_page))
    form = BreakGlassForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        try:
            break_glass(client=client, reason=form.cleaned_data["reason"], by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"{client.full_name}'s record is open to you until tonight.")
            return redirect(_back(request, record_page))
    status = 400 if form.errors else 200
    return render(
        request, "audit/break_glass.html", {"client": client, "form": form}, status=status
    )


@role_required(Role.CLINIC_ADMIN)
def break_glass_review(request):
    """The clinic admin's list of break-the-glass grants, newest first, by day if asked."""
    form = GrantFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        grants = BreakGlassGrant.objects.none()
    else:
        grants = grants_for_review(form.cleaned_data["day"] if form.is_bound else None)
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/break_glass_review.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.CLINIC_ADMIN)
def break_glass_mark_reviewed(request, pk):
    """Mark one grant reviewed (audited), then back to the list."""
    grant = get_object_or_404(BreakGlassGrant.objects.select_related("client"), pk=pk)
    try:
        mark_reviewed(grant=grant, by=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked reviewed.")
    return redirect(_back(request, reverse("break-glass-review")))
