"""Sign-in pages: password, the second factor (enrol and verify), keep-alive, and the clinic
admin's list of staff two-factor sign-ins with a reset."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.accounts.forms import EmailLoginForm
from clinic.accounts.models import User
from clinic.accounts.roles import STAFF, Role, home_url_name, role_required
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.ratelimits import over_limit, rate_limited, too_many_requests

from . import sessions, two_factor
from .forms import CodeForm


@method_decorator(rate_limited("login", "login_username"), name="post")
class LoginView(auth_views.LoginView):
    """Django's login, by email, limited per address and per account name."""

    form_class = EmailLoginForm
    redirect_authenticated_user = True


@method_decorator(rate_limited("password_reset"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's "email me a reset link", limited per address: each post may send an email."""


@method_decorator(rate_limited("link", methods=("GET", "POST")), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed reset link, limited like every other signed link."""


def _next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return None


def _due_or_home(request, step):
    """The page for a session owing `step`; anyone else goes home."""
    if two_factor.step_due(request.session) != step:
        return redirect(home_url_name(request.user))
    return None


@role_required(*STAFF)
def verify(request):
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    elsewhere = _due_or_home(request, two_factor.VERIFY)
    if elsewhere:
        return elsewhere
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, "two_factor"):
            return too_many_requests(request)
        if form.is_valid():
            try:
                two_factor.verify(request, form.cleaned_data["token"])
            except DomainError as error:
                add_error_to_form(form, error)
            else:
                return redirect(_next_url(request) or home_url_name(request.user))
    return render(
        request,
        "signin/verify.html",
        {"form": form, "next": _next_url(request) or ""},
        status=400 if form.errors else 200,
    )


@role_required(*STAFF)
def enrol(request):
    """Set up the authenticator: scan the code, confirm one code, keep the recovery codes."""
    if two_factor.step_due(request.session) == two_factor.VERIFY:
        return redirect("two-factor-verify")
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["token"])
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            return render(
                request,
                "signin/recovery_codes.html",
                {"codes": codes, "next": _next_url(request) or ""},
            )
    return render(
        request,
        "signin/enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_data_uri(device),
            "manual_key": two_factor.manual_key(device),
            "enrolled": two_factor.is_enrolled(request.user),
            "required": two_factor.step_due(request.session) == two_factor.ENROL,
            "next": _next_url(request) or "",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def keep_alive(request):
    """The idle warning's "Stay signed in": the request itself is the activity (the session
    middleware records it); answers how many seconds are left."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    now = timezone.now()
    sessions.touch(request.session, now, force=True)
    seconds = sessions.seconds_left(request.session, request.user, now)
    return HttpResponse(str(seconds), content_type="text/plain")


@role_required(Role.CLINIC_ADMIN)
def staff_two_factor(request):
    """Staff and whether each signs in with a second factor, with a reset for a lost phone."""
    staff = User.objects.filter(role__in=STAFF, is_active=True).order_by("email")
    enrolled = set(
        two_factor.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    rows = [(member, member.pk in enrolled, two_factor.is_required(member)) for member in staff]
    return render(request, "signin/staff.html", {"rows": rows})


@require_POST
@role_required(Role.CLINIC_ADMIN)
def reset_two_factor(request, pk):
    member = get_object_or_404(User, pk=pk, role__in=STAFF)
    try:
        two_factor.reset(request, member)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("two-factor-staff")
    messages.success(
        request, f"{member.email} will set up two-factor sign-in again when next asked."
    )
    return redirect("two-factor-staff")
