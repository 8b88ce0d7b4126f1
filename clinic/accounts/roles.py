"""Who may see and do what: the one module every view, API and template asks.

Minimum necessary access (DESIGN.md, "Privacy and safety"): the front desk sees contact
details, bookings and screening outcomes; therapists see the clinical records of their own
clients; admins see everything; clients see only their own.

Rules about many rows at once are querysets next to this module (clinic/accounts/querysets.py,
`Client.objects.readable_by(user)`); the checks about one client here ask those same querysets,
so a list and a detail never disagree. DRF views reach these rules through
clinic/accounts/permissions.py.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .models import Client, Role, Therapist

STAFF = frozenset({Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN})
DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLINICAL = frozenset({Role.THERAPIST, Role.CLINIC_ADMIN})
# Record exports on request, access requests, retention and the breach register.
PRIVACY = frozenset({Role.CLINIC_ADMIN})
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


def may_use_two_factor(user):
    """Staff may sign in with a second factor (clinic/signin/two_factor.py); clients have none."""
    return is_staff_member(user)


def always_needs_two_factor(user):
    """Clinic admins, and superusers whatever their role, must sign in with a second factor."""
    return role_of(user) == Role.CLINIC_ADMIN or (role_of(user) is not None and user.is_superuser)


def can_see_clinical_details(user):
    """Intake answers, findings, plans and notes: never the front desk or another client."""
    return role_of(user) in CLINICAL


def can_manage_clinic(user):
    """Staff accounts, services, rooms, hours, reminder settings and the audit log."""
    return role_of(user) == Role.CLINIC_ADMIN


def can_handle_privacy_requests(user):
    """Export a client's whole record, log access requests, keep the breach register and
    destroy records past retention: the clinic admin alone (the clinic's privacy officer)."""
    return role_of(user) in PRIVACY


def can_see_all_reports(user):
    """Every therapist's figures and the clinic-wide ones: the clinic admin only."""
    return role_of(user) == Role.CLINIC_ADMIN


def report_scope(user):
    """Whose figures a user's reports show: (True, None) for every therapist's (the admin),
    (True, therapist) for a therapist's own, (False, None) for anyone else. The practice
    reports are for CLINICAL roles."""
    if can_see_all_reports(user):
        return True, None
    therapist = own_therapist(user)
    return therapist is not None, therapist


def is_the_client(user, client):
    """The user is logged in as this client."""
    return role_of(user) == Role.CLIENT and client.user_id == user.pk


def can_view_client_record(user, client):
    """Clinical record of one client (and their home care): admins, the client's own
    therapists, the client."""
    return is_the_client(user, client) or can_read_treatment(user, client)


def can_manage_screening(user, client):
    """Read the intake answers, findings and clearances of one client: admins and their own
    therapists (and a therapist who broke the glass for them today)."""
    return can_read_treatment(user, client)


def can_record_screening(user, client):
    """Submit an intake or record a clearance for a client: admins and their own therapists
    (breaking the glass opens a record to read only)."""
    return role_of(user) == Role.CLINIC_ADMIN or can_write_treatment(user, client)


def can_read_treatment(user, client):
    """Plans, session notes, progress and the clinical record: admins and their therapists."""
    return Client.objects.readable_by(user).filter(pk=client.pk).exists()


def can_write_treatment(user, client):
    """Write plans and notes, sign, amend: only a therapist who treats the client."""
    return Client.objects.writable_by(user).filter(pk=client.pk).exists()


class NotTreating(PermissionDenied):
    """Refuses a therapist the record of a client they do not treat. They may break the glass
    (clinic/audit/break_glass.py): the page refused shows how, the API answers `not_treating`
    with the address to ask at."""

    code = "not_treating"

    def __init__(self, client):
        super().__init__("You do not treat this client.")
        self.client = client


def can_break_glass(user, client):
    """Open a client's record for the rest of the clinic day by typing a reason: a therapist
    who cannot read it already. Never the front desk (not clinical), a client or an admin (who
    reads every record already)."""
    return own_therapist(user) is not None and not can_read_treatment(user, client)


def treatment_refusal(user, client):
    """The 403 to raise for a user refused a client's record: NotTreating when they may break
    the glass, a plain PermissionDenied otherwise."""
    return NotTreating(client) if can_break_glass(user, client) else PermissionDenied()


def can_chart_visit(user, appointment):
    """Write, save and sign a visit's session note: only the visit's own therapist, while they
    treat its client (another therapist of the client may read it, and amend it once signed)."""
    return is_visit_therapist(user, appointment) and can_write_treatment(user, appointment.client)


def can_record_practice(user, client):
    """'I did it today': the client themself, or a therapist who treats them."""
    return is_the_client(user, client) or can_write_treatment(user, client)


def can_review_break_glass(user):
    """See every break-the-glass grant and mark each reviewed: the clinic admin."""
    return role_of(user) == Role.CLINIC_ADMIN


def can_view_client_contact(user, client):
    """Name, phone, email and bookings: any staff member, and the client."""
    return is_staff_member(user) or is_the_client(user, client)


def can_see_card_on_file(user, client):
    """A client's card on file (its label, never a number): the desk, and the client."""
    return role_of(user) in DESK or is_the_client(user, client)


def can_manage_bookings(user):
    """Book, move, cancel and check in any visit: the front desk and admins."""
    return role_of(user) in DESK


def own_therapist(user):
    """The therapist profile of a therapist user; None for every other user."""
    if role_of(user) != Role.THERAPIST:
        return None
    return getattr(user, "therapist", None)


def is_visit_therapist(user, appointment):
    """The visit is the user's own as its therapist (one query for the user's profile at most,
    none per visit)."""
    therapist = getattr(user, "therapist", None)
    return therapist is not None and appointment.therapist_id == therapist.pk


def can_change_visit(user, appointment):
    """Check in, mark a no-show or complete a visit: the front desk and admins any visit, a
    therapist only their own (which of these each may do is the view's role gate)."""
    if can_manage_bookings(user):
        return True
    return role_of(user) == Role.THERAPIST and is_visit_therapist(user, appointment)


def can_change_own_visit(user, appointment):
    """Cancel or move a visit from the client portal: only the client whose visit it is (the
    online cut-off is booking's rule, clinic/booking/self_service.py)."""
    return role_of(user) == Role.CLIENT and appointment.client.user_id == user.pk


def permitted_visit_actions(user, appointment, actions):
    """Of a visit's status actions, those this user may take: the front desk and admins all,
    a therapist only 'complete', and only on their own visit."""
    if can_manage_bookings(user):
        return set(actions)
    if can_change_visit(user, appointment):
        return set(actions) & {"complete"}
    return set()


def visible_visits(user, visits):
    """Of these visits (an Appointment queryset), those the user may see: staff all, a client
    their own."""
    role = role_of(user)
    if role in STAFF:
        return visits
    if role == Role.CLIENT:
        return visits.filter(client__user=user)
    return visits.none()


def can_regenerate_feed(user, therapist):
    """Replace a therapist's calendar feed address: the therapist, or a clinic admin."""
    role = role_of(user)
    if role == Role.CLINIC_ADMIN:
        return True
    return role == Role.THERAPIST and therapist.user_id == user.pk


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


# --- Staff accounts (clinic/setup): who may be invited, and which role changes are allowed. ---
INVITABLE_ROLES = (Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN)
# A therapist's profile holds clinical records, so the role is switched only among these.
SWITCHABLE_ROLES = (Role.FRONT_DESK, Role.CLINIC_ADMIN)


def can_use_django_admin(user):
    """Django's admin is a technical tool: superusers only, never by role alone."""
    return bool(user.is_active and user.is_superuser)


def is_invitable_role(role):
    return role in INVITABLE_ROLES


def is_staff_account(user):
    """A staff account, active or not (clients are never staff)."""
    return user.role in STAFF


def can_switch_role(user, new_role, *, by_user):
    """An admin may move someone between front desk and clinic admin, never themself and never
    to or from therapist (or client)."""
    if new_role == user.role:
        return True
    if by_user is not None and by_user.pk == user.pk:
        return False
    return user.role in SWITCHABLE_ROLES and new_role in SWITCHABLE_ROLES


def switchable_role_choices(user):
    """The roles a staff member's role field offers: none for a therapist."""
    if user.role not in SWITCHABLE_ROLES:
        return []
    return [(r.value, r.label) for r in SWITCHABLE_ROLES]


def therapist_profile_of(user):
    """The user's therapist profile, active or not, or None (one query at most)."""
    return Therapist.objects.filter(user=user).first() if user.role == Role.THERAPIST else None


def needs_therapist_profile(role):
    """A new account of this role gets a therapist profile at once."""
    return role == Role.THERAPIST


# --- Billing (clinic/billing): money is the desk's; a therapist sees only whether their own
# visits are billed and paid; a client sees their own invoices and receipts. ---
def can_take_payments(user):
    """Checkout, discounts, waived fees, payments, refunds and credit notes."""
    return role_of(user) in DESK


def can_see_billing_status(user, appointment):
    """Whether a visit is invoiced and paid (no amounts): the desk, the visit's therapist."""
    return can_take_payments(user) or is_visit_therapist(user, appointment)


def visible_invoices(user, invoices):
    """Of these invoices (a queryset), those whose amounts the user may see: the desk all, a
    client their own, nobody else any."""
    role = role_of(user)
    if role in DESK:
        return invoices
    if role == Role.CLIENT:
        return invoices.filter(client__user=user)
    return invoices.none()


def can_choose_diagnosis_codes(user, appointment):
    """The ICD-10 codes on a visit's superbill: the desk, and the visit's own therapist."""
    return can_take_payments(user) or is_visit_therapist(user, appointment)


def visible_claims(user, claims):
    """Of these insurer claims (a queryset), those the user may see: the desk all, a client
    their own, nobody else any (a therapist sees only their visits' billing status). Claims
    name their client as invoices do, so the same rule answers."""
    return visible_invoices(user, claims)


def can_manage_waitlist(user):
    """See the whole waitlist, add any client to it and offer a freed slot by hand: the front
    desk and admins (a client joins and leaves only for themself)."""
    return can_manage_bookings(user)


def joins_waitlist_as_client(user):
    """The user adds themself to the waitlist, as a client, rather than naming a client."""
    return role_of(user) == Role.CLIENT
