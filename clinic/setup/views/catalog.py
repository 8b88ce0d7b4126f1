"""Services, rooms and closures: a list with its form on one page, and an edit page for each
service and room. Saving goes through clinic/booking/catalog.py."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.accounts.models import Role
from clinic.accounts.roles import role_required
from clinic.booking import catalog
from clinic.booking.models import Closure, Room, Service
from clinic.core.errors import DomainError, add_error_to_form

from ..forms import ClosureForm, RoomForm, ServiceForm

ADMIN = Role.CLINIC_ADMIN


def _service_page(request, service):
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        therapists = fields.pop("therapists")
        try:
            saved = catalog.save_service(
                service=service, fields=fields, therapists=therapists, by=request
            )
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"Service “{saved.name}” saved.")
            return redirect("setup-services")
    return render(
        request,
        "setup/service_form.html",
        {"form": form, "service": service},
        status=400 if form.errors else 200,
    )


@role_required(ADMIN)
def services(request):
    listed = Service.objects.prefetch_related("therapists__user").order_by("-is_active", "name")
    return render(request, "setup/services.html", {"services": listed})


@role_required(ADMIN)
def service_new(request):
    return _service_page(request, None)


@role_required(ADMIN)
def service_edit(request, pk):
    return _service_page(request, get_object_or_404(Service, pk=pk))


def _room_page(request, room):
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        suits = fields.pop("services")
        try:
            saved = catalog.save_room(room=room, fields=fields, services=suits, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"Room “{saved.name}” saved.")
            return redirect("setup-rooms")
    return render(
        request,
        "setup/room_form.html",
        {"form": form, "room": room},
        status=400 if form.errors else 200,
    )


@role_required(ADMIN)
def rooms(request):
    listed = Room.objects.prefetch_related("services").order_by("-is_active", "name")
    return render(request, "setup/rooms.html", {"rooms": listed})


@role_required(ADMIN)
def room_new(request):
    return _room_page(request, None)


@role_required(ADMIN)
def room_edit(request, pk):
    return _room_page(request, get_object_or_404(Room, pk=pk))


@role_required(ADMIN)
def closures(request):
    """Holidays and other days the whole clinic is closed: listed, added, removed."""
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.add_closure(**form.cleaned_data, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, "Closure added: nothing is offered on those days.")
            return redirect("setup-closures")
    today = timezone.localdate()
    return render(
        request,
        "setup/closures.html",
        {
            "form": form,
            "upcoming": Closure.objects.filter(last_day__gte=today),
            "past": Closure.objects.filter(last_day__lt=today).order_by("-first_day")[:20],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(ADMIN)
def closure_remove(request, pk):
    catalog.remove_closure(closure=get_object_or_404(Closure, pk=pk), by=request)
    messages.success(request, "Closure removed.")
    return redirect("setup-closures")
