"""The pages behind reminder links (public, token-gated) and the admin's reminder settings.

A link page never changes anything on GET (mail scanners open links); the button on it posts.
A forged or expired token gets a page saying so, and nothing changes.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.accounts.roles import Role, role_required
from clinic.booking import booking as booking_service
from clinic.core.models import ClinicSettings
from sessions.models import PlanStatus

from . import checkins, links, optouts, planning, sending
from .forms import CancelForm, PracticeCheckInForm, ReminderSettingsForm
from .models import Reminder

PROBLEM_STATUS = {"invalid": 400, "expired": 410}


def _read(request, token, purpose):
    try:
        return links.read_token(token, purpose), None
    except links.LinkProblem as problem:
        response = render(
            request,
            "reminders/link_problem.html",
            {"reason": problem.reason},
            status=PROBLEM_STATUS[problem.reason],
        )
        return None, response


def _visit_context(reminder, action):
    visit, now = reminder.appointment, timezone.now()
    return {
        "reminder": reminder,
        "visit": visit,
        "late": visit.starts_at - now < booking_service.LATE_CANCELLATION,
        "started": visit.starts_at <= now,
        "can_act": visit.starts_at > now and visit.status in booking_service.ALLOWED_FROM[action],
    }


def confirm(request, token):
    """Confirm a visit from an appointment reminder."""
    reminder, problem = _read(request, token, links.CONFIRM)
    if problem:
        return problem
    context = _visit_context(reminder, "confirm")
    if request.method == "POST" and context["can_act"]:
        try:
            booking_service.confirm(reminder.appointment)
            context.update(just_confirmed=True, can_act=False)
        except booking_service.TransitionRefused:
            reminder.appointment.refresh_from_db()
            context["can_act"] = False
    return render(request, "reminders/confirm.html", context)


def cancel(request, token):
    """Cancel a visit from an appointment reminder (a late cancellation says so)."""
    reminder, problem = _read(request, token, links.CANCEL)
    if problem:
        return problem
    context = _visit_context(reminder, "cancel")
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and context["can_act"] and form.is_valid():
        try:
            booking_service.cancel(
                reminder.appointment,
                reason=form.cleaned_data["reason"] or "Cancelled from a reminder link.",
            )
            context.update(just_cancelled=True, can_act=False)
        except booking_service.TransitionRefused:
            reminder.appointment.refresh_from_db()
            context["can_act"] = False
    context["form"] = form
    return render(request, "reminders/cancel.html", context)


def done(request, token):
    """ "I did it" from a practice reminder: records the practice, pain now and the safety
    question."""
    reminder, problem = _read(request, token, links.DONE)
    if problem:
        return problem
    day = checkins.practice_day(reminder)
    context = {"reminder": reminder, "day": day}
    if reminder.plan.status != PlanStatus.ACTIVE:
        return render(request, "reminders/done.html", {**context, "plan_ended": True})
    form = PracticeCheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = checkins.record_practice_check_in(
            reminder,
            pain_now=form.cleaned_data["pain_now"],
            new_symptoms=form.has_new_symptoms(),
        )
        return render(request, "reminders/done.html", {**context, "result": result})
    if request.method == "GET" and checkins.already_counted(reminder):
        context["already"] = True
        context["adherence"] = checkins.plan_adherence(reminder.plan, day)
    status = 400 if form.errors else 200
    return render(request, "reminders/done.html", {**context, "form": form}, status=status)


def opt_out(request, token):
    """Stop reminders on the channel the link came by."""
    reminder, problem = _read(request, token, links.OPT_OUT)
    if problem:
        return problem
    context = {"reminder": reminder, "channel": reminder.get_channel_display().lower()}
    if request.method == "POST":
        context["just_opted_out"] = optouts.opt_out(reminder.client, reminder.channel)
    context["opted_out"] = optouts.has_opted_out(reminder.client, reminder.channel)
    return render(request, "reminders/opt_out.html", context)


@role_required(Role.CLINIC_ADMIN)
def reminder_settings(request):
    """Lead times and quiet hours; saving re-plans the visits coming up."""
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, instance=ClinicSettings.load())
    if request.method == "POST":
        if form.is_valid():
            form.save()
            planning.replan_upcoming()
            messages.success(request, "Reminder settings saved; upcoming reminders re-planned.")
            return redirect("reminder-settings")
        return render(request, "reminders/settings.html", {"form": form}, status=400)
    return render(request, "reminders/settings.html", {"form": form})


@require_POST
@role_required(Role.FRONT_DESK, Role.CLINIC_ADMIN)
def retry(request, pk):
    """Send a failed reminder again (after the front desk fixed the address, say)."""
    reminder = get_object_or_404(Reminder, pk=pk)
    if sending.retry_failed(reminder):
        messages.success(request, "The reminder will be sent again within a minute.")
    else:
        messages.info(request, "That reminder has not failed; nothing to retry.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("front-desk-home")
