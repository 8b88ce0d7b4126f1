"""Staff accounts: invite by email with a role, accept the invitation, edit a therapist's
profile, deactivate.

These live here rather than in clinic/accounts because each change writes its audit row in the
same transaction, and clinic/audit sits above clinic/accounts in the layers.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Role, Therapist, User
from clinic.accounts.roles import (
    can_switch_role,
    is_invitable_role,
    is_staff_account,
    needs_therapist_profile,
    therapist_profile_of,
)
from clinic.audit.history import acting
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings
from clinic.core.tokens import LinkError, make_token, read_token
from clinic.signin.sessions import end_sessions

INVITE_SALT = "tranquil.staff-invite"
INVITE_LIFETIME = timedelta(days=7)


class StaffError(DomainError):
    code = "STAFF_REFUSED"


def invite_token(user: User) -> str:
    return make_token(user.pk, salt=INVITE_SALT)


def invite_url(user: User) -> str:
    return settings.SITE_URL + reverse("setup-accept-invite", args=[invite_token(user)])


def _send_invite(user: User) -> None:
    clinic = ClinicSettings.load()
    context = {
        "user": user,
        "clinic": clinic,
        "url": invite_url(user),
        "days": INVITE_LIFETIME.days,
    }
    send_mail(
        f"You are invited to {clinic.name}",
        render_to_string("setup/email/invite.txt", context),
        None,
        [user.email],
    )


def invite_staff(*, email: str, role: str, first_name: str, last_name: str, by) -> User:
    """Create a staff account with no password and email its owner a signed link (valid for
    7 days) to set one. A therapist gets their (empty) profile at once. An address that already
    has an account is refused."""
    email = email.strip().lower()
    try:
        # Forms and serializers check this too; the bootstrap command reaches here unchecked,
        # and an address the sign-in form cannot take would lock the first admin out.
        validate_email(email)
        MaxLengthValidator(User._meta.get_field("email").max_length)(email)
    except ValidationError as error:
        raise StaffError("Enter a valid email address.", "email") from error
    if not is_invitable_role(role):
        raise StaffError("Choose a staff role.", "role")
    taken = StaffError("Someone already has an account with this email.", "email")
    if User.objects.filter(email__iexact=email).exists():
        raise taken
    with transaction.atomic(), acting(by):
        user = User(email=email, role=role, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        try:
            # Savepoint: two invitations at once both pass the check; the unique email decides.
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise taken from error
        if needs_therapist_profile(role):
            Therapist.objects.create(user=user)
        record(by, AuditAction.CREATE, user, detail=f"invited as {user.get_role_display()}")
        transaction.on_commit(lambda: _send_invite(user))
    return user


def resend_invite(*, user: User, by) -> None:
    """A fresh link for someone who has not set a password yet."""
    if user.has_usable_password():
        raise StaffError("This person has already accepted the invitation.")
    if not user.is_active:
        # Their link would open nothing (invited_user refuses inactive accounts).
        raise StaffError("This person is deactivated: reactivate them first.")
    record(by, AuditAction.UPDATE, user, detail="invitation sent again")
    _send_invite(user)


def invited_user(token: str) -> User:
    """The account an invitation link is for; a LinkError when it is forged, expired, or
    already used (the password is set)."""
    pk = read_token(token, salt=INVITE_SALT, max_age=INVITE_LIFETIME, expect=int)
    user = User.objects.filter(pk=pk, is_active=True).exclude(role=Role.CLIENT).first()
    if user is None:
        raise LinkError("invalid")
    if user.has_usable_password():
        raise LinkError("used")
    return user


def accept_invite(*, token: str, password: str) -> User:
    """Set the invited person's own password (checked by the password validators)."""
    user = invited_user(token)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise StaffError(" ".join(error.messages), "password", code="WEAK_PASSWORD") from error
    with transaction.atomic(), acting(user):
        user.set_password(password)
        user.save(update_fields=["password"])
        record(user, AuditAction.UPDATE, user, detail="accepted the invitation")
    return user


def save_profile(*, user: User, user_fields: dict, therapist_fields: dict, services, by) -> User:
    """A staff member's name and role, and for a therapist their professional profile
    (credentials, registration number, signature, bio, photo) and the services they offer.
    A role is never changed to or from therapist or client here, nor one's own."""
    # Compared with the stored account: a bound ModelForm may already have set the new role.
    stored = User.objects.get(pk=user.pk)
    if not can_switch_role(
        stored, user_fields.get("role", stored.role), by_user=Origin.of(by).user
    ):
        raise StaffError("This role cannot be changed here (nor your own).", "role")
    with transaction.atomic(), acting(by):
        for name, value in user_fields.items():
            setattr(user, name, value)
        user.save()
        therapist = therapist_profile_of(user)
        if therapist is not None:
            for name, value in therapist_fields.items():
                setattr(therapist, name, value)
            therapist.save()
            if services is not None:
                therapist.services.set(services)
        record(by, AuditAction.UPDATE, user, detail="profile: " + ", ".join(sorted(user_fields)))
    return user


def deactivate(*, user: User, by) -> User:
    """Switch a staff member off: they can no longer log in, their sessions and API tokens end,
    and a therapist is offered for no new booking. Every record they wrote stays; their future
    visits stay booked for the desk to move (clinic/booking/selectors.future_visits_of)."""
    if not is_staff_account(user):
        raise StaffError("Clients are not staff accounts.")
    if Origin.of(by).user == user:
        raise StaffError("You cannot deactivate yourself.")
    with transaction.atomic(), acting(by):
        user.is_active = False
        user.save(update_fields=["is_active"])
        Therapist.objects.filter(user=user).update(is_active=False)
        Token.objects.filter(user=user).delete()
        sessions = end_sessions(user)
        record(by, AuditAction.UPDATE, user, detail=f"deactivated; {sessions} sessions ended")
    return user


def reactivate(*, user: User, by) -> User:
    """Let a deactivated staff member back in (their password is unchanged)."""
    with transaction.atomic(), acting(by):
        user.is_active = True
        user.save(update_fields=["is_active"])
        Therapist.objects.filter(user=user).update(is_active=True)
        record(by, AuditAction.UPDATE, user, detail="reactivated")
    return user
