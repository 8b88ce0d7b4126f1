"""Recurring series: every occurrence shown with its clash, and booked exactly as chosen."""

from datetime import timedelta

import pytest

from clinic.booking.booking import BookingError
from clinic.booking.models import Appointment
from clinic.booking.series import book_series, plan_series, series_starts
from clinic.core.clinic_time import local
from tests.booking.conftest import NOW, ZONE, at
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db


def plan(client, therapist, service, every=1, count=6):
    return plan_series(
        client=client,
        therapist=therapist,
        service=service,
        first_start=at("2026-03-03", "10:00"),
        every_weeks=every,
        count=count,
        now=NOW,
    )


def test_a_weekly_series_keeps_the_wall_clock_time_across_the_dst_change():
    starts = series_starts(at("2026-03-03", "10:00"), 1, 3, ZONE)
    assert [f"{local(s):%Y-%m-%d %H:%M}" for s in starts] == [
        "2026-03-03 10:00",
        "2026-03-10 10:00",
        "2026-03-17 10:00",
    ]
    assert starts[1] - starts[0] == timedelta(days=7, hours=-1)


def test_every_two_weeks_skips_a_week():
    starts = series_starts(at("2026-03-03", "10:00"), 2, 3, ZONE)
    assert [local(s).day for s in starts] == [3, 17, 31]


def test_a_clashing_week_is_reported_with_where_it_could_move(therapist, service, hours):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at("2026-03-17", "10:30"))
    occurrences = plan(ClientFactory(), therapist, service)
    assert [o.is_free for o in occurrences] == [True, True, False, True, True, True]
    clash = occurrences[2]
    assert "already booked Tue 17 Mar 2026, 10:30–11:45" in clash.conflicts[0].message
    assert [f"{local(s.starts_at):%H:%M}" for s in clash.alternatives] == [
        "09:00",
        "09:15",
        "11:45",
    ]


@pytest.mark.parametrize(("every", "count"), [(3, 6), (1, 0), (1, 27)])
def test_a_series_outside_the_rules_is_refused(therapist, service, hours, every, count):
    with pytest.raises(BookingError):
        plan(ClientFactory(), therapist, service, every, count)


def test_the_front_desk_books_free_weeks_moves_one_and_skips_one(therapist, service, hours):
    client = ClientFactory()
    starts = series_starts(at("2026-03-03", "10:00"), 1, 6, ZONE)
    starts[2] = at("2026-03-17", "14:00")
    starts[4] = None
    result = book_series(
        client=client, therapist=therapist, service=service, starts=starts, now=NOW
    )
    assert len(result.booked) == 5 and result.skipped == [5] and result.failed == []
    booked = Appointment.objects.filter(client=client).order_by("starts_at")
    assert len({a.series for a in booked}) == 1
    assert at("2026-03-17", "14:00") in [a.starts_at for a in booked]


def test_an_occurrence_taken_in_the_meantime_is_reported_not_dropped(therapist, service, hours):
    starts = series_starts(at("2026-03-03", "10:00"), 1, 3, ZONE)
    AppointmentFactory(therapist=therapist, service=service, starts_at=starts[1])
    result = book_series(
        client=ClientFactory(), therapist=therapist, service=service, starts=starts, now=NOW
    )
    assert len(result.booked) == 2
    [(number, when, error)] = result.failed
    assert (number, when) == (2, starts[1])
    assert "already booked" in error.message


def test_a_series_sends_one_confirmation_listing_every_visit(
    therapist, service, hours, mailoutbox, django_capture_on_commit_callbacks
):
    starts = series_starts(at("2026-03-03", "10:00"), 1, 3, ZONE)
    with django_capture_on_commit_callbacks(execute=True):
        book_series(
            client=ClientFactory(), therapist=therapist, service=service, starts=starts, now=NOW
        )
    [email] = mailoutbox
    assert "3 visits" in email.subject
    assert email.attachments[0][1].count("BEGIN:VEVENT") == 3
