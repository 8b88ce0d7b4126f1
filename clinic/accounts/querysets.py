"""Access rules for many rows at once: the querysets roles.py answers its questions with.

"Treats this client" is defined here once: the client's primary therapist, or a therapist
with a visit with them that was not cancelled. The detail checks in roles.py and the API
lists both filter through these methods, so a list shows exactly what a detail allows.
"""

from django.db import models

# AppointmentStatus lives in clinic.booking, an app above accounts: only its value is named here.
CANCELLED = "cancelled"


def counted_visits(client_model):
    """The visits that make a therapist treat a client: every one not cancelled.

    The Appointment model is reached through the reverse relation `Client.appointments`, so
    accounts imports nothing from the booking app above it.
    """
    appointment = client_model._meta.get_field("appointments").related_model
    return appointment.objects.exclude(status=CANCELLED)


class ClientQuerySet(models.QuerySet):
    def treated_by(self, user):
        """Clients the user treats as a therapist (none when the user has no therapist profile)."""
        if user is None or not user.is_authenticated:
            return self.none()
        visits = counted_visits(self.model).filter(therapist__user=user)
        return self.filter(
            models.Q(primary_therapist__user=user) | models.Q(pk__in=visits.values("client_id"))
        )

    def readable_by(self, user):
        """Clients whose treatment the user may read: admins all, therapists those they treat.

        This is the rule; roles.can_read_treatment asks it about one client.
        """
        # The models module imports this one, so Role and role_of are imported when asked.
        from .models import Role
        from .roles import role_of

        role = role_of(user)
        if role == Role.CLINIC_ADMIN:
            return self.all()
        if role == Role.THERAPIST:
            return self.treated_by(user)
        return self.none()

    def writable_by(self, user):
        """Clients whose treatment the user may write: only a therapist who treats them."""
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
