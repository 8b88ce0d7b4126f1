"""The time-grid calendar: a day and a week of every therapist, the "next available" jump and
the drag-to-move endpoint, which calls the same `reschedule` as the Move page."""

from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from clinic.accounts.models import Therapist
from clinic.accounts.roles import (
    DESK,
    STAFF,
    can_manage_bookings,
    can_regenerate_feed,
    own_therapist,
    role_required,
)
from clinic.core.clinic_time import clinic_zone, describe_span, local_date, today, week_start
from clinic.core.inputs import parse_day, parse_id

from .. import booking
from ..availability import free_slots
from ..booking import BookingError
from ..forms import RescheduleForm, parse_aware
from ..grid_cache import cached_grid
from ..models import Service
from ..timegrid import LANES_PER_PAGE, WEEK_LANES_PER_PAGE, grid_therapists, time_grid
from .schedule import actions_for, appointment_or_404

# How far ahead "next available" looks before saying there is nothing.
NEXT_AVAILABLE_DAYS = 60


def _day_from(request, default=None):
    return parse_day(request.GET.get("date")) or default or today()


def _therapist_from(request):
    wanted = parse_id(request.GET.get("therapist"))
    if wanted is None:
        return None
    return get_object_or_404(Therapist.objects.select_related("user"), pk=wanted)


def _highlight(request):
    """The time the "next available" jump points at: (therapist id, start, end), or None."""
    starts_at = parse_aware(request.GET.get("free", ""))
    therapist, service = (
        parse_id(request.GET.get("free_therapist")),
        parse_id(request.GET.get("service")),
    )
    if starts_at is None or therapist is None or service is None:
        return None
    found = Service.objects.filter(pk=service).first()
    return (therapist, starts_at, starts_at + found.duration) if found else None


def _lanes_page(request, therapists, highlight, per_page):
    """The page of therapists the grid shows, and the pager's numbers (`page` is 1-based; one
    past either end shows the nearest page). Without a `page`, the page with the lane of
    `lane` (a therapist id: the visit just booked or moved) or of the highlighted time (the
    "next available" jump)."""
    pages = max(1, -(-len(therapists) // per_page))
    wanted = parse_id(request.GET.get("page"))
    lane = parse_id(request.GET.get("lane")) or (highlight[0] if highlight else None)
    ids = [t.pk for t in therapists]
    if wanted is None and lane in ids:
        wanted = ids.index(lane) // per_page + 1
    number = min(max(wanted or 1, 1), pages)
    first = (number - 1) * per_page
    shown = therapists[first : first + per_page]
    pager = {
        "number": number,
        "pages": pages,
        "first": first + 1,
        "last": first + len(shown),
        "count": len(therapists),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
    }
    return shown, pager


def _calendar(request, template, days, *, therapist, show, extra):
    can_move = can_manage_bookings(request.user)

    def draw(csrf_token):
        candidates = grid_therapists(days, show_gone=show == "all")
        highlight = _highlight(request)
        if therapist is None:
            per_page = LANES_PER_PAGE if len(days) == 1 else WEEK_LANES_PER_PAGE
            shown, pager = _lanes_page(request, candidates, highlight, per_page)
        else:
            shown, pager = [therapist], None
        grid = time_grid(
            days,
            shown,
            show_gone=show == "all",
            drop_idle_days=len(days) > 1,
            highlight=highlight,
        )
        now, zone = timezone.now(), clinic_zone()
        for visit in grid.visits:
            visit.actions = actions_for(request.user, visit, now=now, zone=zone)
        context = {
            "grid": grid,
            "therapist": therapist,
            "therapists": [t for t in candidates if t.is_active],
            "pager": pager,
            "services": list(Service.objects.filter(is_active=True)),
            "show": show,
            "today": today(),
            "can_book": can_move,
            "can_move": can_move,
            "visit_count": len(grid.visits),
            "user": request.user,
            "request": request,
            "csrf_token": csrf_token,
            **extra,
        }
        return render_to_string(
            template.replace("/", "/_").replace(".html", "_content.html"), context
        ), grid

    own_lanes = therapist is not None and therapist.user_id == request.user.pk
    content_html = cached_grid(request, draw, own_lanes=own_lanes)
    return render(request, template, {"content_html": content_html, "can_move": can_move, **extra})


@role_required(*STAFF)
def day_view(request):
    """The front desk's main page: one lane per therapist down the day, with today's
    cancellations and no-shows shown (struck through) unless `show=active`."""
    day = _day_from(request)
    show = "active" if request.GET.get("show") == "active" else "all"
    return _calendar(
        request,
        "booking/day.html",
        [day],
        therapist=_therapist_from(request),
        show=show,
        extra={"day": day, "previous": day - timedelta(days=1), "next": day + timedelta(days=1)},
    )


@role_required(*STAFF)
def week_view(request):
    """Monday to Sunday × every therapist (a therapist opens on their own lanes), days nobody
    works left out; cancellations only with `show=all`."""
    monday = week_start(_day_from(request))
    therapist = _therapist_from(request)
    if therapist is None and "therapist" not in request.GET:
        therapist = own_therapist(request.user)
    show = "all" if request.GET.get("show") == "all" else "active"
    return _calendar(
        request,
        "booking/week.html",
        [monday + timedelta(days=n) for n in range(7)],
        therapist=therapist,
        show=show,
        extra={
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "can_regenerate": therapist is not None
            and can_regenerate_feed(request.user, therapist),
        },
    )


@role_required(*STAFF)
def next_available(request):
    """Jump the day view to the next free time for a service (with one therapist, or anyone)."""
    service = Service.objects.filter(is_active=True, pk=request.GET.get("service") or None).first()
    therapist = _therapist_from(request)
    if service is None:
        messages.error(request, "Choose a service to find its next free time.")
        return redirect("booking-day")
    now = timezone.now()
    slots = free_slots(service, now, now + timedelta(days=NEXT_AVAILABLE_DAYS), therapist)
    if not slots:
        messages.error(
            request, f"No free time for {service.name} in the next {NEXT_AVAILABLE_DAYS} days."
        )
        return redirect("booking-day")
    slot = slots[0]
    query = {
        "date": local_date(slot.starts_at).isoformat(),
        "free": slot.starts_at.isoformat(),
        "free_therapist": slot.therapist_id,
        "service": service.pk,
    }
    return redirect(f"{reverse('booking-day')}?{urlencode(query)}#next-free")


@require_POST
@role_required(*DESK)
def move_visit(request, pk):
    """Drag-to-move: `slot` (start|therapist id) in, JSON out; a clash is the BookingClash
    refusal (409, naming every conflict) and the visit stays where it was."""
    visit = appointment_or_404(pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        errors = [m for messages_ in form.errors.values() for m in messages_]
        return JsonResponse({"detail": " ".join(errors), "conflicts": []}, status=400)
    starts_at, therapist = form.cleaned_data["slot"]
    try:
        booking.reschedule(
            visit, starts_at=starts_at, therapist=therapist, room=form.cleaned_data["room"]
        )
    except BookingError as error:
        return JsonResponse(error.response_body(), status=error.status)
    moved = (
        f"Moved {visit.client.full_name} to "
        f"{describe_span(visit.starts_at, visit.ends_at)} with {therapist.name}."
    )
    # The page reloads after a drop; the message greets it there.
    messages.success(request, moved)
    return JsonResponse(
        {
            "detail": moved,
            "starts_at": visit.starts_at.isoformat(),
            "therapist": therapist.pk,
        }
    )
