"""Access rules for many rows at once: the querysets roles.py answers its questions with.

The care relationship, "this therapist treats this client", is defined here once:

- a visit with the client, not cancelled, today or in the past, or booked to start within the
  clinic's care window (`ClinicSettings.care_window_days`, default 7 days: to the end of the
  clinic day that many days after today). A booking made a minute ago for next month gives
  nothing until it comes within the window, so booking a visit is not a way into a record;
- or being the client's primary therapist. This is kept on purpose: it is an explicit
  assignment of ongoing responsibility (continuity between visits, a referral alert or a new
  intake to review before the next booking), shown on the client page and kept in the
  client's history (pghistory), where a booking is only a slot in the calendar.

Reading also opens to a therapist holding a live break-the-glass grant for the client
(clinic/audit/break_glass.py): a typed reason, for the rest of the clinic day, read only.

The detail checks in roles.py and the lists (API and pages) all filter through these methods,
so a list shows exactly what a detail allows, in a fixed number of queries.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

# AppointmentStatus lives in clinic.booking, an app above accounts: only its value is named here.
CANCELLED = "cancelled"

# The end of the care window comes from the clinic's clock and settings (clinic.core, a layer
# above), which hands its function over at start-up (CoreConfig.ready).
_care_horizon: Callable[[], datetime] | None = None


def use_care_horizon(function: Callable[[], datetime]) -> None:
    """Set the function answering "booked visits starting before when count?" (UTC)."""
    global _care_horizon
    _care_horizon = function


def care_horizon() -> datetime:
    """The instant (UTC) before which a booked visit makes its therapist treat the client."""
    if _care_horizon is None:
        raise ImproperlyConfigured("clinic.core is not installed: the care window has no end.")
    return _care_horizon()


def counted_visits(client_model):
    """The visits that make a therapist treat a client: not cancelled, and starting before
    the end of the care window (so every past one, today's, and the next few days').

    The Appointment model is reached through the reverse relation `Client.appointments`, so
    accounts imports nothing from the booking app above it.
    """
    appointment = client_model._meta.get_field("appointments").related_model
    return appointment.objects.exclude(status=CANCELLED).filter(starts_at__lt=care_horizon())


def live_grants(client_model):
    """Break-the-glass grants in force now, reached through `Client.break_glass_grants` (the
    model lives in clinic.audit, above)."""
    grant = client_model._meta.get_field("break_glass_grants").related_model
    now = timezone.now()
    return grant.objects.filter(granted_at__lte=now, expires_at__gt=now)


def cares_for(client_model, user):
    """The care relationship as a filter on clients: the user is their primary therapist or has
    a counted visit with them."""
    visits = counted_visits(client_model).filter(therapist__user=user)
    return models.Q(primary_therapist__user=user) | models.Q(pk__in=visits.values("client_id"))


class ClientQuerySet(models.QuerySet):
    def current(self):
        """Clients whose record is kept: every list, search and picker of clients starts here.

        A record destroyed at the end of retention leaves its emptied row behind (the audit log
        and invoices point at it); that row is found by its id, never listed.
        """
        return self.filter(record_destroyed_at__isnull=True)

    def treated_by(self, user):
        """Clients the user treats as a therapist: the care relationship (module docstring);
        none when the user has no therapist profile."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(cares_for(self.model, user))

    def readable_by(self, user):
        """Clients whose treatment the user may read: admins all, therapists those they treat
        and those they broke the glass for today.

        This is the rule; roles.can_read_treatment asks it about one client.
        """
        # The models module imports this one, so Role and role_of are imported when asked.
        from .models import Role
        from .roles import role_of

        role = role_of(user)
        if role == Role.CLINIC_ADMIN:
            return self.all()
        if role == Role.THERAPIST:
            grants = live_grants(self.model).filter(user=user)
            return self.filter(
                cares_for(self.model, user) | models.Q(pk__in=grants.values("client_id"))
            )
        return self.none()

    def writable_by(self, user):
        """Clients whose treatment the user may write: only a therapist who treats them (a
        break-the-glass grant opens a record to read, not to write)."""
        from .models import Role
        from .roles import role_of

        if role_of(user) == Role.THERAPIST:
            return self.treated_by(user)
        return self.none()


class TherapistQuerySet(models.QuerySet):
    def treating(self, client):
        """The therapists who treat a client: the same rule as ClientQuerySet.treated_by."""
        visits = counted_visits(type(client)).filter(client=client)
        return self.filter(
            models.Q(pk=client.primary_therapist_id)
            | models.Q(pk__in=visits.values("therapist_id"))
        )
