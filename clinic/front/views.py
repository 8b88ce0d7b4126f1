"""Each role's home page, and the client page every staff role opens.

The client page is composed from each app's inclusion tag; the view only loads the screening,
through intake.access, so its read is audited once and never while rendering.
"""

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
from clinic.core.models import ClinicSettings
from intake.access import screening_for


@login_required
def home(request):
    return redirect(home_url_name(request.user))


@role_required(Role.CLIENT)
def client_home(request):
    client = Client.objects.filter(user=request.user).first()
    return render(request, "front/client_home.html", {"client": client})


@role_required(Role.FRONT_DESK)
def front_desk_home(request):
    recent = Client.objects.order_by("-created_at")[:20]
    return render(
        request,
        "front/front_desk_home.html",
        {"recent_clients": recent, "client_count": Client.objects.count()},
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
            "client_count": Client.objects.count(),
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
