"""The client's own visits from their portal: cancel, or move to another free time.

Both go through clinic/booking/self_service.py, which holds the online cut-off and then calls
the booking service. Past the cut-off the pages say "call the clinic" and a POST is refused
(409) with nothing changed; a time taken a moment earlier answers with the nearest free times.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from clinic.accounts.roles import Role, can_change_own_visit, role_required
from clinic.core.clinic_time import day_bounds, local, local_date, today
from clinic.core.errors import DomainError
from clinic.core.inputs import parse_day

from .. import self_service
from ..availability import earliest_online_start, free_slots, nearest_free_slots
from ..booking import BookingClash, is_late_cancellation, late_window_hours
from ..forms import SlotField
from ..models import Appointment

DAYS_AHEAD = 14
STEP = timedelta(minutes=30)


def _own_visit(request, pk):
    """The visit, if it is the logged-in client's own; anyone else's is a 404."""
    visit = get_object_or_404(
        Appointment.objects.select_related("client", "therapist__user", "room", "service"), pk=pk
    )
    if not can_change_own_visit(request.user, visit):
        raise Http404
    return visit


def _refused(request, visit, error):
    """Nothing changed: the cancel page, with why, and the HTTP status the refusal carries."""
    context = {"visit": visit, "error": error.message, "changeable": False}
    return render(request, "booking/portal/cancel.html", context, status=error.status)


@role_required(Role.CLIENT)
def cancel(request, pk):
    """Ask "cancel this visit?"; the POST cancels it (refused past the online cut-off)."""
    visit = _own_visit(request, pk)
    if request.method == "POST":
        try:
            self_service.cancel_online(visit, by=request.user)
        except DomainError as error:
            return _refused(request, visit, error)
        messages.success(
            request,
            f"Your visit on {_when(visit.starts_at)} is cancelled.",
        )
        return redirect("client-home")
    return render(
        request,
        "booking/portal/cancel.html",
        {
            "visit": visit,
            "changeable": self_service.can_change_online(visit),
            "late": is_late_cancellation(visit),
            "late_hours": late_window_hours(),
        },
    )


def _when(moment):
    """A visit's time as the portal shows it (clinic time, the one date format)."""
    return f"{local(moment):%a %b %-d, %Y, %H:%M}"


def _day(request):
    return parse_day(request.GET.get("date"))


def _slot_page(request, visit, *, status=200, error="", options=None):
    """Free times with the visit's therapist for two weeks: days, and the chosen day's times."""
    start_day = today()
    window = day_bounds(start_day)[0], day_bounds(start_day + timedelta(days=DAYS_AHEAD))[0]
    by_day = {}
    for slot in free_slots(
        visit.service, *window, visit.therapist, step=STEP, now=earliest_online_start()
    ):
        by_day.setdefault(local_date(slot.starts_at), []).append(slot)
    days = [start_day + timedelta(days=n) for n in range(DAYS_AHEAD)]
    day = _day(request) or next((d for d in days if d in by_day), start_day)
    base = reverse("booking-my-reschedule", args=[visit.pk])
    return render(
        request,
        "booking/portal/reschedule.html",
        {
            "visit": visit,
            "changeable": self_service.can_change_online(visit),
            "days": [
                (d, d in by_day, f"{base}?{urlencode({'date': d.isoformat()})}") for d in days
            ],
            "day": day,
            "times": by_day.get(day, []),
            "error": error,
            "options": options,
        },
        status=status,
    )


@role_required(Role.CLIENT)
def reschedule(request, pk):
    """Pick another free time with the same therapist; the POST moves the visit there."""
    visit = _own_visit(request, pk)
    if request.method != "POST":
        return _slot_page(request, visit)
    try:
        starts_at, _ = SlotField().clean(request.POST.get("slot", ""))
    except (ValidationError, TypeError):
        return _slot_page(request, visit, status=400, error="Choose one of the free times.")
    old_start = visit.starts_at
    try:
        self_service.reschedule_online(visit, starts_at=starts_at, by=request.user)
    except BookingClash:
        near = nearest_free_slots(
            visit.service, starts_at, visit.therapist, now=earliest_online_start()
        )
        message = "Sorry, that time was just taken. The nearest free times are below."
        return _slot_page(request, visit, status=409, error=message, options=near)
    except DomainError as error:
        return _slot_page(request, visit, status=error.status, error=error.message)
    messages.success(
        request,
        f"Your visit is moved from {_when(old_start)} to {_when(visit.starts_at)}. "
        "We have emailed you the new time.",
    )
    return redirect("client-home")
