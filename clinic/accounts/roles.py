"""Who may see and do what: the one module every view, API and template asks.

Minimum necessary access (DESIGN.md, "Privacy and safety"): the front desk sees contact
details, bookings and screening outcomes; therapists see the clinical records of their own
clients; admins see everything; clients see only their own.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .models import Role

STAFF = frozenset({Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN})
CLINICAL = frozenset({Role.THERAPIST, Role.CLINIC_ADMIN})
ALL = frozenset(Role)


def role_of(user):
    """The user's role, or None for anonymous and inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def has_role(user, *roles):
    return role_of(user) in roles


def is_staff_member(user):
    return role_of(user) in STAFF


def can_see_clinical_details(user):
    """Intake answers, findings, plans and notes: never the front desk or another client."""
    return role_of(user) in CLINICAL


def can_manage_clinic(user):
    """Staff accounts, services, rooms, hours, reminder settings and the audit log."""
    return role_of(user) == Role.CLINIC_ADMIN


def can_view_client_record(user, client):
    """Clinical record of one client: admins, the client's own therapists, the client."""
    role = role_of(user)
    if role == Role.CLINIC_ADMIN:
        return True
    if role == Role.THERAPIST:
        return client.is_treated_by(user)
    if role == Role.CLIENT:
        return client.user_id == user.pk
    return False


def can_manage_screening(user, client):
    """Intake answers, findings and clearances of one client: admins and their own therapists."""
    return role_of(user) in CLINICAL and can_view_client_record(user, client)


def can_read_treatment(user, client):
    """Plans, session notes, progress and the clinical record: admins and their therapists."""
    return role_of(user) in CLINICAL and can_view_client_record(user, client)


def can_write_treatment(user, client):
    """Write plans and notes, sign, amend: only a therapist who treats the client."""
    return role_of(user) == Role.THERAPIST and client.is_treated_by(user)


def can_view_client_contact(user, client):
    """Name, phone, email and bookings: any staff member, and the client."""
    role = role_of(user)
    if role in STAFF:
        return True
    return role == Role.CLIENT and client.user_id == user.pk


def home_url_name(user):
    """The URL name of the home page a user lands on after logging in."""
    return {
        Role.CLIENT: "client-home",
        Role.FRONT_DESK: "front-desk-home",
        Role.THERAPIST: "therapist-home",
        Role.CLINIC_ADMIN: "admin-home",
    }.get(role_of(user), "login")


def role_required(*roles):
    """View decorator: anonymous users go to the login page, the wrong role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def api_roles(*roles):
    """A DRF permission class letting only these roles through."""

    class HasRole(BasePermission):
        message = "Your role does not allow this."

        def has_permission(self, request, view):
            return role_of(request.user) in roles

    HasRole.__name__ = "HasRole_" + "_".join(sorted(str(r) for r in roles))
    return HasRole
