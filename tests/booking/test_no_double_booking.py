"""The database itself refuses double bookings; 20 requests racing for one slot book it once."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from clinic.booking import booking, conflicts
from clinic.booking.booking import BookingClash, book
from clinic.booking.models import Appointment, AppointmentStatus
from tests.booking.conftest import NOW, at, working_every_day
from tests.factories import AppointmentFactory, ClientFactory, RoomFactory, TherapistFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints live in PostgreSQL"
)

START = at("2026-03-10", "10:00")


def raw_insert(client, therapist, room, service, starts_at, status="booked"):
    """An INSERT that goes around Django and the booking service entirely."""
    ends_at = starts_at + service.duration
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO booking_appointment (client_id, therapist_id, room_id, service_id,"
            " starts_at, ends_at, busy_until, status, booked_at, self_booked,"
            " refer_override_reason, cancellation_reason, late_cancellation, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now(), false, '', '', false, now())",
            [
                client.pk,
                therapist.pk,
                room.pk,
                service.pk,
                starts_at,
                ends_at,
                ends_at + service.buffer,
                status,
            ],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("same", "constraint"),
    [
        ("therapist", "no_double_booked_therapist"),
        ("room", "no_double_booked_room"),
        ("client", "no_double_booked_client"),
    ],
)
def test_the_database_refuses_an_overlapping_insert(service, same, constraint):
    first = AppointmentFactory(service=service, starts_at=START)
    second = {
        "client": ClientFactory(),
        "therapist": TherapistFactory(),
        "room": RoomFactory(),
    }
    second[same] = getattr(first, same)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        raw_insert(
            second["client"],
            second["therapist"],
            second["room"],
            service,
            START + timedelta(minutes=30),
        )
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_the_database_counts_the_buffer_for_therapist_and_room(service):
    first = AppointmentFactory(service=service, starts_at=START)
    with pytest.raises(IntegrityError, match="no_double_booked_therapist"), transaction.atomic():
        raw_insert(ClientFactory(), first.therapist, RoomFactory(), service, first.ends_at)
    raw_insert(ClientFactory(), first.therapist, first.room, service, first.busy_until)
    # The client is not held by the buffer: they may start elsewhere as the visit ends.
    raw_insert(first.client, TherapistFactory(), RoomFactory(), service, first.ends_at)
    assert Appointment.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_the_database_lets_a_cancelled_or_no_show_visit_overlap(service, status):
    first = AppointmentFactory(service=service, starts_at=START, status=status)
    raw_insert(first.client, first.therapist, first.room, service, START)
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_a_clash_the_service_missed_comes_back_from_the_database_named(
    monkeypatch, therapist, service, room, hours
):
    existing = AppointmentFactory(therapist=therapist, service=service, starts_at=START)
    # As if a concurrent request committed between the check and the insert.
    real = conflicts.find_conflicts
    calls = []

    def blind_first_time(*args, **kwargs):
        calls.append(1)
        return [] if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(booking, "find_conflicts", blind_first_time)
    with pytest.raises(BookingClash) as refused:
        book(client=ClientFactory(), therapist=therapist, service=service, starts_at=START, now=NOW)
    assert [(c.kind, c.appointment) for c in refused.value.conflicts] == [
        ("therapist", existing.pk)
    ]


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_racing_for_one_slot_book_it_once(service, room):
    therapist = TherapistFactory()
    working_every_day(therapist, room)
    clients = [ClientFactory() for _ in range(20)]
    barrier = threading.Barrier(20)
    outcomes = []

    def attempt(client):
        try:
            barrier.wait(timeout=30)
            book(client=client, therapist=therapist, service=service, starts_at=START, now=NOW)
            outcomes.append("booked")
        except BookingClash as clash:
            outcomes.append(clash.conflicts[0].kind)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("booked") == 1
    assert sorted(set(outcomes)) == ["booked", "therapist"]
    assert len(outcomes) == 20
    assert Appointment.objects.filter(therapist=therapist).count() == 1
