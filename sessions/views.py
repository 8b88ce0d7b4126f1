"""Plans, the client's record and progress, and home care. Thin: rules live in the services."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client, Role
from clinic.accounts.roles import (
    can_view_client_record,
    can_write_treatment,
    has_role,
    role_required,
    treatment_refusal,
)
from clinic.audit.history import history
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.core.errors import add_error_to_form
from clinic.core.inputs import parse_id
from intake.access import screening_for
from intake.status import screening_status

from . import homecare, plans
from .access import client_for, plan_for, view_on_get
from .forms import PlanForm, PracticeForm
from .models import PlanStatus, PracticeSource, SessionNote
from .progress import progress_for
from .safety import SafetyError

CLINICAL = (Role.THERAPIST, Role.CLINIC_ADMIN)


def _save_plan(request, form, client, plan=None):
    """Run the plan service; its refusals become form errors. True when saved."""
    therapist = plan.therapist if plan else request.user.therapist
    try:
        return plans.save_plan(client, therapist, form.plan_data(), Origin.of(request), plan)
    except (SafetyError, ValidationError) as error:
        add_error_to_form(form, error)
        return None


@role_required(Role.THERAPIST)
def plan_create(request, client_id):
    # The blank form shows the screening's restrictions: its GET is a read of the record.
    client = client_for(
        request, client_id, write=True, audit=view_on_get(request), part="screening"
    )
    today = timezone.localdate()
    initial = {"starts_on": today, "review_on": today + timedelta(weeks=6)}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = _save_plan(request, form, client)
        if plan:
            messages.success(request, "Treatment plan saved.")
            return redirect("plan-detail", plan.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "treatment/plan_form.html", _plan_page(client, form, None), status=status
    )


@role_required(Role.THERAPIST)
def plan_edit(request, pk):
    plan = plan_for(request, pk, write=True, audit=view_on_get(request))
    initial = {
        name: getattr(plan, name)
        for name in (
            "status",
            "frequency_weeks",
            "visits_planned",
            "starts_on",
            "review_on",
            "avoid_regions",
            "notes",
        )
    }
    form = PlanForm(request.POST or None, initial=initial, plan=plan)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_plan(request, form, plan.client, plan)
    ):
        messages.success(request, "Treatment plan updated.")
        return redirect("plan-detail", plan.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "treatment/plan_form.html", _plan_page(plan.client, form, plan), status=status
    )


def _plan_page(client, form, plan):
    status = screening_status(client)
    return {
        "client": client,
        "form": form,
        "plan": plan,
        "status": status,
        "precautions": homecare.precautions_for(status.restrictions, status.blocks_treatment),
    }


@role_required(*CLINICAL)
def plan_detail(request, pk):
    plan = plan_for(request, pk)
    return render(
        request,
        "treatment/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "routine": homecare.routine(plan),
            "can_write": can_write_treatment(request.user, plan.client),
            "history": history(plan),
        },
    )


# Notes on one page of the record, newest first; "Show older notes" loads the next page.
NOTES_PER_PAGE = 20


def record_context(client, status=None, *, notes_page: int | None = None):
    """The client's record: screening, plans, notes with amendments, progress.

    `status` is the screening when the caller has loaded it already. `notes_page` (from 1) is
    the page of NOTES_PER_PAGE notes, newest first, that the record page shows; None is every
    note (the PDF). A fixed number of queries however many sessions there are.
    """
    notes = (
        SessionNote.objects.filter(client=client)
        .select_related("appointment", "therapist__user", "signed_by")
        .prefetch_related("amendments")  # their corrections change the scores shown
        .annotate(amendment_count=Count("amendments"))
        .order_by("-appointment__starts_at")
    )
    pager = None
    if notes_page is not None:
        count = SessionNote.objects.filter(client=client).count()
        pages = max(1, -(-count // NOTES_PER_PAGE))
        number = min(notes_page, pages)  # past the oldest page: the oldest page
        first = (number - 1) * NOTES_PER_PAGE
        notes = notes[first : first + NOTES_PER_PAGE]
        pager = {
            "count": count,
            "last": min(first + NOTES_PER_PAGE, count),
            "older": number + 1 if number < pages else None,
            "newer": number - 1 if number > 1 else None,
        }
    client_plans = list(client.treatment_plans.select_related("therapist__user"))
    status = status or screening_status(client)
    return {
        "client": client,
        "status": status,
        "plans": client_plans,
        "active_plan": next((p for p in client_plans if p.status == PlanStatus.ACTIVE), None),
        "notes": list(notes),
        "notes_pager": pager,
        "progress": progress_for(client),
    }


@role_required(*CLINICAL)
def client_record(request, client_id):
    client = client_for(request, client_id)
    page = max(parse_id(request.GET.get("notes")) or 1, 1)
    context = record_context(client, screening_for(request, client), notes_page=page)
    context["can_write"] = can_write_treatment(request.user, client)
    return render(request, "treatment/record.html", context)


@role_required(*CLINICAL)
def client_progress(request, client_id):
    client = client_for(request, client_id, part="progress")
    return render(
        request, "treatment/progress.html", {"client": client, "progress": progress_for(client)}
    )


def _home_care_page(request, client):
    """The page's read of the client's plan and precautions, audited once (any viewer)."""
    record(request, AuditAction.VIEW, ("home-care", client.pk), client)
    plan = plans.active_plan(client)
    status = screening_status(client)
    practised_today = (
        plan is not None and plan.practice_logs.filter(practiced_on=timezone.localdate()).exists()
    )
    return render(
        request,
        "treatment/home_care.html",
        {
            "client": client,
            "plan": plan,
            "routine": homecare.routine(plan) if plan else [],
            "precautions": homecare.precautions_for(status.restrictions, status.blocks_treatment),
            "practised_today": practised_today,
            "form": PracticeForm(),
        },
    )


@role_required(Role.CLIENT)
def my_home_care(request):
    client = get_object_or_404(Client, user=request.user)
    return _home_care_page(request, client)


def _home_care_client(request, client_id):
    client = get_object_or_404(Client, pk=client_id)
    if not can_view_client_record(request.user, client):
        raise treatment_refusal(request.user, client)
    return client


@role_required(Role.CLIENT, *CLINICAL)
def home_care(request, client_id):
    return _home_care_page(request, _home_care_client(request, client_id))


@require_POST
@role_required(Role.CLIENT, Role.THERAPIST)
def practice_record(request, client_id):
    """'I did it today': idempotent per day."""
    client = _home_care_client(request, client_id)
    plan = plans.active_plan(client)
    form = PracticeForm(request.POST)
    if plan is None:
        messages.error(request, "There is no active plan to practise.")
    elif not form.is_valid():
        messages.error(request, "Pain must be a number from 0 to 10.")
    else:
        source = (
            PracticeSource.CLIENT_PAGE
            if has_role(request.user, Role.CLIENT)
            else PracticeSource.THERAPIST
        )
        homecare.record_practice(
            client, plan, timezone.localdate(), form.cleaned_data["pain_now"], source
        )
        messages.success(request, "Well done: today's practice is recorded.")
    if has_role(request.user, Role.CLIENT):
        return redirect("my-home-care")
    return redirect(reverse("home-care", args=[client.pk]))
