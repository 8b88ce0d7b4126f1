"""Each status change allowed only from the statuses where it makes sense."""

from datetime import timedelta

import pytest

from clinic.booking import booking
from clinic.booking.booking import TransitionRefused
from clinic.booking.models import AppointmentStatus as S
from tests.booking.conftest import at
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

START = at("2026-03-10", "10:00")
DURING = START + timedelta(minutes=10)
ACTIONS = {
    "confirm": lambda a: booking.confirm(a, now=DURING),
    "check_in": lambda a: booking.check_in(a, now=DURING),
    "no_show": lambda a: booking.mark_no_show(a, now=DURING),
    "complete": lambda a: booking.complete(a, now=DURING),
    "cancel": lambda a: booking.cancel(a, now=START - timedelta(days=2)),
    "reschedule": lambda a: booking.reschedule(
        a, starts_at=START + timedelta(days=1), now=START - timedelta(days=2)
    ),
}
RESULT = {
    "confirm": S.CONFIRMED,
    "check_in": S.CHECKED_IN,
    "no_show": S.NO_SHOW,
    "complete": S.COMPLETED,
    "cancel": S.CANCELLED,
    "reschedule": S.BOOKED,
}
ALLOWED = {
    S.BOOKED: {"confirm", "check_in", "no_show", "cancel", "reschedule"},
    S.CONFIRMED: {"check_in", "no_show", "cancel", "reschedule"},
    S.CHECKED_IN: {"complete"},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.NO_SHOW: set(),
}
TABLE = [(status, action, action in ALLOWED[status]) for status in S for action in sorted(ACTIONS)]


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    TABLE,
    ids=[f"{s}-{a}-{'allowed' if ok else 'refused'}" for s, a, ok in TABLE],
)
def test_each_status_change_is_allowed_or_refused(
    hours, therapist, room, service, status, action, allowed
):
    visit = AppointmentFactory(
        therapist=therapist, room=room, service=service, starts_at=START, status=status
    )
    if allowed:
        ACTIONS[action](visit)
        visit.refresh_from_db()
        assert visit.status == RESULT[action]
    else:
        with pytest.raises(TransitionRefused, match="cannot be"):
            ACTIONS[action](visit)
        visit.refresh_from_db()
        assert visit.status == status


def test_a_visit_cannot_be_checked_in_before_its_day():
    visit = AppointmentFactory(starts_at=START)
    with pytest.raises(TransitionRefused, match="on its day"):
        booking.check_in(visit, now=START - timedelta(days=1))


def test_a_visit_can_be_checked_in_early_on_its_day():
    visit = AppointmentFactory(starts_at=START)
    booking.check_in(visit, now=at("2026-03-10", "08:00"))
    assert visit.status == S.CHECKED_IN
    assert visit.checked_in_at == at("2026-03-10", "08:00")


def test_a_visit_that_has_not_started_cannot_be_a_no_show():
    visit = AppointmentFactory(starts_at=START)
    with pytest.raises(TransitionRefused, match="not started"):
        booking.mark_no_show(visit, now=START - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("before", "late"),
    [(timedelta(hours=25), False), (timedelta(hours=24), False), (timedelta(hours=23), True)],
)
def test_a_cancellation_under_24_hours_before_is_flagged_late(before, late):
    visit = AppointmentFactory(starts_at=START)
    booking.cancel(visit, reason="Flu", now=START - before)
    visit.refresh_from_db()
    assert visit.late_cancellation is late
    assert visit.cancellation_reason == "Flu"


def test_rescheduling_a_confirmed_visit_moves_it_and_asks_for_confirmation_again(
    hours, therapist, room, service
):
    visit = AppointmentFactory(
        therapist=therapist, room=room, service=service, starts_at=START, status=S.CONFIRMED
    )
    booking.reschedule(visit, starts_at=START + timedelta(hours=3), now=START - timedelta(days=1))
    visit.refresh_from_db()
    assert (visit.starts_at, visit.status, visit.room) == (
        START + timedelta(hours=3),
        S.BOOKED,
        room,
    )
    assert visit.busy_until == visit.starts_at + timedelta(minutes=75)


def test_rescheduling_onto_a_clash_changes_nothing(hours, therapist, room, service):
    visit = AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=START)
    AppointmentFactory(therapist=therapist, service=service, starts_at=START + timedelta(hours=2))
    with pytest.raises(booking.BookingClash):
        booking.reschedule(
            visit, starts_at=START + timedelta(hours=2), now=START - timedelta(days=1)
        )
    visit.refresh_from_db()
    assert visit.starts_at == START


def test_rescheduling_onto_its_own_time_slightly_later_is_not_a_clash_with_itself(
    hours, therapist, room, service
):
    visit = AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=START)
    booking.reschedule(
        visit, starts_at=START + timedelta(minutes=30), now=START - timedelta(days=1)
    )
    assert visit.starts_at == START + timedelta(minutes=30)
