"""The clinic admin's screens (clinic/setup): clinic admins only; the invitation page is public
(the signed link is the key)."""

from datetime import date

from clinic.accounts.models import Role
from clinic.booking.models import Closure, Room, Service, TimeOff
from tests.factories import RoomFactory, ServiceFactory

from . import PUBLIC, Route

ADMIN = frozenset({Role.CLINIC_ADMIN})


def _person(w):
    return {"pk": w.therapist.user.pk}


ROUTES = {
    "setup-staff": Route(ADMIN),
    "setup-staff-detail": Route(ADMIN, kwargs=_person),
    "setup-staff-hours": Route(ADMIN, kwargs=_person),
    "setup-time-off-remove": Route(
        ADMIN,
        kwargs=lambda w: {"pk": w.therapist.user.pk, "time_off": w.setup_time_off.pk},
        method="post",
    ),
    "setup-staff-deactivate": Route(ADMIN, kwargs=_person),
    "setup-staff-resend": Route(ADMIN, kwargs=_person, method="post"),
    "setup-services": Route(ADMIN),
    "setup-service-new": Route(ADMIN),
    "setup-service-edit": Route(ADMIN, kwargs=lambda w: {"pk": w.setup_service.pk}),
    "setup-rooms": Route(ADMIN),
    "setup-room-new": Route(ADMIN),
    "setup-room-edit": Route(ADMIN, kwargs=lambda w: {"pk": w.setup_room.pk}),
    "setup-closures": Route(ADMIN),
    "setup-closure-remove": Route(
        ADMIN, kwargs=lambda w: {"pk": w.setup_closure.pk}, method="post"
    ),
    "setup-settings": Route(ADMIN),
    "setup-accept-invite": Route(PUBLIC, kwargs=lambda w: {"token": "not-a-real-token"}),
}


def add_to_world(world):
    world.setup_service = ServiceFactory(name="Setup service")
    world.setup_room = RoomFactory(name="Setup room")
    world.setup_closure = Closure.objects.create(
        first_day=date(2031, 12, 25), last_day=date(2031, 12, 26), reason="Holidays"
    )
    world.setup_time_off = TimeOff.objects.create(
        therapist=world.therapist,
        starts_at="2031-07-01T13:00Z",
        ends_at="2031-07-01T17:00Z",
        reason="Course",
    )
    assert Service.objects.filter(pk=world.setup_service.pk).exists()
    assert Room.objects.filter(pk=world.setup_room.pk).exists()
