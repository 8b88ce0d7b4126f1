"""Permission-matrix rows for booking's routes (see tests/access/__init__.py).

The front desk and clinic admins book and change visits; every staff member reads the
schedule; the client reaches their own visit's page and calendar file; the online booking pages,
the free-slot API and the calendar feed (its token is the key) are public.
"""

from datetime import timedelta

from django.utils import timezone

from clinic.accounts.models import Role
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory

from . import PUBLIC, STAFF, Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})
THERAPIST = frozenset({Role.THERAPIST})


def add_to_world(world):
    """A service and a booked visit for the world's client with the world's therapist."""
    world.service = ServiceFactory(name="Matrix massage")
    starts_at = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    world.appointment = AppointmentFactory(
        client=world.client,
        therapist=world.therapist,
        room=RoomFactory(name="Matrix room"),
        service=world.service,
        starts_at=starts_at,
    )


def visit(w):
    return {"pk": w.appointment.pk}


def later(w):
    return {"start": (w.appointment.starts_at + timedelta(days=1)).isoformat()}


ROUTES = {
    "booking-day": Route(STAFF),
    "booking-week": Route(STAFF),
    "booking-next-available": Route(STAFF),
    "booking-client-search": Route(DESK),
    "booking-client-new": Route(DESK),
    "booking-book": Route(DESK),
    "booking-series": Route(DESK, method="post"),
    "booking-series-done": Route(DESK),
    "booking-appointment": Route(STAFF, kwargs=visit),
    "booking-appointment-ics": Route(STAFF | {Role.CLIENT}, kwargs=visit),
    "booking-reschedule": Route(DESK, kwargs=visit),
    "booking-cancel": Route(DESK, kwargs=visit),
    "booking-move": Route(DESK, kwargs=visit, method="post"),
    "booking-check-in": Route(DESK, kwargs=visit, method="post"),
    "booking-no-show": Route(DESK, kwargs=visit, method="post"),
    # The visit's own therapist may mark it done; another therapist is refused (tested apart).
    "booking-complete": Route(DESK | THERAPIST, kwargs=visit, method="post"),
    "booking-calendar": Route(THERAPIST),
    "booking-calendar-feed": Route(PUBLIC, kwargs=lambda w: {"token": w.therapist.calendar_token}),
    "booking-calendar-regenerate": Route(
        THERAPIST | {Role.CLINIC_ADMIN}, kwargs=lambda w: {"pk": w.therapist.pk}, method="post"
    ),
    "booking-online": Route(PUBLIC),
    "booking-online-slots": Route(PUBLIC, kwargs=lambda w: {"pk": w.service.pk}),
    "booking-online-book": Route(PUBLIC, kwargs=lambda w: {"pk": w.service.pk}),
    "booking-online-register": Route(PUBLIC, kwargs=lambda w: {"pk": w.service.pk}, method="post"),
    "booking-online-done": Route(frozenset({Role.CLIENT}), kwargs=visit),
    # The client's own visit from their portal (another client's answers 404, tested apart).
    "booking-my-cancel": Route(frozenset({Role.CLIENT}), kwargs=visit, method="post"),
    "booking-my-reschedule": Route(frozenset({Role.CLIENT}), kwargs=visit),
    "api-appointments": Route(STAFF | {Role.CLIENT}),
    "api-appointment-cancel": Route(DESK | {Role.CLIENT}, kwargs=visit, method="post"),
    "api-appointment-reschedule": Route(DESK, kwargs=visit, method="post", data=later),
    "api-appointment-check-in": Route(DESK, kwargs=visit, method="post"),
    "api-availability": Route(PUBLIC),
}
