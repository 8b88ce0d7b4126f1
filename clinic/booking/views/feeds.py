"""Therapists' private calendar feeds: the feed itself (its token is the key) and its URL page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clinic.accounts.models import Therapist
from clinic.accounts.roles import Role, can_regenerate_feed, role_required
from clinic.core.ratelimits import rate_limited

from ..calendar import regenerate_calendar_token, therapist_feed


@rate_limited("link", methods=("GET",))
def feed(request, token):
    """The therapist's visits as iCalendar, for their calendar app; no login, the token is it."""
    therapist = Therapist.objects.select_related("user").filter(calendar_token=token).first()
    if therapist is None or not therapist.is_active or len(token) < 32:
        raise Http404
    response = HttpResponse(therapist_feed(therapist), content_type="text/calendar")
    response["Cache-Control"] = "private, max-age=300"
    return response


def feed_url(request, therapist):
    return request.build_absolute_uri(
        reverse("booking-calendar-feed", args=[therapist.calendar_token])
    )


@role_required(Role.THERAPIST)
def my_calendar(request):
    therapist = get_object_or_404(Therapist, user=request.user)
    return render(
        request,
        "booking/calendar.html",
        {"therapist": therapist, "feed_url": feed_url(request, therapist)},
    )


@require_POST
@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def regenerate(request, pk):
    """A new feed URL; the old one stops working. The therapist, or a clinic admin."""
    therapist = get_object_or_404(Therapist.objects.select_related("user"), pk=pk)
    if not can_regenerate_feed(request.user, therapist):
        raise PermissionDenied
    regenerate_calendar_token(therapist)
    messages.success(
        request, f"{therapist.name}'s calendar feed has a new address; the old one no longer works."
    )
    if therapist.user_id == request.user.pk:
        return redirect("booking-calendar")
    return redirect(f"{reverse('booking-week')}?therapist={therapist.pk}")
