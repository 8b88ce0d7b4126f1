"""Two-factor sign-in for staff: an authenticator app (TOTP) and ten recovery codes.

Clinic admins must use it, other staff when the clinic asks (ClinicSettings.
require_two_factor_for_staff) and may always choose to; clients never do. TWO_FACTOR_REQUIRED
turns the requirement off for the demo (DEBUG on); whoever has enrolled is still asked.

At sign-in the session is marked with the step still due ("verify" or "enrol"); the gate
(clinic/signin/middleware.py) lets such a session reach only the sign-in pages until the step is
done, so an ordinary request costs no query for it.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.accounts.api_tokens import revoke_tokens
from clinic.accounts.roles import always_needs_two_factor, may_use_two_factor
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings

from .sessions import end_sessions

STEP_DUE = "signin:two_factor_step"
VERIFY, ENROL = "verify", "enrol"
RECOVERY_CODES = 10
DEVICE_NAME = "Authenticator app"


def is_allowed(user) -> bool:
    """Staff may sign in with a second factor; clients have no such step."""
    return may_use_two_factor(user)


def is_required(user) -> bool:
    """This user must enrol: clinic admins (and superusers) always, other staff when the clinic
    requires it, nobody while TWO_FACTOR_REQUIRED is off."""
    if not settings.TWO_FACTOR_REQUIRED or not is_allowed(user):
        return False
    if always_needs_two_factor(user):
        return True
    return ClinicSettings.load().require_two_factor_for_staff


def is_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def begin_sign_in(session, user) -> None:
    """After the password: mark the step this session still owes, if any."""
    session.pop(STEP_DUE, None)
    if not is_allowed(user):
        return
    if is_enrolled(user):
        session[STEP_DUE] = VERIFY
    elif is_required(user):
        session[STEP_DUE] = ENROL


def step_due(session) -> str | None:
    return session.get(STEP_DUE)


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), made on first visit to the enrol page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code (a data: URI, drawn on the server)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows, replace any earlier devices, and return
    ten new recovery codes (shown once; stored only as single-use static tokens).

    Refuses with TWO_FACTOR_CODE_WRONG when the code does not match; nothing changes then but
    the device's count of wrong codes, which slows guessing.
    """
    user = request.user
    code = token.replace(" ", "")
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        raise DomainError(
            "That code does not match. Check the time on your phone and try the newest code.",
            "token",
            code="TWO_FACTOR_CODE_WRONG",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
        record(request, AuditAction.CREATE, ("two_factor", user.pk), detail="Enrolled two-factor")
    finish(request, device)
    return codes


def verify(request, token: str) -> None:
    """Check a code from the authenticator, or a recovery code (used up), and mark the session
    as verified. Refuses with TWO_FACTOR_CODE_WRONG."""
    device = match_token(request.user, token.replace(" ", ""))
    if device is None:
        raise DomainError(
            "That code does not match. Try the newest code, or a recovery code.",
            "token",
            code="TWO_FACTOR_CODE_WRONG",
        )
    finish(request, device)


def finish(request, device) -> None:
    otp_login(request, device)
    request.session.pop(STEP_DUE, None)


@transaction.atomic
def reset(request, user) -> None:
    """A clinic admin removes someone's authenticator and recovery codes (they lost their
    phone): they enrol again at their next sign-in if they must. Their sessions verified with
    the old device and their API tokens end, as on deactivation (a stolen phone may be behind
    the reset); an admin resetting their own keeps the session they do it in. Audited."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    if not removed:
        raise DomainError(f"{user.email} has no two-factor sign-in to reset.", code="NOT_ENROLLED")
    revoke_tokens(user)
    ended = end_sessions(user, keep=request.session.session_key)
    record(
        request,
        AuditAction.UPDATE,
        ("two_factor", user.pk),
        detail=f"Reset two-factor sign-in of {user.email}; {ended} sessions ended",
    )
