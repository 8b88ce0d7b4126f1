"""Sign-in lockouts: the clinic admin sees who is locked out, from where, and lets them back in.

django-axes counts failed sign-ins per (username, client address) in its AccessAttempt rows and
refuses a pair once it reaches AXES_FAILURE_LIMIT within the cool-off. Unlocking goes through
axes' own reset so its cache and rows stay consistent, and writes an audit row.
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic.accounts.roles import Role, role_required
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError, add_error_to_form


def current_lockouts():
    """Each locked (username, address) pair with its failures and last attempt, newest first."""
    since = timezone.now() - get_cool_off()
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )


@transaction.atomic
def unlock_sign_in(origin, username, ip_address):
    """Clear the failed sign-ins of `username` from `ip_address` so they may sign in again.

    Other pairs stay locked. Refuses (nothing changed) when that pair has no failures on record.
    """
    removed = reset(ip=ip_address, username=username)
    if not removed:
        raise DomainError(
            f"{username} is not locked out from {ip_address}.", code="LOCKOUT_NOT_FOUND"
        )
    record(
        origin,
        AuditAction.UPDATE,
        ("sign_in_lockout", None),
        detail=f"Unlocked sign-in for {username} from {ip_address}",
    )


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField()


@role_required(Role.CLINIC_ADMIN)
@require_http_methods(["GET", "POST"])
def lockouts(request):
    form = UnlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            unlock_sign_in(request, **form.cleaned_data)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['username']} can sign in again from "
                f"{form.cleaned_data['ip_address']}.",
            )
            return redirect("sign-in-lockouts")
    status = 400 if form.errors else 200
    return render(
        request,
        "front/lockouts.html",
        {
            "lockouts": list(current_lockouts()),
            "form": form,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=status,
    )
