"""The clinic admin's screens (clinic/setup): clinic admins only; the invitation page is public
(the signed link is the key)."""

from datetime import date

from django.core.files.base import ContentFile

from clinic.accounts.models import Role
from clinic.booking.models import Closure, TimeOff
from tests.browser.journey import tiny_png
from tests.factories import RoomFactory, ServiceFactory, UserFactory

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
    "setup-therapist-photo": Route(PUBLIC, kwargs=lambda w: {"pk": w.therapist.pk}),
    # The API (clinic/setup/api.py): clinic admins only.
    "api-manage-staff": Route(ADMIN),
    "api-manage-staff-detail": Route(ADMIN, kwargs=_person),
    "api-manage-staff-deactivate": Route(
        ADMIN, kwargs=lambda w: {"pk": w.setup_leaver.pk}, method="post"
    ),
    "api-manage-hours": Route(ADMIN, kwargs=_person),
    "api-manage-services": Route(ADMIN),
    "api-manage-service-detail": Route(ADMIN, kwargs=lambda w: {"pk": w.setup_service.pk}),
    "api-manage-rooms": Route(ADMIN),
    "api-manage-room-detail": Route(ADMIN, kwargs=lambda w: {"pk": w.setup_room.pk}),
    "api-manage-closures": Route(ADMIN),
    "api-manage-closure-detail": Route(ADMIN, kwargs=lambda w: {"pk": w.setup_closure.pk}),
    "api-manage-settings": Route(ADMIN),
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
    world.therapist.photo.save("me.png", ContentFile(tiny_png()))
    # Someone the deactivation row may switch off without locking out a visitor of the matrix.
    world.setup_leaver = UserFactory(email="leaver@tranquil.test", role=Role.FRONT_DESK)
