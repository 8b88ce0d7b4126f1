"""The waitlist's pages: the desk's view (entries, their offers, today's freed slots, an offer
by hand), adding an entry (the desk for a client, a client for themselves), and the offer page
behind the signed link, built for a phone.

The offer page never changes anything on GET (mail scanners open links); its buttons post.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client, Therapist
from clinic.accounts.roles import DESK, Role, role_required
from clinic.booking.forms import parse_aware
from clinic.booking.models import Service
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.inputs import parse_id
from clinic.core.ratelimits import rate_limited

from . import by_hand, joining, links, offering, selectors
from .forms import AnswerForm, EntryForm, OfferByHandForm, OfferTimeForm
from .models import WaitlistEntry


def _desk(request, time_form, status=200):
    service_id = parse_id(request.GET.get("service"))
    therapist_id = parse_id(request.GET.get("therapist"))
    context = {
        "entries": selectors.waiting_entries(service_id=service_id, therapist_id=therapist_id),
        "freed": selectors.freed_on(),
        "services": Service.objects.filter(is_active=True),
        "therapists": Therapist.objects.filter(is_active=True).select_related("user"),
        "service_id": service_id,
        "therapist_id": therapist_id,
        "offer_form": OfferByHandForm(),
        "time_form": time_form,
    }
    return render(request, "waitlist/desk.html", context, status=status)


@role_required(*DESK)
def desk(request):
    """The waitlist by service and therapist, each entry's offers, and today's freed slots; a
    free time picked in the day view (?therapist=&start=) fills the offer-a-time form."""
    initial = {
        "therapist": parse_id(request.GET.get("therapist")),
        "starts_at": parse_aware(request.GET.get("start", "")),  # None when unreadable
    }
    return _desk(request, OfferTimeForm(initial=initial))


def _join(request, client, template, done_url):
    form = EntryForm(request.POST or None, initial={"service": request.GET.get("service")})
    if request.method == "POST" and form.is_valid():
        try:
            joining.join(client=client, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"{client.full_name} is on the waitlist.")
            return redirect(done_url)
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, "client": client}, status=status)


@role_required(*DESK)
def add_entry(request, client_pk):
    """The desk puts a client on the waitlist."""
    client = get_object_or_404(Client.objects.current(), pk=client_pk)
    return _join(request, client, "waitlist/entry_form.html", "waitlist-desk")


@role_required(Role.CLIENT)
def join_self(request):
    """A client puts themselves on the waitlist (from the portal, or when online booking finds
    no time that suits)."""
    client = getattr(request.user, "client", None)
    if client is None:
        raise PermissionDenied
    return _join(request, client, "waitlist/join.html", "client-home")


@require_POST
@role_required(*DESK)
def remove_entry(request, pk):
    entry = get_object_or_404(WaitlistEntry, pk=pk)
    try:
        joining.leave(entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{entry.client.full_name} is off the waitlist.")
    return redirect("waitlist-desk")


@require_POST
@role_required(*DESK)
def offer_by_hand(request):
    form = OfferByHandForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an open time and a waiting client.")
        return redirect("waitlist-desk")
    try:
        offering.offer_by_hand(
            form.cleaned_data["slot"], form.cleaned_data["entry"], by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Offered. It goes out now.")
    return redirect("waitlist-desk")


@require_POST
@role_required(*DESK)
def offer_time(request):
    """The desk offers a waiting client any free time; refused with the reason on the form."""
    form = OfferTimeForm(request.POST)
    if form.is_valid():
        try:
            offer = by_hand.offer_time(**form.cleaned_data, by=request.user)
        except DomainError as error:
            add_error_to_form(form, error)
            return _desk(request, form, status=error.status)
        messages.success(request, f"Offered to {offer.client.full_name}. It goes out now.")
        return redirect("waitlist-desk")
    return _desk(request, form, status=400)


@rate_limited("link", methods=("GET", "POST"))
def offer_page(request, token):
    """The offer behind its link: book it or let it go; afterwards what came of it."""
    try:
        offer = links.read_token(token)
    except links.OfferLinkProblem as problem:
        return render(
            request, "waitlist/link_problem.html", {"reason": problem.reason}, status=problem.status
        )
    form = AnswerForm(request.POST or None)
    answer = None
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "waitlist/offer.html", {"offer": offer, "form": form}, status=400
            )
        if form.cleaned_data["answer"] == "accept":
            answer = offering.accept(offer)
        else:
            offering.decline(offer)
        offer.refresh_from_db()
    context = {"offer": offer, "form": form, "answer": answer}
    status = 409 if answer is not None and not answer.booked else 200
    return render(request, "waitlist/offer.html", context, status=status)
