"""Booking one visit through the booking service: what fits, what clashes, and why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.booking.booking import BookingClash, BookingError, book
from clinic.booking.models import Appointment, AppointmentStatus, TimeOff
from tests.booking.conftest import NOW, at, working_every_day
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


def book_at(client, therapist, service, when, **extra):
    return book(
        client=client, therapist=therapist, service=service, starts_at=when, now=NOW, **extra
    )


def test_a_visit_ends_after_the_service_and_keeps_the_buffer_busy(therapist, service, hours):
    visit = book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"))
    assert visit.ends_at == at("2026-03-10", "11:00")
    assert visit.busy_until == at("2026-03-10", "11:15")
    assert visit.status == AppointmentStatus.BOOKED


def test_without_a_room_the_therapists_usual_room_is_used(therapist, service, room, hours):
    visit = book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"))
    assert visit.room == room


def test_when_the_usual_room_is_taken_another_free_room_is_used(
    therapist, service, room, other_room, hours
):
    AppointmentFactory(room=room, service=service, starts_at=at("2026-03-10", "10:00"))
    visit = book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"))
    assert visit.room == other_room


@pytest.mark.parametrize(
    ("clash", "message"),
    [
        ("therapist", "is already booked Tue 10 Mar 2026, 10:30–11:45"),
        ("room", "Willow is in use Tue 10 Mar 2026, 10:30–11:45"),
        ("client", "The client already has a visit Tue 10 Mar 2026, 10:30–11:30"),
    ],
)
def test_an_overlap_is_refused_naming_what_clashed(
    therapist, service, room, other_room, hours, clash, message
):
    client = ClientFactory()
    existing = {
        "therapist": dict(therapist=therapist, room=other_room),
        "room": dict(room=room),
        "client": dict(client=client, room=other_room),
    }[clash]
    AppointmentFactory(service=service, starts_at=at("2026-03-10", "10:30"), **existing)
    with pytest.raises(BookingClash) as refused:
        book_at(client, therapist, service, at("2026-03-10", "10:00"), room=room)
    assert [c.kind for c in refused.value.conflicts] == [clash]
    assert message in refused.value.message
    assert Appointment.objects.count() == 1


def test_the_buffer_after_a_visit_keeps_the_therapist_busy(therapist, service, room, hours):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00"))
    with pytest.raises(BookingClash):
        book_at(ClientFactory(), therapist, service, at("2026-03-10", "11:00"))
    assert book_at(ClientFactory(), therapist, service, at("2026-03-10", "11:15"))


def test_the_new_visits_own_buffer_must_end_before_the_next_visit(therapist, service, hours):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at("2026-03-10", "11:00"))
    with pytest.raises(BookingClash):
        book_at(ClientFactory(), therapist, service, at("2026-03-10", "09:50"))
    assert book_at(ClientFactory(), therapist, service, at("2026-03-10", "09:45"))


def test_the_client_is_not_held_by_the_buffer(therapist, service, room, other_room, hours):
    client = ClientFactory()
    book_at(client, therapist, service, at("2026-03-10", "10:00"))
    other = TherapistFactory()
    working_every_day(other, other_room)
    assert book_at(client, other, service, at("2026-03-10", "11:00"))


@pytest.mark.parametrize("status", [AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
def test_cancelled_and_no_show_visits_do_not_block(therapist, service, room, hours, status):
    AppointmentFactory(
        therapist=therapist,
        room=room,
        service=service,
        status=status,
        starts_at=at("2026-03-10", "10:00"),
    )
    assert book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"), room=room)


@pytest.mark.parametrize("start", ["08:30", "16:30", "17:00"])
def test_a_visit_outside_the_therapists_hours_is_refused(therapist, service, hours, start):
    with pytest.raises(BookingClash) as refused:
        book_at(ClientFactory(), therapist, service, at("2026-03-10", start))
    assert refused.value.conflicts[0].kind == "hours"
    assert "does not work" in refused.value.message


def test_the_last_visit_may_end_at_closing_with_its_buffer_after(therapist, service, hours):
    assert book_at(ClientFactory(), therapist, service, at("2026-03-10", "16:00"))


def test_a_visit_during_time_off_is_refused_with_its_reason(therapist, service, hours):
    TimeOff.objects.create(
        therapist=therapist,
        starts_at=at("2026-03-10", "12:00"),
        ends_at=at("2026-03-10", "17:00"),
        reason="course",
    )
    with pytest.raises(BookingClash) as refused:
        book_at(ClientFactory(), therapist, service, at("2026-03-10", "11:00"))
    assert refused.value.conflicts[0].kind == "time_off"
    assert "(course)" in refused.value.message


def test_a_time_in_the_past_is_refused(therapist, service, hours):
    with pytest.raises(BookingError, match="already passed"):
        book(
            client=ClientFactory(),
            therapist=therapist,
            service=service,
            starts_at=timezone.now() - timedelta(hours=1),
        )


def test_a_naive_time_is_refused(therapist, service, hours):
    with pytest.raises(BookingError, match="UTC offset"):
        book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00").replace(tzinfo=None))


def test_an_inactive_service_cannot_be_booked(therapist, service, hours):
    service.is_active = False
    service.save()
    with pytest.raises(BookingError, match="no longer offered"):
        book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"))


def test_booking_a_refer_client_needs_a_typed_reason(therapist, service, hours):
    client = ClientFactory()
    submit(client, when=NOW, saddle_numbness=True)
    with pytest.raises(BookingError) as refused:
        book_at(client, therapist, service, at("2026-03-10", "10:00"), refer_override_reason="  ")
    assert refused.value.field == "refer_override_reason"
    visit = book_at(
        client,
        therapist,
        service,
        at("2026-03-10", "10:00"),
        refer_override_reason="Seen by GP, cleared in writing",
    )
    assert visit.refer_override_reason == "Seen by GP, cleared in writing"


def test_a_client_without_an_intake_can_be_booked(therapist, service, hours):
    assert book_at(ClientFactory(), therapist, service, at("2026-03-10", "10:00"))


@pytest.mark.parametrize(
    ("answers", "with_clearance", "refused"),
    [
        ({"saddle_numbness": True}, False, True),
        ({"osteoporosis": True}, False, True),
        ({"osteoporosis": True}, True, False),
        ({"anticoagulants": True}, False, False),
        ({}, False, False),
    ],
    ids=["refer", "uncleared-clearance", "cleared-clearance", "precautions", "clear"],
)
def test_self_booking_is_refused_for_refer_and_uncleared_clearance(
    therapist, service, hours, answers, with_clearance, refused
):
    from intake.models import Clearance

    client = ClientFactory()
    submit(client, when=NOW, **answers)
    if with_clearance:
        Clearance.objects.create(client=client, provider_name="Dr Lee", cleared_on=NOW.date())
    when = at("2026-03-10", "10:00")
    if refused:
        with pytest.raises(BookingError, match="first"):
            book_at(client, therapist, service, when, self_booked=True)
        assert not Appointment.objects.exists()
    else:
        assert book_at(client, therapist, service, when, self_booked=True).self_booked


def test_the_client_gets_a_confirmation_email_with_a_calendar_file(
    therapist, service, hours, mailoutbox, django_capture_on_commit_callbacks
):
    client = ClientFactory(email="alex@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        book_at(client, therapist, service, at("2026-03-10", "10:00"))
    [email] = mailoutbox
    assert email.to == ["alex@example.com"]
    assert "Tue 10 Mar 2026 at 10:00" in email.body
    name, content, mimetype = email.attachments[0]
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    assert "DTSTART:20260310T140000Z" in content
