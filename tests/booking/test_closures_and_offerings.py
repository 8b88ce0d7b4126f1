"""Free-slot search and online booking respect clinic closures, who offers a service and which
rooms suit it (issue 14)."""

from datetime import date, timedelta

import pytest

from clinic.booking import self_service
from clinic.booking.availability import closed_days, free_slots
from clinic.booking.models import Closure
from clinic.core.clinic_time import local
from tests.booking.conftest import NOW, at, working_every_day
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    RoomFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def slots_between(service, first, last, therapist=None):
    return free_slots(service, at(first, "00:00"), at(last, "23:59"), therapist, now=NOW)


def local_days(slots):
    return sorted({f"{local(s.starts_at):%Y-%m-%d}" for s in slots})


def test_a_closed_day_offers_no_slot_and_the_days_around_it_do(therapist, service, hours):
    Closure.objects.create(
        first_day=date(2026, 3, 11), last_day=date(2026, 3, 11), reason="Staff training"
    )
    days = local_days(slots_between(service, "2026-03-10", "2026-03-12", therapist))
    assert days == ["2026-03-10", "2026-03-12"]


def test_a_closure_over_several_days_closes_each_of_them(therapist, service, hours):
    Closure.objects.create(
        first_day=date(2026, 3, 10), last_day=date(2026, 3, 12), reason="March break"
    )
    assert local_days(slots_between(service, "2026-03-09", "2026-03-13", therapist)) == [
        "2026-03-09",
        "2026-03-13",
    ]


def test_a_range_entirely_closed_offers_nothing(therapist, service, hours):
    Closure.objects.create(first_day=date(2026, 3, 1), last_day=date(2026, 3, 31), reason="Reno")
    assert slots_between(service, "2026-03-10", "2026-03-12", therapist) == []


def test_closed_days_clips_closures_to_the_range_asked():
    Closure.objects.create(first_day=date(2026, 3, 1), last_day=date(2026, 3, 5), reason="A")
    assert closed_days(date(2026, 3, 4), date(2026, 3, 9)) == {date(2026, 3, 4), date(2026, 3, 5)}


def test_a_service_is_offered_only_with_the_therapists_who_offer_it(therapist, service, room):
    other = TherapistFactory()
    working_every_day(therapist, room)
    working_every_day(other, room)
    service.therapists.set([other])
    found = slots_between(service, "2026-03-10", "2026-03-10")
    assert found and {s.therapist_id for s in found} == {other.pk}
    assert slots_between(service, "2026-03-10", "2026-03-10", therapist) == []


def test_a_service_naming_nobody_is_offered_by_every_therapist(therapist, service, room):
    other = TherapistFactory()
    working_every_day(therapist, room)
    working_every_day(other, room)
    found = slots_between(service, "2026-03-10", "2026-03-10")
    assert {s.therapist_id for s in found} == {therapist.pk, other.pk}


def test_a_visit_goes_only_to_a_room_that_suits_its_service(therapist, service, room, hours):
    other_service = ServiceFactory(name="Hot stones")
    suited = RoomFactory(name="Stone room")
    room.services.set([other_service])  # the usual room does not suit this service
    suited.services.set([service])
    found = slots_between(service, "2026-03-10", "2026-03-10", therapist)
    assert found and {s.room_id for s in found} == {suited.pk}


def test_no_room_suiting_the_service_means_no_slot(therapist, service, room, hours):
    room.services.set([ServiceFactory(name="Hot stones")])
    assert slots_between(service, "2026-03-10", "2026-03-10", therapist) == []


def test_online_booking_refuses_a_closed_day(therapist, service, hours, client_user):
    wanted = at("2026-03-11", "10:00")
    Closure.objects.create(first_day=date(2026, 3, 11), last_day=date(2026, 3, 11), reason="X")
    with pytest.raises(self_service.ClinicClosed) as refusal:
        self_service.book_online(
            client=ClientFactory(),
            therapist=therapist,
            service=service,
            starts_at=wanted,
            by=client_user,
            now=wanted - timedelta(days=3),
        )
    assert refusal.value.code == "CLINIC_CLOSED"


def test_online_booking_refuses_a_service_not_offered_online(
    therapist, service, hours, client_user
):
    service.online_bookable = False
    service.save()
    wanted = at("2026-03-11", "10:00")
    with pytest.raises(self_service.ClinicClosed):
        self_service.book_online(
            client=ClientFactory(),
            therapist=therapist,
            service=service,
            starts_at=wanted,
            by=client_user,
            now=wanted - timedelta(days=3),
        )


def test_the_online_page_lists_only_services_offered_online(client, service):
    hidden = ServiceFactory(name="Desk-only assessment", online_bookable=False)
    page = client.get("/booking/online/").content.decode()
    assert service.name in page and hidden.name not in page


def test_a_client_cannot_move_a_visit_online_onto_a_closed_day(therapist, service, hours):
    visit = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-20", "10:00")
    )
    Closure.objects.create(first_day=date(2026, 3, 18), last_day=date(2026, 3, 18), reason="X")
    with pytest.raises(self_service.ClinicClosed):
        self_service.reschedule_online(
            visit, starts_at=at("2026-03-18", "10:00"), by=UserFactory(), now=NOW
        )
    visit.refresh_from_db()
    assert visit.starts_at == at("2026-03-20", "10:00")
