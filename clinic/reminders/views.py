"""The pages behind reminder links (public, token-gated) and the admin's reminder settings.

A link page never changes anything on GET (mail scanners open links); the button on it posts.
A forged or expired token gets a page saying so, and nothing changes.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.accounts.roles import Role, role_required
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.models import ClinicSettings
from clinic.core.ratelimits import rate_limited
from clinic.setup.clinic_settings import update_settings

from . import actions, checkins, links, optouts, sending
from .forms import CancelForm, PracticeCheckInForm, ReminderSettingsForm
from .models import Reminder

# Post/redirect/get: the page after a button says once what the button did (kept in the session
# for this very link); a refresh reads the visit again instead of pressing the button twice.
LINK_OUTCOME = "reminder-link-outcome"


def _after_post(request, outcome):
    request.session[LINK_OUTCOME] = {"path": request.path, "outcome": outcome}
    return redirect(request.path)


def _posted_outcome(request):
    done = request.session.pop(LINK_OUTCOME, None)
    return done["outcome"] if done and done["path"] == request.path else None


def _read(request, token, purpose):
    try:
        return links.read_token(token, purpose), None
    except links.LinkProblem as problem:
        response = render(
            request,
            "reminders/link_problem.html",
            {"reason": problem.reason},
            status=problem.status,
        )
        return None, response


@rate_limited("link", methods=("GET", "POST"))
def confirm(request, token):
    """Confirm a visit from an appointment reminder."""
    reminder, problem = _read(request, token, links.CONFIRM)
    if problem:
        return problem
    visit = reminder.appointment
    if request.method == "POST":
        return _after_post(request, actions.confirm_visit(visit, reminder))
    outcome = _posted_outcome(request) or actions.preview(visit, "confirm")
    return render(request, "reminders/confirm.html", {"visit": visit, "outcome": outcome})


@rate_limited("link", methods=("GET", "POST"))
def cancel(request, token):
    """Cancel a visit from an appointment reminder (a late cancellation says so)."""
    reminder, problem = _read(request, token, links.CANCEL)
    if problem:
        return problem
    visit = reminder.appointment
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = actions.cancel_visit(visit, form.cleaned_data["reason"], reminder)
        return _after_post(request, outcome)
    outcome = _posted_outcome(request) or actions.preview(visit, "cancel")
    context = {"visit": visit, "outcome": outcome, "form": form, "late": actions.is_late(visit)}
    return render(request, "reminders/cancel.html", context)


@rate_limited("link", methods=("GET", "POST"))
def done(request, token):
    """ "I did it" from a practice reminder: records the practice, pain now and the safety
    question."""
    reminder, problem = _read(request, token, links.DONE)
    if problem:
        return problem
    day = checkins.practice_day(reminder)
    context = {"reminder": reminder, "day": day}
    if checkins.plan_ended(reminder):
        return render(request, "reminders/done.html", {**context, "plan_ended": True})
    form = PracticeCheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = checkins.record_practice_check_in(
            reminder,
            pain_now=form.cleaned_data["pain_now"],
            new_symptoms=form.has_new_symptoms(),
            origin=request,
        )
        return _after_post(request, [result.created, result.safety_alert])
    if posted := _posted_outcome(request):
        created, safety_alert = posted
        adherence = checkins.plan_adherence(reminder.plan, day)
        result = checkins.CheckInResult(created, adherence, safety_alert)
        return render(request, "reminders/done.html", {**context, "result": result})
    if request.method == "GET" and checkins.already_counted(reminder):
        context["already"] = True
        context["adherence"] = checkins.plan_adherence(reminder.plan, day)
    status = 400 if form.errors else 200
    return render(request, "reminders/done.html", {**context, "form": form}, status=status)


@rate_limited("link", methods=("GET", "POST"))
def opt_out(request, token):
    """Stop reminders on the channel the link came by."""
    reminder, problem = _read(request, token, links.OPT_OUT)
    if problem:
        return problem
    context = {"reminder": reminder, "channel": reminder.get_channel_display().lower()}
    if request.method == "POST":
        return _after_post(request, optouts.opt_out(reminder.client, reminder.channel))
    context["just_opted_out"] = _posted_outcome(request)
    context["opted_out"] = optouts.has_opted_out(reminder.client, reminder.channel)
    return render(request, "reminders/opt_out.html", context)


@role_required(Role.CLINIC_ADMIN)
def reminder_settings(request):
    """Lead times and quiet hours; saving re-plans the visits coming up."""
    data = request.POST if request.method == "POST" else None
    form = ReminderSettingsForm(data, instance=ClinicSettings.load())
    if request.method == "POST":
        if form.is_valid():
            try:
                # Saved with its audit row; the settings signal re-plans upcoming reminders.
                update_settings(changes=form.cleaned_data, by=request)
            except DomainError as error:
                add_error_to_form(form, error)
            else:
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
