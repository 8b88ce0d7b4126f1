"""Clients booking themselves: service, therapist or anyone, a free time, then log in or register.

Public until the last step. A time taken a moment earlier answers with the nearest free
times, never an error page; a screening that says `refer` or needs a clearance first sends
the client to the phone instead.
"""

import secrets
from datetime import timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client, Role, Therapist, User
from clinic.accounts.roles import is_staff_member, is_the_client, role_required
from clinic.core.clinic_time import day_bounds, local_date, today
from clinic.core.inputs import parse_day
from clinic.core.ratelimits import rate_limited
from intake import services as intake_services
from intake.status import screening_status

from .. import booking, self_service
from ..availability import earliest_online_start, free_slots, nearest_free_slots
from ..booking import BookingClash, BookingError
from ..forms import RegisterForm, SlotField, slot_value
from ..models import Appointment, Service

DAYS_AHEAD = 14
BACKEND = "clinic.accounts.backends.ClinicAdminBackend"


def services(request):
    return render(
        request,
        "booking/online/services.html",
        {"services": Service.objects.filter(is_active=True, online_bookable=True)},
    )


def _service(pk):
    return get_object_or_404(Service, pk=pk, is_active=True, online_bookable=True)


def _choices_url(service, therapist_id="any", day=None):
    query = {"therapist": therapist_id}
    if day:
        query["date"] = day.isoformat()
    return f"{reverse('booking-online-slots', args=[service.pk])}?{urlencode(query)}"


def _book_url(service, slot, chosen=None):
    """The page confirming a slot; `with` remembers whether the client chose the therapist."""
    query = {"slot": slot, "with": chosen.pk if chosen else "any"}
    return f"{reverse('booking-online-book', args=[service.pk])}?{urlencode(query)}"


def slots(request, pk):
    """Free times for the next two weeks: a row of days, and the times of the chosen one."""
    service = _service(pk)
    therapists = Therapist.objects.filter(is_active=True).select_related("user")
    offering = service.therapists.all()
    if offering.exists():  # a service naming nobody is offered by everyone
        therapists = therapists.filter(pk__in=offering)
    therapists = list(therapists)
    chosen = next((t for t in therapists if str(t.pk) == request.GET.get("therapist")), None)
    start_day = today()
    window = day_bounds(start_day)[0], day_bounds(start_day + timedelta(days=DAYS_AHEAD))[0]
    by_day = {}
    # Nothing sooner than the clinic's minimum notice is offered online.
    offered = free_slots(
        service, *window, chosen, step=timedelta(minutes=30), now=earliest_online_start()
    )
    for slot in offered:
        times = by_day.setdefault(local_date(slot.starts_at), {})
        times.setdefault(slot.starts_at, slot)  # "anyone": each time once
    days = [start_day + timedelta(days=n) for n in range(DAYS_AHEAD)]
    day = parse_day(request.GET.get("date")) or next((d for d in days if d in by_day), start_day)
    names = {t.pk: t.name for t in therapists}
    times = [
        (slot, names.get(slot.therapist_id, ""), _book_url(service, slot_value(slot), chosen))
        for slot in by_day.get(day, {}).values()
    ]
    return render(
        request,
        "booking/online/slots.html",
        {
            "service": service,
            "therapists": therapists,
            "chosen": chosen,
            "therapist_param": chosen.pk if chosen else "any",
            "days": [
                (d, d in by_day, _choices_url(service, chosen.pk if chosen else "any", d))
                for d in days
            ],
            "day": day,
            "times": times,
        },
    )


def _chosen_therapist(request, therapist):
    """The therapist the client picked, or None when they asked for anyone."""
    return therapist if request.GET.get("with") == str(therapist.pk) else None


def _taken(request, service, wanted, therapist, message=None):
    """The wanted time is gone: the nearest free times instead (with the therapist the client
    chose, or anyone), on an ordinary page."""
    near = nearest_free_slots(service, wanted, therapist, now=earliest_online_start())
    names = dict(
        Therapist.objects.filter(pk__in={s.therapist_id for s in near})
        .select_related("user")
        .values_list("pk", "user__first_name")
    )
    options = [
        (s, names.get(s.therapist_id, ""), _book_url(service, slot_value(s), therapist))
        for s in near
    ]
    return render(
        request,
        "booking/online/taken.html",
        {"service": service, "options": options, "message": message, "wanted": wanted},
    )


def _slot(request):
    try:
        return SlotField().clean(request.GET.get("slot", ""))
    except ValidationError:
        return None


def _client_of(user):
    return Client.objects.filter(user=user).first() if user.is_authenticated else None


def _book_for(request, client, service, starts_at, therapist):
    if self_service.card_first():
        # Billing asks for the card, then books the same slot (kept in the URL, so a client
        # who walks away books nothing).
        query = {"slot": request.GET.get("slot", ""), "with": request.GET.get("with", "any")}
        return redirect(
            f"{reverse('billing-book-with-card', args=[service.pk])}?{urlencode(query)}"
        )
    try:
        visit = self_service.book_online(
            client=client,
            therapist=therapist,
            service=service,
            starts_at=starts_at,
            by=request.user,
        )
    except BookingClash:
        message = "Sorry, that time was just taken by someone else."
        return _taken(request, service, starts_at, _chosen_therapist(request, therapist), message)
    except BookingError as error:
        return _taken(
            request, service, starts_at, _chosen_therapist(request, therapist), error.message
        )
    return redirect("booking-online-done", pk=visit.pk)


def book(request, pk):
    """The chosen time: log in or register, then book it (self-booked)."""
    service = _service(pk)
    slot = _slot(request)
    if slot is None:
        messages.error(request, "Please choose one of the free times.")
        return redirect(_choices_url(service))
    starts_at, therapist = slot
    client = _client_of(request.user)
    refusal = booking.self_booking_refusal(screening_status(client)) if client else None
    if request.method == "POST" and client and not refusal:
        return _book_for(request, client, service, starts_at, therapist)
    return render(
        request,
        "booking/online/book.html",
        {
            "service": service,
            "starts_at": starts_at,
            "ends_at": starts_at + service.duration,
            "therapist": therapist,
            "client": client,
            "refusal": refusal,
            "card_first": self_service.card_first(),
            "is_staff": is_staff_member(request.user),
            "form": RegisterForm(),
            "login_url": f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}",
        },
    )


def _set_password_email(request, user):
    """Email the standard 'set your password' link: it proves the address is theirs."""
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(request=request, use_https=request.is_secure())


def _check_your_email(request, email):
    """The answer for an address the clinic already knows, worded so it never says which: an
    account, a client on file, or a registration that raced this one."""
    messages.info(
        request,
        f"We have emailed {email} a link to set your password: follow it, then log in to book.",
    )
    return redirect("password_reset_done")  # after a POST, so a refresh sends nothing twice


def _new_login(data, known):
    """The client's login: a client on file keeps the names on file (what was typed is not
    proven yet) and gets a random password until they prove the email."""
    person = known or SimpleNamespace(**data)
    return User.objects.create_user(
        data["email"],
        data["password"] if known is None else secrets.token_urlsafe(32),
        first_name=person.first_name,
        last_name=person.last_name,
        role=Role.CLIENT,
    )


def _register(data, base_url):
    """One transaction: the login, and the client with their intake link (emailed once it
    commits); (user, None) when the clinic already has the client, who proves the email first.
    Raises IntegrityError when the email has an account (perhaps made a moment ago)."""
    with transaction.atomic():
        known = (
            Client.objects.select_for_update()
            .filter(email__iexact=data["email"], user__isnull=True)
            .first()
        )
        user = _new_login(data, known)
        if known is not None:
            known.user = user
            known.save(update_fields=["user"])
            return user, None
        client = Client.objects.create(
            user=user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            created_by=user,
        )
        intake_services.send_intake_link(client, user, base_url=base_url)
    return user, client


@require_POST
@rate_limited("register")
def register(request, pk):
    """A new client: an account, the intake link by email at once, and the visit booked.

    The slot and the form are checked before anything is written. An address the clinic
    already knows gets the same "check your email" answer whatever it belongs to, and its
    owner an email, so the form never tells a stranger who has an account.
    """
    service = _service(pk)
    slot = _slot(request)
    if slot is None:
        return redirect(_choices_url(service))
    starts_at, therapist = slot
    form = RegisterForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "booking/online/book.html",
            {
                "service": service,
                "starts_at": starts_at,
                "ends_at": starts_at + service.duration,
                "therapist": therapist,
                "form": form,
                "login_url": f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}",
            },
            status=400,
        )
    try:
        self_service.check_notice(starts_at)
    except BookingError as error:
        chosen = _chosen_therapist(request, therapist)
        return _taken(request, service, starts_at, chosen, error.message)
    data = form.cleaned_data
    existing = User.objects.filter(email__iexact=data["email"]).first()
    if existing is not None:
        _set_password_email(request, existing)
        return _check_your_email(request, data["email"])
    try:
        user, client = _register(data, request.build_absolute_uri("/"))
    except IntegrityError:
        # Another registration with this email won the race: it is an account now.
        return _check_your_email(request, data["email"])
    if client is None:
        _set_password_email(request, user)
        return _check_your_email(request, user.email)
    login(request, user, backend=BACKEND)
    return _book_for(request, client, service, starts_at, therapist)


@role_required(Role.CLIENT)
def done(request, pk):
    """The client's booked visit, with a calendar file and a reminder about the health form."""
    visit = get_object_or_404(
        Appointment.objects.select_related("client", "therapist__user", "room", "service"), pk=pk
    )
    if not is_the_client(request.user, visit.client):
        raise Http404
    return render(
        request,
        "booking/online/done.html",
        {"visit": visit, "screening": screening_status(visit.client)},
    )
