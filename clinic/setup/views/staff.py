"""Staff screens: the list with the invite form, one person's profile with their hours and time
off, deactivation, and the public page where an invited person sets their password."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.accounts.models import Role, Therapist, User
from clinic.accounts.roles import home_url_name, role_required, therapist_profile_of
from clinic.booking import catalog
from clinic.booking.models import TimeOff, WorkingHours
from clinic.booking.selectors import future_visits_of
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.tokens import LinkError

from .. import staff
from ..forms import (
    AcceptInviteForm,
    HoursFormSet,
    InviteForm,
    StaffUserForm,
    TherapistProfileForm,
    TimeOffForm,
    room_choices,
)

ADMIN = Role.CLINIC_ADMIN
BACKEND = "clinic.accounts.backends.ClinicAdminBackend"


def _staff_member(pk):
    return get_object_or_404(User.objects.exclude(role=Role.CLIENT), pk=pk)


@role_required(ADMIN)
def staff_list(request):
    """Everyone on staff (names link to their profile), and the invite form."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff.invite_staff(**form.cleaned_data, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("setup-staff-detail", pk=user.pk)
    people = User.objects.exclude(role=Role.CLIENT).order_by("role", "last_name", "first_name")
    return render(
        request,
        "setup/staff_list.html",
        {"people": people, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(ADMIN)
def staff_detail(request, pk):
    """One person's profile: name and role; a therapist's credentials, registration number,
    signature, bio, photo and services; links to their hours and to deactivation."""
    person = _staff_member(pk)
    therapist = therapist_profile_of(person)
    data = request.POST if request.method == "POST" else None
    user_form = StaffUserForm(data, instance=person, prefix="user")
    profile_form = (
        TherapistProfileForm(data, request.FILES or None, instance=therapist, prefix="profile")
        if therapist
        else None
    )
    forms_ok = user_form.is_valid() and (profile_form is None or profile_form.is_valid())
    if request.method == "POST" and forms_ok:
        profile = dict(profile_form.cleaned_data) if profile_form else {}
        services = profile.pop("services", None)
        try:
            staff.save_profile(
                user=person,
                user_fields=user_form.cleaned_data,
                therapist_fields=profile,
                services=services,
                by=request,
            )
        except DomainError as error:
            add_error_to_form(user_form, error)
        else:
            messages.success(request, f"{person} saved.")
            return redirect("setup-staff-detail", pk=person.pk)
    return render(
        request,
        "setup/staff_detail.html",
        {
            "person": person,
            "therapist": therapist,
            "user_form": user_form,
            "profile_form": profile_form,
            "invited": not person.has_usable_password(),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(ADMIN)
def staff_hours(request, pk):
    """A therapist's weekly hours (several blocks a day, each with its room; the gaps are
    breaks) and their time off."""
    person = _staff_member(pk)
    therapist = therapist_profile_of(person)
    if therapist is None:
        return redirect("setup-staff-detail", pk=person.pk)
    hours = WorkingHours.objects.filter(therapist=therapist).select_related("room")
    formset = HoursFormSet(
        request.POST if request.POST.get("form") == "hours" else None,
        queryset=hours,
        prefix="hours",
        form_kwargs={"room_choices": room_choices()},
    )
    off_form = TimeOffForm(request.POST if request.POST.get("form") == "time_off" else None)
    if formset.is_bound and formset.is_valid():
        rows = [
            catalog.HoursRow(f["weekday"], f["start_time"], f["end_time"], f.get("room"))
            for f in formset.cleaned_data
            if f and not f.get("DELETE")
        ]
        try:
            catalog.set_weekly_hours(therapist=therapist, rows=rows, by=request)
        except DomainError as error:
            formset.forms[0].add_error(None, error.message)
        else:
            messages.success(request, "Weekly hours saved.")
            return redirect("setup-staff-hours", pk=person.pk)
    if off_form.is_bound and off_form.is_valid():
        try:
            catalog.add_time_off(therapist=therapist, **off_form.cleaned_data, by=request)
        except DomainError as error:
            add_error_to_form(off_form, error)
        else:
            messages.success(request, "Time off added.")
            return redirect("setup-staff-hours", pk=person.pk)
    bound = formset.is_bound or off_form.is_bound
    return render(
        request,
        "setup/staff_hours.html",
        {
            "person": person,
            "formset": formset,
            "off_form": off_form,
            "time_off": TimeOff.objects.filter(therapist=therapist).order_by("-starts_at")[:50],
        },
        status=400 if bound else 200,
    )


@require_POST
@role_required(ADMIN)
def remove_time_off(request, pk, time_off):
    person = _staff_member(pk)
    found = get_object_or_404(TimeOff, pk=time_off, therapist__user=person)
    catalog.remove_time_off(time_off=found, by=request)
    messages.success(request, "Time off removed.")
    return redirect("setup-staff-hours", pk=person.pk)


@role_required(ADMIN)
def staff_deactivate(request, pk):
    """Confirm, then switch the person off; afterwards, their future visits for the desk."""
    person = _staff_member(pk)
    therapist = therapist_profile_of(person)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reactivate":
                staff.reactivate(user=person, by=request)
                messages.success(request, f"{person} can log in again.")
            else:
                staff.deactivate(user=person, by=request)
                messages.success(request, f"{person} is deactivated; their sessions are ended.")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("setup-staff-deactivate", pk=person.pk)
    visits = list(future_visits_of(therapist)[:200]) if therapist else []
    return render(request, "setup/staff_deactivate.html", {"person": person, "visits": visits})


@require_POST
@role_required(ADMIN)
def staff_resend(request, pk):
    person = _staff_member(pk)
    try:
        staff.resend_invite(user=person, by=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"A new invitation went to {person.email}.")
    return redirect("setup-staff-detail", pk=person.pk)


def therapist_photo(request, pk):
    """Public: an active therapist's photo, as online booking shows it (never the signature)."""
    therapist = get_object_or_404(Therapist, pk=pk, is_active=True)
    if not therapist.photo:
        raise Http404
    return FileResponse(therapist.photo.open("rb"))


def accept_invite(request, token):
    """Public: the invited person sets their password, then lands on their home page."""
    try:
        person = staff.invited_user(token)
    except LinkError as error:
        return render(request, "setup/invite_unusable.html", {"error": error}, status=error.status)
    form = AcceptInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = staff.accept_invite(token=token, password=form.cleaned_data["password"])
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            login(request, person, backend=BACKEND)
            messages.success(request, "Welcome! Your password is set.")
            return redirect(home_url_name(person))
    return render(
        request,
        "setup/accept_invite.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )
