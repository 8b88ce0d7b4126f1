"""Front-desk work: find and register clients, book one visit or a series, reschedule, cancel,
check in, mark no-shows. Thin: each write is one call to the booking service."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client, Therapist
from clinic.accounts.roles import DESK, Role, can_change_visit, role_required
from clinic.core.clinic_time import describe_span, local_date
from clinic.core.errors import add_error_to_form
from intake import services as intake_services
from intake.status import screening_status

from .. import booking
from ..booking import BookingError
from ..forms import (
    BookForm,
    CancelForm,
    ClientForm,
    RescheduleForm,
    SeriesForm,
    SlotSearchForm,
    parse_aware,
)
from ..models import Appointment
from ..selectors import search_clients, slots_by_therapist
from ..series import book_series, plan_series
from ..signals import SeriesSuggestion, suggested_series
from .schedule import actions_for, appointment_or_404

SERIES_DONE = "booking-series-done"


def _day_url(visit):
    """The visit's day, on the page of therapists that holds its lane."""
    day = local_date(visit.starts_at).isoformat()
    return f"{reverse('booking-day')}?date={day}&lane={visit.therapist_id}"


@role_required(*DESK)
def client_search(request):
    query = request.GET.get("q", "")
    return render(
        request, "booking/clients.html", {"query": query, "clients": search_clients(query)}
    )


def send_intake_link(request, client):
    """Email the intake link (intake's own service), saying on the page how it went."""
    try:
        intake_services.send_intake_link(
            client, request.user, base_url=request.build_absolute_uri("/")
        )
    except intake_services.InvalidInput as error:
        for problems in error.errors.values():
            for problem in problems:
                messages.warning(request, problem)
    else:
        messages.info(request, f"The intake form link was emailed to {client.email}.")


@role_required(*DESK)
def client_new(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = form.save(commit=False)
        client.created_by = request.user
        client.save()
        messages.success(request, f"{client.full_name} is registered.")
        if form.cleaned_data["send_intake_link"]:
            send_intake_link(request, client)
        return redirect(f"{reverse('booking-book')}?client={client.pk}")
    return render(
        request, "booking/client_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _search_form(data):
    return SlotSearchForm(
        {key: data.get(key, "") for key in ("service", "therapist", "date") if data.get(key)}
    )


def _slot_groups(search, service=None):
    if not search.is_valid():
        return []
    return slots_by_therapist(
        service or search.cleaned_data["service"],
        search.cleaned_data["date"],
        search.cleaned_data["therapist"],
    )


def _page_or_slots(request, template, context, status=200):
    """The whole page; or, when htmx refreshes the free times as the search changes, only
    them (a history restore after the back button still gets the whole page)."""
    if request.htmx and not request.htmx.history_restore_request:
        template = "booking/_slots.html"
    response = render(request, template, context, status=status)
    # The same URL answers with a page or a fragment, so caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _book_page(request, client, search, form, status=200, suggestion=None):
    offer = _series_offer(suggestion)
    # The offer reloads this page with the plan's series filled in (a script fills it in place).
    query = request.GET.copy()
    query["series"] = "plan"
    return _page_or_slots(
        request,
        "booking/book.html",
        {
            "client": client,
            "screening": screening_status(client) if client else None,
            "search": search,
            "form": form,
            "groups": _slot_groups(search),
            "suggestion": suggestion,
            "offer": offer,
            "offer_url": f"?{query.urlencode()}",
        },
        status=status,
    )


def _series_offer(suggestion: SeriesSuggestion | None) -> dict:
    """The series the client's care asks for, as booking-form values ({} if it cannot repeat)."""
    if suggestion is None or suggestion.every_weeks not in (1, 2):
        return {}
    return {"repeat": str(suggestion.every_weeks), "count": min(max(suggestion.visits, 2), 26)}


@role_required(*DESK)
def book_view(request):
    """Choose a client's service, therapist (or anyone) and a free time; once or as a series
    (the client's active treatment plan's series is offered, never preselected)."""
    if request.method != "POST":
        client = Client.objects.filter(pk=request.GET.get("client") or None).first()
        suggestion = suggested_series(client) if client else None
        chosen = request.GET.get("series") == "plan"
        form = BookForm(initial=_series_offer(suggestion) if chosen else {})
        return _book_page(request, client, _search_form(request.GET), form, suggestion=suggestion)
    form = BookForm(request.POST)
    search = _search_form(
        {**request.POST.dict(), "therapist": request.POST.get("search_therapist", "")}
    )
    client = Client.objects.filter(pk=request.POST.get("client") or None).first()
    if not form.is_valid():
        return _book_page(request, client, search, form, status=400)
    data = form.cleaned_data
    starts_at, therapist = data["slot"]
    try:
        if data["repeat"] == "0":
            visit = booking.book(
                client=data["client"],
                therapist=therapist,
                service=data["service"],
                starts_at=starts_at,
                room=data["room"],
                booked_by=request.user,
                refer_override_reason=data["refer_override_reason"],
            )
        else:
            occurrences = plan_series(
                client=data["client"],
                therapist=therapist,
                service=data["service"],
                first_start=starts_at,
                every_weeks=int(data["repeat"]),
                count=data["count"],
                room=data["room"],
            )
    except BookingError as error:
        add_error_to_form(form, error)
        return _book_page(request, client, search, form, status=error.status)
    if data["repeat"] != "0":
        series = SeriesForm(
            initial={
                **data,
                "therapist": therapist,
                "first": starts_at.isoformat(),
                "every": int(data["repeat"]),
            }
        )
        return _series_page(request, series, data, therapist, occurrences)
    messages.success(
        request,
        f"Booked {visit.client.full_name} with {therapist.name}, "
        f"{describe_span(visit.starts_at, visit.ends_at)}.",
    )
    return redirect(_day_url(visit))


def _series_page(request, series, data, therapist, occurrences, missing=(), status=200):
    return render(
        request,
        "booking/series.html",
        {
            "series": series,
            "client": data["client"],
            "service": data["service"],
            "therapist": therapist,
            "occurrences": occurrences,
            "clash_count": sum(1 for o in occurrences if not o.is_free),
            "missing": missing,
        },
        status=status,
    )


@require_POST
@role_required(*DESK)
def series_book(request):
    """Book the series as the front desk decided, occurrence by occurrence."""
    series = SeriesForm(request.POST)
    if not series.is_valid():
        messages.error(request, "The series could not be read: please start again.")
        return redirect("booking-book")
    data = series.cleaned_data
    occurrences = plan_series(
        client=data["client"],
        therapist=data["therapist"],
        service=data["service"],
        first_start=data["first"],
        every_weeks=data["every"],
        count=data["count"],
        room=data["room"],
    )
    starts, missing = [], []
    for occurrence in occurrences:
        choice = request.POST.get(f"choice-{occurrence.number}", "")
        if choice == "book" and occurrence.is_free:
            starts.append(occurrence.starts_at)
        elif choice == "skip":
            starts.append(None)
        elif choice not in ("", "book") and (moved := parse_aware(choice)):
            starts.append(moved)
        else:
            missing.append(occurrence.number)
    if missing:
        return _series_page(
            request, series, data, data["therapist"], occurrences, missing, status=400
        )
    result = book_series(
        client=data["client"],
        therapist=data["therapist"],
        service=data["service"],
        starts=starts,
        room=data["room"],
        booked_by=request.user,
        refer_override_reason=data["refer_override_reason"],
    )
    # Post/redirect/get: a refresh of the confirmation must not book the series again.
    request.session[SERIES_DONE] = {
        "client": data["client"].pk,
        "therapist": data["therapist"].pk,
        "booked": [visit.pk for visit in result.booked],
        "skipped": result.skipped,
        "failed": [[n, when.isoformat(), error.message] for n, when, error in result.failed],
    }
    return redirect("booking-series-done")


@role_required(*DESK)
def series_done(request):
    """What the last series booking did: the visits booked, skipped, and taken meanwhile."""
    done = request.session.get(SERIES_DONE)
    if not done:
        return redirect("booking-book")
    result = SimpleNamespace(
        booked=list(Appointment.objects.filter(pk__in=done["booked"]).order_by("starts_at")),
        skipped=done["skipped"],
        failed=[
            (n, parse_aware(when), SimpleNamespace(message=message))
            for n, when, message in done["failed"]
        ],
    )
    return render(
        request,
        "booking/series_done.html",
        {
            "result": result,
            "client": get_object_or_404(Client, pk=done["client"]),
            "therapist": get_object_or_404(Therapist, pk=done["therapist"]),
        },
    )


@role_required(*DESK)
def reschedule_view(request, pk):
    visit = appointment_or_404(pk)
    if "reschedule" not in actions_for(request.user, visit):
        messages.error(request, f"A {visit.get_status_display().lower()} visit cannot be moved.")
        return redirect("booking-appointment", pk=visit.pk)
    form = RescheduleForm(request.POST or None)
    source = request.POST if request.method == "POST" else request.GET
    search = _search_form(
        {
            "service": visit.service_id,
            "therapist": source.get(
                "search_therapist", source.get("therapist", visit.therapist_id)
            ),
            "date": source.get("date") or local_date(visit.starts_at).isoformat(),
        }
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        starts_at, therapist = form.cleaned_data["slot"]
        try:
            booking.reschedule(
                visit, starts_at=starts_at, therapist=therapist, room=form.cleaned_data["room"]
            )
        except BookingError as error:
            add_error_to_form(form, error)
            status = error.status
        else:
            messages.success(
                request,
                f"Moved {visit.client.full_name} to {describe_span(visit.starts_at, visit.ends_at)}"
                f" with {therapist.name}.",
            )
            return redirect(_day_url(visit))
    elif form.errors:
        status = 400
    return _page_or_slots(
        request,
        "booking/reschedule.html",
        {"visit": visit, "form": form, "search": search, "groups": _slot_groups(search)},
        status=status,
    )


@role_required(*DESK)
def cancel_view(request, pk):
    visit = appointment_or_404(pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking.cancel(visit, by=request.user, reason=form.cleaned_data["reason"])
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("booking-appointment", pk=visit.pk)
        hours = booking.late_window_hours()
        late = (
            f" It was a late cancellation (under {hours} hours)." if visit.late_cancellation else ""
        )
        messages.success(request, f"Cancelled {visit.client.full_name}'s visit.{late}")
        return redirect(_day_url(visit))
    return render(
        request,
        "booking/cancel.html",
        {"visit": visit, "form": form, "late": booking.is_late_cancellation(visit)},
        status=400 if form.errors else 200,
    )


STATUS_ACTIONS = {
    "check-in": (booking.check_in, "checked in"),
    "no-show": (booking.mark_no_show, "marked as a no-show"),
    "complete": (booking.complete, "completed"),
}


def _status_action(request, pk, name):
    change, done = STATUS_ACTIONS[name]
    visit = get_object_or_404(Appointment.objects.select_related("client", "therapist"), pk=pk)
    if not can_change_visit(request.user, visit):
        raise PermissionDenied
    try:
        change(visit)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{visit.client.full_name}'s visit is {done}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = _day_url(visit)
    return redirect(target)


@require_POST
@role_required(*DESK)
def check_in_view(request, pk):
    return _status_action(request, pk, "check-in")


@require_POST
@role_required(*DESK)
def no_show_view(request, pk):
    return _status_action(request, pk, "no-show")


@require_POST
@role_required(*DESK, Role.THERAPIST)
def complete_view(request, pk):
    return _status_action(request, pk, "complete")
