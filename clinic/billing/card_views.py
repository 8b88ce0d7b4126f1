"""Cards online in the pages: the client's card on file, paying a balance, booking online with
a card first, and the desk charging the card on file at checkout. Thin: the rules live in
cards.py and online.py."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from clinic.accounts.models import Role
from clinic.accounts.roles import role_required
from clinic.booking import self_service
from clinic.booking.booking import BookingError, self_booking_refusal
from clinic.booking.forms import SlotField
from clinic.booking.models import Service
from clinic.core.errors import DomainError
from clinic.core.inputs import parse_id
from intake.status import screening_status

from . import cards, online
from .forms import ChargeForm

SESSION_ID = "session_id={CHECKOUT_SESSION_ID}"  # Stripe fills it in on the way back


def forms_to_stripe(view):
    """The page's forms may lead to Stripe's hosted page: its origin joins CSP's form-action
    (browsers enforce form-action on the redirect too). Nothing is loaded from it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        form_action = [CSP.SELF, settings.STRIPE_CHECKOUT_ORIGIN]
        response._csp_config = {**settings.SECURE_CSP, "form-action": form_action}
        return response

    return wrapped


def _client(request):
    client = getattr(request.user, "client", None)
    if client is None:
        raise Http404("No client record.")
    return client


def _back_to(request, name, **query):
    url = request.build_absolute_uri(reverse(name))
    return f"{url}?{urlencode(query) + '&' if query else ''}{SESSION_ID}"


def _local(request, url, fallback):
    ok = url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if ok else fallback


@role_required(Role.CLIENT)
@forms_to_stripe
def my_card(request):
    """The client's card on file: see it, replace it or remove it."""
    client = _client(request)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                cards.remove_card(client, by=request.user)
                messages.success(request, "Your card is no longer on file.")
                return redirect("billing-my-card")
            next_url = _local(request, request.POST.get("next", ""), "")
            return redirect(
                cards.start_card_setup(
                    client,
                    success_url=_back_to(request, "billing-my-card-saved", next=next_url),
                    cancel_url=request.build_absolute_uri(next_url or reverse("billing-my-card")),
                )
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
            return redirect("billing-my-card")
    return render(
        request,
        "billing/my_card.html",
        {"card": cards.card_of(client), "online": cards.online_payments()},
    )


@role_required(Role.CLIENT)
def my_card_saved(request):
    """Back from Stripe: read what was saved from Stripe itself, keep it, go on."""
    client = _client(request)
    try:
        details = cards.saved_card_details(request.GET.get("session_id", ""))
        if details is None:
            messages.warning(request, "No card was saved.")
        else:
            card = cards.save_card(client, details, by=request.user)
            messages.success(request, f"{card.label} is on file.")
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect(_local(request, request.GET.get("next", ""), reverse("billing-my-card")))


@require_POST
@role_required(Role.CLIENT)
def pay_balance(request):
    """Send the client to Stripe's page to pay what they owe."""
    try:
        url = online.start_balance_payment(
            _client(request),
            success_url=_back_to(request, "billing-my-paid"),
            cancel_url=request.build_absolute_uri(reverse("billing-my-invoices")),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("billing-my-invoices")
    return redirect(url)


@role_required(Role.CLIENT)
def my_paid(request):
    """Back from paying online: record the payment (once, with the webhook) and say so."""
    client = _client(request)
    try:
        session = online.session_of(request.GET.get("session_id", ""))
        if str((session.get("metadata") or {}).get("client")) != str(client.pk):
            raise Http404("No such payment.")
        payments, extra = online.record_session_payment(session, by=request.user)
        paid = sum(p.amount for p in payments) + (extra.amount if extra else 0)
        messages.success(request, f"Thank you: {paid:.2f} paid.")
        if extra:
            messages.warning(
                request, f"{extra.amount} was more than you owed; the clinic will refund it."
            )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("billing-my-invoices")


def _slot(request):
    try:
        return SlotField().clean(request.GET.get("slot", ""))
    except ValidationError:
        return None


@role_required(Role.CLIENT)
@forms_to_stripe
def book_with_card(request, pk):
    """Online booking when the clinic asks for a card first: keep a card, then confirm. The
    slot rides in the URL through Stripe and back; nothing is booked until the client confirms."""
    service = get_object_or_404(Service, pk=pk, is_active=True, online_bookable=True)
    slot = _slot(request)
    if slot is None:
        messages.error(request, "Please choose one of the free times.")
        return redirect("booking-online-slots", service.pk)
    client = _client(request)
    starts_at, therapist = slot
    card = cards.card_of(client)
    if request.method == "POST" and card is not None:
        refusal = self_booking_refusal(screening_status(client))
        if refusal:
            messages.error(request, refusal)
            return redirect(request.get_full_path())
        try:
            visit = self_service.book_online(
                client=client,
                therapist=therapist,
                service=service,
                starts_at=starts_at,
                by=request.user,
            )
        except BookingError as error:
            messages.error(request, f"Sorry, that time cannot be booked: {error.message}")
            return redirect("booking-online-slots", service.pk)
        return redirect("booking-online-done", pk=visit.pk)
    return render(
        request,
        "billing/book_with_card.html",
        {
            "service": service,
            "starts_at": starts_at,
            "ends_at": starts_at + service.duration,
            "therapist": therapist,
            "card": card,
            "here": request.get_full_path(),
        },
    )


def charge_action(request, visit, invoice):
    """Checkout's "Charge card on file": the amount asked, once per key, or a clear refusal."""
    form = ChargeForm(request.POST)
    if not form.is_valid():
        raise DomainError("Give an amount to charge.", "amount")
    payment = cards.charge_card_on_file(
        invoice,
        amount=form.cleaned_data["amount"],
        idempotency_key=form.cleaned_data["key"],
        by=request.user,
    )
    messages.success(
        request, f"{payment.amount} charged to the card on file ({payment.reference})."
    )


def refund_overpayment_action(request, visit, invoice):
    """Checkout's "Refund to the card": an overpayment of this visit's client, given back."""
    pending = online.to_refund(visit.client).filter(pk=parse_id(request.POST.get("overpayment")))
    overpayment = pending.first()
    if overpayment is None:
        raise DomainError("No such overpayment to refund.", "overpayment")
    online.refund_overpayment(overpayment, by=request.user)
    messages.success(request, f"{overpayment.amount} given back to the client's card.")
