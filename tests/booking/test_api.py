"""The booking API contract: 201 or 409 with the clashes, status changes, free slots."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import booking
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import working_every_day
from tests.factories import AppointmentFactory, ClientFactory, RoomFactory, TherapistFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def start():
    """Ten o'clock the day after tomorrow, in the clinic's time."""
    from datetime import time

    return at_local(today() + timedelta(days=2), time(10))


@pytest.fixture
def desk(client_as):
    return client_as(Role.FRONT_DESK)


def post(http, url, data):
    return http.post(url, data, content_type="application/json")


def payload(client, therapist, service, when, **extra):
    return {
        "client": client.pk,
        "therapist": therapist.pk,
        "service": service.pk,
        "start": when.isoformat(),
        **extra,
    }


def test_booking_answers_201_with_the_end_from_the_service(
    desk, therapist, service, room, hours, start
):
    client = ClientFactory()
    response = post(
        desk, "/api/appointments/", payload(client, therapist, service, start, room=room.pk)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["end"]
        == (start + timedelta(minutes=60)).astimezone(timezone.get_current_timezone()).isoformat()
    )
    assert (body["status"], body["screening"], body["self_booked"]) == ("booked", "missing", False)
    assert Appointment.objects.get(pk=body["id"]).booked_by.role == Role.FRONT_DESK


@pytest.mark.parametrize("clash", ["therapist", "room", "client"])
def test_an_overlap_answers_409_naming_what_clashed(
    desk, therapist, service, room, other_room, hours, start, clash
):
    client = ClientFactory()
    existing = {
        "therapist": dict(therapist=therapist, room=other_room),
        "room": dict(room=room),
        "client": dict(client=client, room=other_room),
    }[clash]
    other = AppointmentFactory(service=service, starts_at=start + timedelta(minutes=30), **existing)
    response = post(
        desk, "/api/appointments/", payload(client, therapist, service, start, room=room.pk)
    )
    assert response.status_code == 409
    body = response.json()
    assert "not free" in body["detail"]
    assert [(c["kind"], c["appointment"]) for c in body["conflicts"]] == [(clash, other.pk)]
    assert Appointment.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the exclusion constraints")
def test_a_clash_only_the_database_caught_is_still_a_409(
    desk, monkeypatch, therapist, service, hours, start
):
    AppointmentFactory(therapist=therapist, service=service, starts_at=start)
    monkeypatch.setattr(booking, "find_conflicts", lambda *args, **kwargs: [])
    response = post(desk, "/api/appointments/", payload(ClientFactory(), therapist, service, start))
    assert response.status_code == 409
    assert response.json()["conflicts"][0]["kind"] == "therapist"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-03-10T10:00:00"}, "start"),
        ({"start": "next tuesday"}, "start"),
        ({"service": 999999}, "service"),
        ({"therapist": None}, "therapist"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_books_nothing(
    desk, therapist, service, hours, start, change, field
):
    response = post(
        desk,
        "/api/appointments/",
        {**payload(ClientFactory(), therapist, service, start), **change},
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Appointment.objects.exists()


def test_a_time_without_an_offset_is_refused_with_how_to_write_it(
    desk, therapist, service, hours, start
):
    data = payload(ClientFactory(), therapist, service, start, start="2026-03-10T10:00:00")
    assert "UTC offset" in post(desk, "/api/appointments/", data).json()["start"][0]


def test_a_refer_client_needs_the_reason_through_the_api_too(
    desk, therapist, service, hours, start
):
    client = ClientFactory()
    submit(client, saddle_numbness=True)
    response = post(desk, "/api/appointments/", payload(client, therapist, service, start))
    assert response.status_code == 400
    assert "refer_override_reason" in response.json()
    data = payload(client, therapist, service, start, refer_override_reason="GP letter on file")
    assert post(desk, "/api/appointments/", data).status_code == 201


def test_a_client_books_for_themselves_only_and_is_marked_self_booked(
    client_as, a_client, therapist, service, hours, start
):
    http = client_as(Role.CLIENT)
    mine = {"therapist": therapist.pk, "service": service.pk, "start": start.isoformat()}
    response = post(http, "/api/appointments/", mine)
    assert response.status_code == 201
    assert response.json()["self_booked"] is True
    someone_else = {
        **mine,
        "client": ClientFactory().pk,
        "start": (start + timedelta(hours=2)).isoformat(),
    }
    assert post(http, "/api/appointments/", someone_else).status_code == 403


def test_a_therapist_cannot_book_through_the_api(client_as, therapist, service, hours, start):
    response = post(
        client_as(Role.THERAPIST),
        "/api/appointments/",
        payload(ClientFactory(), therapist, service, start),
    )
    assert response.status_code == 403


def test_a_client_lists_only_their_own_visits(client_as, a_client, service):
    mine = AppointmentFactory(client=a_client, service=service)
    AppointmentFactory(service=service, starts_at=mine.starts_at + timedelta(hours=3))
    body = client_as(Role.CLIENT).get("/api/appointments/").json()
    assert [v["id"] for v in body["results"]] == [mine.pk]


def test_staff_list_a_days_visits_with_their_screening(desk, service):
    visit = AppointmentFactory(service=service)
    submit(visit.client)
    AppointmentFactory(service=service, starts_at=visit.starts_at + timedelta(days=3))
    day = timezone.localtime(visit.starts_at).date().isoformat()
    body = desk.get(f"/api/appointments/?date={day}").json()
    assert [(v["id"], v["screening"]) for v in body["results"]] == [(visit.pk, "clear")]


def test_cancelling_late_through_the_api_flags_it(desk, service):
    visit = AppointmentFactory(service=service, starts_at=timezone.now() + timedelta(hours=5))
    response = post(desk, f"/api/appointments/{visit.pk}/cancel/", {"reason": "Sick"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["late_cancellation"]) == ("cancelled", True)


def test_a_refused_status_change_is_a_409(desk, service):
    visit = AppointmentFactory(service=service, status=AppointmentStatus.COMPLETED)
    response = post(desk, f"/api/appointments/{visit.pk}/cancel/", {})
    assert response.status_code == 409
    assert "completed visit cannot be cancelled" in response.json()["detail"]


def test_a_client_cannot_cancel_someone_elses_visit(client_as, a_client, service):
    visit = AppointmentFactory(service=service)
    assert (
        post(client_as(Role.CLIENT), f"/api/appointments/{visit.pk}/cancel/", {}).status_code == 404
    )
    assert Appointment.objects.get(pk=visit.pk).status == AppointmentStatus.BOOKED


def test_rescheduling_through_the_api_moves_or_answers_409(
    desk, therapist, service, room, hours, start
):
    visit = AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=start)
    blocker = AppointmentFactory(
        therapist=therapist, service=service, starts_at=start + timedelta(hours=3)
    )
    url = f"/api/appointments/{visit.pk}/reschedule/"
    clash = post(desk, url, {"start": blocker.starts_at.isoformat()})
    assert clash.status_code == 409
    assert clash.json()["conflicts"][0]["appointment"] == blocker.pk
    moved = post(desk, url, {"start": (start + timedelta(hours=1, minutes=30)).isoformat()})
    assert moved.status_code == 200


def test_checking_in_through_the_api_works_on_the_day_only(desk, service):
    today_visit = AppointmentFactory(service=service, starts_at=timezone.now())
    later = AppointmentFactory(service=service, starts_at=timezone.now() + timedelta(days=3))
    assert (
        post(desk, f"/api/appointments/{today_visit.pk}/check-in/", {}).json()["status"]
        == "checked_in"
    )
    assert post(desk, f"/api/appointments/{later.pk}/check-in/", {}).status_code == 409


def test_availability_lists_free_slots_earliest_first(
    client, therapist, service, room, hours, start
):
    other = TherapistFactory()
    working_every_day(other, RoomFactory())
    AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=start)
    query = {
        "service": service.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
    }
    slots = client.get("/api/availability/", query).json()
    assert set(slots[0]) == {"start", "end", "therapist"}
    assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)
    assert {s["therapist"] for s in slots[:1]} == {other.pk}
    mine = client.get("/api/availability/", {**query, "therapist": therapist.pk}).json()
    first_free = timezone.localtime(start + timedelta(minutes=75)).isoformat()
    assert mine[0]["start"] == first_free


@pytest.mark.parametrize(
    "change",
    [
        {"end": "2026-03-01T00:00:00+00:00"},
        {"end": "2027-06-01T00:00:00+00:00"},
        {"service": ""},
        {"start": "2026-03-02"},
    ],
)
def test_availability_refuses_a_bad_search(client, service, change):
    query = {
        "service": service.pk,
        "start": "2026-03-02T00:00:00+00:00",
        "end": "2026-03-09T00:00:00+00:00",
    }
    assert client.get("/api/availability/", {**query, **change}).status_code == 400


def test_availability_reads_an_offset_whose_plus_was_not_encoded(client, therapist, service, hours):
    url = (
        f"/api/availability/?service={service.pk}"
        "&start=2030-03-12T09:00:00+00:00&end=2030-03-12T23:00:00+00:00"
    )
    slots = client.get(url).json()
    assert slots[0]["start"].startswith("2030-03-12T09:00:00")  # 09:00 in Toronto is 13:00 UTC


@pytest.mark.parametrize("zone", ["America/Toronto", "UTC", "Asia/Kolkata"])
def test_free_slot_rows_are_what_the_slot_serializer_writes(zone, settings):
    from datetime import UTC, datetime

    from clinic.booking.availability import Slot
    from clinic.booking.serializers import FreeSlotSerializer, free_slot_rows

    settings.TIME_ZONE = zone
    starts = [datetime(2026, 3, 8, 6, 45, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]
    slots = [Slot(s, s + timedelta(minutes=n * 30), n, 1) for n in (1, 2) for s in starts]
    assert free_slot_rows(slots) == FreeSlotSerializer(slots, many=True).data
