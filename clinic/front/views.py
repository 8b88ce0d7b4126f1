"""Each role's home page, the client's portal (/me/ and its pages), and the client page every
staff role opens.

The client page is composed from each app's inclusion tag; the view only loads the screening,
through intake.access, so its read is audited once and never while rendering.
"""

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from clinic.accounts.models import Client, Therapist, User
from clinic.accounts.roles import (
    STAFF,
    Role,
    can_view_client_record,
    home_url_name,
    role_required,
)
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.models import ClinicSettings
from clinic.reminders.forms import NotificationPreferencesForm
from clinic.reminders.preferences import Preferences, preferences_of, set_preferences
from intake.access import own_screening_for, screening_for


@login_required
def home(request):
    return redirect(home_url_name(request.user))


def _own_client(request):
    return Client.objects.filter(user=request.user).first()


@role_required(Role.CLIENT)
def client_home(request):
    """The client portal: next visits (move or cancel), the next step, links to the rest."""
    client = _own_client(request)
    screening = own_screening_for(request, client) if client else None
    return render(request, "front/client_home.html", {"client": client, "screening": screening})


@role_required(Role.CLIENT)
def client_visits(request):
    """Every past visit of the client's, newest first."""
    return render(request, "front/client_visits.html", {"client": _own_client(request)})


@role_required(Role.CLIENT)
def client_progress(request):
    """The client's own pain chart and home-care adherence."""
    client = _own_client(request)
    if client is not None:
        # Pain scores come from the session notes: reading them is a read of the record.
        record(request, AuditAction.VIEW, ("progress", client.pk), client, detail="own page")
    return render(request, "front/client_progress.html", {"client": client})


@role_required(Role.CLIENT)
def client_documents(request):
    """The clearances on file for the client."""
    client = _own_client(request)
    if client is not None:
        # The clearances on file are part of the client's record: reading them is audited.
        record(request, AuditAction.VIEW, ("documents", client.pk), client, detail="own page")
    return render(request, "front/client_documents.html", {"client": client})


@role_required(Role.CLIENT)
def client_notifications(request):
    """How the clinic reaches the client; a change is stored, audited, then redirected."""
    client = get_object_or_404(Client, user=request.user)
    current = preferences_of(client)
    form = NotificationPreferencesForm(request.POST or None, initial=asdict(current))
    if request.method == "POST" and form.is_valid():
        try:
            changed = set_preferences(client, Preferences(**form.cleaned_data), by=request.user)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(
                request, "Your preferences are saved." if changed else "Nothing was changed."
            )
            return redirect("client-notifications")
    return render(
        request,
        "front/client_notifications.html",
        {"client": client, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.FRONT_DESK)
def front_desk_home(request):
    recent = Client.objects.current().order_by("-created_at")[:20]
    return render(
        request,
        "front/front_desk_home.html",
        {"recent_clients": recent, "client_count": Client.objects.current().count()},
    )


@role_required(Role.THERAPIST)
def therapist_home(request):
    therapist = get_object_or_404(Therapist, user=request.user)
    clients = therapist.primary_clients.all()
    return render(
        request, "front/therapist_home.html", {"therapist": therapist, "clients": clients}
    )


@role_required(Role.CLINIC_ADMIN)
def admin_home(request):
    staff = User.objects.exclude(role=Role.CLIENT).order_by("role", "last_name")
    return render(
        request,
        "front/admin_home.html",
        {
            "staff": staff,
            "client_count": Client.objects.current().count(),
            "worker_seen_at": ClinicSettings.objects.filter(pk=1)
            .values_list("worker_seen_at", flat=True)
            .first(),
        },
    )


@role_required(*STAFF)
def client_detail(request, pk):
    client = get_object_or_404(Client.objects.select_related("primary_therapist__user"), pk=pk)
    return render(
        request,
        "front/client_detail.html",
        {
            "client": client,
            "show_clinical": can_view_client_record(request.user, client),
            "screening": screening_for(request, client),
        },
    )
