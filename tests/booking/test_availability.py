"""Free-slot search: hours, time off, buffers, bookings, rooms and the clinic's DST days."""

from datetime import time, timedelta

import pytest

from clinic.booking.availability import free_slots, nearest_free_slots
from clinic.booking.models import AppointmentStatus, TimeOff
from clinic.core.clinic_time import local
from tests.booking.conftest import NOW, at, working_every_day
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def local_starts(slots):
    return [f"{local(s.starts_at):%H:%M}" for s in slots]


def day_slots(service, day, therapist=None, now=NOW):
    return free_slots(service, at(day, "00:00"), at(day, "23:59"), therapist, now=now)


def test_an_empty_day_offers_every_quarter_hour_the_visit_fits_in(therapist, service, hours):
    starts = local_starts(day_slots(service, "2026-03-10", therapist))
    assert starts[0] == "09:00"
    assert starts[-1] == "16:00"
    assert len(starts) == 29


def test_a_booking_and_its_buffer_are_left_out(therapist, service, room, hours):
    AppointmentFactory(
        therapist=therapist, room=room, service=service, starts_at=at("2026-03-10", "12:00")
    )
    starts = local_starts(day_slots(service, "2026-03-10", therapist))
    # A new visit needs 75 minutes free before the 12:00 visit; the old one is busy until 13:15.
    assert "10:45" in starts and "11:00" not in starts
    assert "13:00" not in starts and "13:15" in starts


def test_cancelled_bookings_leave_their_time_free(therapist, service, hours):
    AppointmentFactory(
        therapist=therapist,
        service=service,
        starts_at=at("2026-03-10", "12:00"),
        status=AppointmentStatus.CANCELLED,
    )
    assert "12:00" in local_starts(day_slots(service, "2026-03-10", therapist))


def test_time_off_is_left_out(therapist, service, hours):
    TimeOff.objects.create(
        therapist=therapist, starts_at=at("2026-03-10", "13:00"), ends_at=at("2026-03-11", "00:00")
    )
    starts = local_starts(day_slots(service, "2026-03-10", therapist))
    assert starts[-1] == "11:45"


def test_days_without_hours_offer_nothing(therapist, service, room):
    working_every_day(therapist, room)[1].delete()  # no Tuesdays
    assert day_slots(service, "2026-03-10", therapist) == []
    assert day_slots(service, "2026-03-11", therapist)


def test_split_hours_offer_both_blocks(therapist, service, room):
    working_every_day(therapist, room, time(9), time(12))
    working_every_day(therapist, room, time(14), time(17))
    starts = local_starts(day_slots(service, "2026-03-10", therapist))
    assert "11:00" in starts and "11:15" not in starts and "14:00" in starts


def test_a_slot_needs_a_free_room(therapist, service, room, hours):
    AppointmentFactory(room=room, service=service, starts_at=at("2026-03-10", "12:00"))
    starts = local_starts(day_slots(service, "2026-03-10", therapist))
    assert "12:00" not in starts
    spare = RoomFactory(name="Spare")
    slots = day_slots(service, "2026-03-10", therapist)
    assert [s.room_id for s in slots if local(s.starts_at).hour == 12] == [spare.pk] * 4


def test_anyone_lists_each_therapist_earliest_first(therapist, service, room, hours):
    other = TherapistFactory()
    working_every_day(other, RoomFactory(), time(8), time(12))
    slots = day_slots(service, "2026-03-10")
    assert local_starts(slots)[:2] == ["08:00", "08:15"]
    assert slots == sorted(slots)
    assert {s.therapist_id for s in slots} == {therapist.pk, other.pk}


def test_past_times_are_never_offered(therapist, service, hours):
    slots = day_slots(service, "2026-03-10", therapist, now=at("2026-03-10", "13:05"))
    assert local_starts(slots)[0] == "13:15"


def test_inactive_therapists_are_not_offered(therapist, service, hours):
    therapist.is_active = False
    therapist.save()
    assert day_slots(service, "2026-03-10") == []


def test_on_spring_forward_day_hours_keep_their_wall_clock_times(therapist, hours):
    # 2026-03-08: clocks in Toronto jump from 02:00 to 03:00; the day is 23 hours long.
    service = ServiceFactory(duration_minutes=60, buffer_minutes=0)
    slots = day_slots(service, "2026-03-08", therapist, now=at("2026-03-01", "00:00"))
    assert local_starts(slots)[0] == "09:00" and local_starts(slots)[-1] == "16:00"
    assert slots[0].starts_at == at("2026-03-08", "09:00")
    assert slots[0].starts_at.utcoffset() is not None
    assert (slots[0].starts_at - at("2026-03-07", "09:00")) == timedelta(hours=23)


def test_on_fall_back_day_hours_keep_their_wall_clock_times(therapist, hours):
    # 2026-11-01: clocks go back from 02:00 to 01:00; the day is 25 hours long.
    service = ServiceFactory(duration_minutes=60, buffer_minutes=0)
    slots = day_slots(service, "2026-11-01", therapist, now=at("2026-10-25", "00:00"))
    assert local_starts(slots)[0] == "09:00" and local_starts(slots)[-1] == "16:00"
    assert len(slots) == 29
    assert (slots[0].starts_at - at("2026-10-31", "09:00")) == timedelta(hours=25)


def test_a_night_shift_across_the_spring_gap_offers_only_real_times(therapist, room):
    service = ServiceFactory(duration_minutes=60, buffer_minutes=0)
    working_every_day(therapist, room, time(0), time(6))
    slots = day_slots(service, "2026-03-08", therapist, now=at("2026-03-01", "00:00"))
    starts = local_starts(slots)
    assert "02:00" not in starts and "02:30" not in starts
    assert "01:45" in starts and "03:00" in starts
    # From 00:00 EST to 06:00 EDT is five real hours: a 60-minute visit fits 17 times.
    assert len(slots) == 17


def test_a_fall_back_night_shift_offers_the_repeated_hour_twice(therapist, room):
    service = ServiceFactory(duration_minutes=60, buffer_minutes=0)
    working_every_day(therapist, room, time(0), time(4))
    slots = day_slots(service, "2026-11-01", therapist, now=at("2026-10-25", "00:00"))
    # From 00:00 EDT to 04:00 EST is five real hours.
    assert len(slots) == 17
    assert local_starts(slots).count("01:15") == 2


def test_the_nearest_free_slots_surround_the_wanted_time(therapist, service, hours):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at("2026-03-10", "12:00"))
    near = nearest_free_slots(service, at("2026-03-10", "12:00"), therapist, count=3, now=NOW)
    assert local_starts(near) == ["10:30", "10:45", "13:15"]


def test_bookings_read_as_epoch_microseconds_are_the_same_instants(service):
    from datetime import UTC, datetime

    from clinic.booking.availability import _rows
    from clinic.booking.models import Appointment

    for moment in [
        datetime(2026, 3, 8, 6, 59, 59, 999_999, tzinfo=UTC),  # the spring-forward night
        datetime(2026, 11, 1, 5, 30, 0, 1, tzinfo=UTC),  # the fall-back night
        datetime(1969, 12, 31, 23, 0, 0, 250, tzinfo=UTC),  # before the epoch
    ]:
        AppointmentFactory(service=service, starts_at=moment)
    visits = Appointment.objects.order_by("starts_at")
    read = list(_rows(visits, ["id"], ["starts_at", "busy_until"]))
    assert read == list(visits.values_list("id", "starts_at", "busy_until"))
    assert {r[1].utcoffset() for r in read} == {timedelta(0)}
