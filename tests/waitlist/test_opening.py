"""Time newly open (hours added or lengthened, time off taken back, a closure removed) is offered
to the waiting clients it suits, through the same offer rows as a freed slot (issue 16: "when
hours are added, Celery finds the waitlisted clients it fits and offers it")."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import catalog
from clinic.booking.catalog import HoursRow
from clinic.booking.models import TimeOff
from clinic.core.clinic_time import at_local, local
from clinic.reminders.offers import send_offer
from clinic.waitlist.models import FreedReason, FreedSlot, Offer, OfferStatus
from clinic.waitlist.selectors import fill_rate
from tests.factories import AppointmentFactory

from .conftest import EVERY_DAY

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def add_day(therapist, room, day, start=time(9), end=time(17), by=None):
    """Give the therapist hours on the weekday of `day` (on top of the hours they have)."""
    rows = [
        HoursRow(h.weekday, h.start_time, h.end_time, h.room) for h in therapist.working_hours.all()
    ]
    catalog.set_weekly_hours(
        therapist=therapist, rows=[*rows, HoursRow(day.weekday(), start, end, room)], by=by
    )


def test_new_hours_are_offered_to_the_waiting_client_they_suit(
    therapist, room, waiting, front_desk_user, mailoutbox, django_capture_on_commit_callbacks
):
    entry = waiting()
    day = in_days(2)
    with django_capture_on_commit_callbacks() as callbacks:
        add_day(therapist, room, day, by=front_desk_user)
    offer = Offer.objects.get()
    slot = offer.slot
    assert (offer.entry, slot.reason, slot.therapist) == (entry, FreedReason.HOURS, therapist)
    assert slot.starts_at == at_local(day, time(9))  # the earliest time the new hours hold
    assert len(callbacks) == 1  # its send task, once the change commits
    assert send_offer(offer.pk) == "sent" and len(mailoutbox) == 1


def test_each_waiting_client_gets_their_own_time_and_none_overlap(therapist, room, waiting):
    first = waiting(created_at=timezone.now() - timedelta(days=3))
    second = waiting(created_at=timezone.now() - timedelta(days=1))
    late = waiting(earliest=time(15), latest=time(17))
    add_day(therapist, room, in_days(2))
    slots = {o.entry: local(o.starts_at).time() for o in Offer.objects.all()}
    assert slots == {first: time(9), second: time(10), late: time(15)}
    assert FreedSlot.objects.count() == 3


def test_hours_made_shorter_or_only_moved_to_another_room_offer_nothing(
    therapist, room, hours, waiting
):
    waiting()
    rows = [HoursRow(day, time(9), time(18), None) for day in range(7)]
    catalog.set_weekly_hours(therapist=therapist, rows=rows, by=None)
    assert not Offer.objects.exists() and not FreedSlot.objects.exists()


def test_lengthened_hours_offer_only_time_that_could_not_be_booked_before(therapist, room, waiting):
    waiting()
    day = in_days(2)
    add_day(therapist, room, day, end=time(12))
    Offer.objects.all().delete()
    FreedSlot.objects.all().delete()
    rows = [HoursRow(day.weekday(), time(9), time(14), room)]
    catalog.set_weekly_hours(therapist=therapist, rows=rows, by=None)
    offer = Offer.objects.get()
    assert offer.slot.ends_at > at_local(day, time(12))  # it runs into the added time
    assert offer.starts_at == at_local(day, time(11, 15))


def test_a_busy_time_in_new_hours_is_not_offered(therapist, room, waiting, service):
    waiting()
    day = in_days(2)
    AppointmentFactory(
        therapist=therapist, room=room, service=service, starts_at=at_local(day, time(9))
    )
    add_day(therapist, room, day)
    assert Offer.objects.get().starts_at == at_local(day, time(10))


def test_a_client_outside_the_new_hours_is_offered_nothing(therapist, room, waiting):
    waiting(weekdays=[(in_days(2).weekday() + 1) % 7])
    waiting(earliest=time(18), latest=time(20))
    add_day(therapist, room, in_days(2))
    assert not Offer.objects.exists() and not FreedSlot.objects.exists()


def test_time_off_taken_back_through_the_admin_screen_is_offered(
    client_as, therapist, room, hours, waiting
):
    entry = waiting()
    day = in_days(3)
    off = TimeOff.objects.create(
        therapist=therapist, starts_at=at_local(day, time(8)), ends_at=at_local(day, time(20))
    )
    response = client_as(Role.CLINIC_ADMIN).post(
        reverse("setup-time-off-remove", args=[therapist.user.pk, off.pk])
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.entry, offer.starts_at) == (entry, at_local(day, time(8)))


def test_a_closure_removed_is_offered(clinic_admin_user, therapist, room, hours, waiting):
    day = in_days(4)
    entry = waiting(weekdays=[day.weekday()])  # free a week later too, but that is not new
    closure = catalog.add_closure(first_day=day, last_day=day, reason="Civic", by=None)
    catalog.remove_closure(closure=closure, by=clinic_admin_user)
    offer = Offer.objects.get()
    assert (offer.entry, offer.starts_at) == (entry, at_local(day, time(8)))


def test_an_offer_of_new_hours_lapses_to_the_next_client_like_any_other(
    therapist, room, waiting, mailoutbox
):
    from clinic.waitlist import offering

    waiting(created_at=timezone.now() - timedelta(days=2), weekdays=EVERY_DAY)
    second = waiting(earliest=time(9), latest=time(10), ends_on=in_days(3))
    add_day(therapist, room, in_days(2))
    first_offer = Offer.objects.get(starts_at=at_local(in_days(2), time(9)))
    assert Offer.objects.count() == 1  # the second fits only 9:00, which the first holds
    send_offer(first_offer.pk)
    offering.sweep(now=timezone.now() + timedelta(minutes=21))
    assert Offer.objects.get(pk=first_offer.pk).status == OfferStatus.LAPSED
    assert Offer.objects.get(status=OfferStatus.OFFERED).entry == second


def test_time_opened_by_hours_is_not_counted_in_the_fill_rate(therapist, room, waiting):
    waiting()
    add_day(therapist, room, in_days(2))
    start = timezone.now()
    assert fill_rate(start, start + timedelta(days=14)).freed == 0


def test_opening_hours_runs_queries_for_the_offers_made_not_for_the_waitlists_length(
    therapist, room, waiting
):
    import time as clock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def open_two_hours(weekday_from_now):
        day = in_days(weekday_from_now)
        with CaptureQueriesContext(connection) as queries:
            started = clock.perf_counter()
            add_day(therapist, room, day, start=time(9), end=time(11))
            took = clock.perf_counter() - started
        return len(queries), Offer.objects.filter(slot__starts_at__date__gte=day).count(), took

    for _ in range(5):
        waiting()
    few = open_two_hours(2)
    for _ in range(45):
        waiting()
    Offer.objects.all().delete()
    many = open_two_hours(3)
    print(f"\nhours opened, 5 then 50 waiting: {few[2] * 1000:.0f} ms, {many[2] * 1000:.0f} ms")
    assert few[1] == 4 and many[1] == 4  # two hours, two weeks: four one-hour visits
    assert many[0] <= few[0] + 3
