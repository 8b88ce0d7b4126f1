"""Offering freed slots: who gets them first, holding, lapsing, accepting, and the desk booking
the time meanwhile. The sends here run in the test process (the worker tests run a worker)."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.booking import booking
from clinic.booking.grid_cache import retire_kept_grids
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.reminders.offers import send_offer
from clinic.waitlist import joining, offering
from clinic.waitlist.models import EntryStatus, FreedSlot, Offer, OfferStatus, SlotStatus
from clinic.waitlist.selectors import fill_rate
from sessions.models import PlanStatus, TreatmentPlan

from .conftest import ten_am

pytestmark = pytest.mark.django_db


def cancel_and_offer(visit):
    booking.cancel(visit, reason="Flu", notify=False)
    slot = FreedSlot.objects.get()
    return slot, offering.offer_next(slot.pk)


def test_a_cancellation_records_the_freed_slot_and_enqueues_its_offer(
    visit, waiting, django_capture_on_commit_callbacks
):
    waiting()
    with django_capture_on_commit_callbacks() as callbacks:
        booking.cancel(visit, reason="Flu", notify=False)
    slot = FreedSlot.objects.get()
    assert (slot.therapist_id, slot.starts_at, slot.status) == (
        visit.therapist_id,
        visit.starts_at,
        SlotStatus.OPEN,
    )
    # The offer task, once the cancellation commits (besides retiring the kept day grids).
    assert len([c for c in callbacks if c is not retire_kept_grids]) == 1


def test_the_longest_waiting_client_gets_the_offer_first(visit, waiting):
    later = waiting(created_at=timezone.now() - timedelta(days=1))
    first = waiting(created_at=timezone.now() - timedelta(days=9))
    _, offer = cancel_and_offer(visit)
    assert offer.entry == first and later.offers.count() == 0
    assert Offer.objects.count() == 1


def test_a_client_behind_their_plan_comes_before_a_longer_waiting_one(visit, waiting, therapist):
    waiting(created_at=timezone.now() - timedelta(days=30))
    behind = waiting(created_at=timezone.now() - timedelta(days=1))
    TreatmentPlan.objects.create(
        client=behind.client,
        therapist=therapist,
        status=PlanStatus.ACTIVE,
        starts_on=date.today() - timedelta(weeks=5),
        review_on=date.today() + timedelta(weeks=1),
        frequency_weeks=1,
    )
    _, offer = cancel_and_offer(visit)
    assert offer.entry == behind


def test_a_slot_outside_an_entrys_window_or_therapists_is_not_offered(visit, waiting, service):
    from tests.factories import TherapistFactory

    waiting(earliest=time(14), latest=time(18))
    waiting(weekdays=[(visit.starts_at.astimezone().weekday() + 3) % 7])
    other = waiting()
    other.therapists.set([TherapistFactory()])
    _, offer = cancel_and_offer(visit)
    assert offer is None and FreedSlot.objects.get().status == SlotStatus.OPEN


def test_the_database_keeps_one_live_offer_per_slot(visit, waiting):
    waiting()
    second = waiting()
    slot, offer = cancel_and_offer(visit)
    assert offering.offer_next(slot.pk) is None  # already offered: nothing more
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            slot=slot,
            entry=second,
            client=second.client,
            therapist=slot.therapist,
            starts_at=slot.starts_at,
            expires_at=offer.expires_at,
        )


def test_the_database_never_offers_one_slot_twice_to_one_client(visit, waiting):
    waiting()
    slot, offer = cancel_and_offer(visit)
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.LAPSED, ended_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            slot=slot,
            entry=offer.entry,
            client=offer.client,
            therapist=slot.therapist,
            starts_at=slot.starts_at,
            expires_at=offer.expires_at,
        )


def test_an_offer_is_sent_once_and_held_for_the_clinics_hold_time(visit, waiting, mailoutbox):
    waiting()
    _, offer = cancel_and_offer(visit)
    assert send_offer(offer.pk) == "sent"
    assert send_offer(offer.pk) == "not live"  # a duplicate task
    offer.refresh_from_db()
    assert len(mailoutbox) == 1 and "/waitlist/offer/" in mailoutbox[0].body
    assert offer.expires_at == offer.sent_at + timedelta(minutes=20)
    assert offer.channel == "email"


def test_quiet_hours_defer_the_send(visit, waiting, clinic, mailoutbox):
    clinic.quiet_hours_start, clinic.quiet_hours_end = time(0), time(23, 59)
    clinic.save()
    waiting()
    # Quiet nearly all day, but they end long before a slot three days ahead: the offer is
    # made, and its send waits for the end of the quiet hours.
    _, offer = cancel_and_offer(visit)
    assert offer is not None and offer.send_after is not None
    assert send_offer(offer.pk) == "deferred" and mailoutbox == []


def test_a_lapsed_offer_goes_to_the_next_client(visit, waiting, mailoutbox):
    first = waiting(created_at=timezone.now() - timedelta(days=2))
    second = waiting(created_at=timezone.now() - timedelta(days=1))
    slot, offer = cancel_and_offer(visit)
    send_offer(offer.pk)
    assert offering.sweep()["lapsed"] == 0  # still held
    later = timezone.now() + timedelta(minutes=21)
    counts = offering.sweep(now=later)
    assert counts["lapsed"] == 1 and counts["offered"] == 1
    assert Offer.objects.get(entry=first).status == OfferStatus.LAPSED
    assert Offer.objects.get(entry=second).status == OfferStatus.OFFERED


def test_declining_offers_the_slot_to_the_next_client(visit, waiting):
    waiting(created_at=timezone.now() - timedelta(days=2))
    second = waiting()
    slot, offer = cancel_and_offer(visit)
    assert offering.decline(offer)
    assert not offering.decline(offer)  # a second press changes nothing
    assert offering.offer_next(slot.pk).entry == second


def test_accepting_books_the_visit_and_fills_the_slot(visit, waiting):
    entry = waiting()
    slot, offer = cancel_and_offer(visit)
    send_offer(offer.pk)
    answer = offering.accept(offer)
    assert answer.booked
    booked = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert (booked.client, booked.starts_at, booked.self_booked) == (
        entry.client,
        slot.starts_at,
        True,
    )
    slot.refresh_from_db()
    entry.refresh_from_db()
    assert slot.status == SlotStatus.FILLED and slot.filled_by == booked
    assert entry.status == EntryStatus.BOOKED
    assert Offer.objects.get().status == OfferStatus.ACCEPTED


def test_a_stale_link_after_the_slot_went_to_another_client_books_nothing(visit, waiting):
    waiting(created_at=timezone.now() - timedelta(days=2))
    waiting()
    slot, first = cancel_and_offer(visit)
    send_offer(first.pk)
    offering.sweep(now=timezone.now() + timedelta(minutes=21))
    second = Offer.objects.get(status=OfferStatus.OFFERED)
    assert offering.accept(second).booked
    stale = offering.accept(first)
    assert not stale.booked and "lapsed" in stale.message
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_the_desk_booking_the_time_meanwhile_ends_the_offer_with_nearest_times(
    visit, waiting, therapist, service
):
    waiting()
    slot, offer = cancel_and_offer(visit)
    from tests.factories import ClientFactory

    booking.book(
        client=ClientFactory(),
        therapist=therapist,
        service=service,
        starts_at=slot.starts_at,
        notify=False,
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN
    answer = offering.accept(offer)
    assert not answer.booked and answer.message == "This time has just been taken."
    assert answer.alternatives and slot.starts_at not in [a.starts_at for a in answer.alternatives]


def test_moving_a_visit_away_frees_its_old_time(visit, waiting):
    waiting()
    old = visit.starts_at
    booking.reschedule(visit, starts_at=old + timedelta(hours=3), notify=False)
    slot = FreedSlot.objects.get()
    assert slot.starts_at == old and slot.reason == "moved"


def test_a_client_whose_screening_says_refer_cannot_join(waiting):
    with pytest.raises(joining.WaitlistError) as refused:
        waiting(answers={"saddle_numbness": True})
    assert refused.value.code == "WAITLIST_SCREENING"


def test_a_client_waits_once_per_service(waiting):
    entry = waiting()
    with pytest.raises(joining.WaitlistError, match="already waiting"):
        joining.join(
            client=entry.client,
            service=entry.service,
            weekdays=[0],
            earliest=time(9),
            latest=time(12),
            by=None,
        )


def test_the_fill_rate_counts_freed_slots_rebooked_before_they_start(visit, waiting):
    waiting()
    _, offer = cancel_and_offer(visit)
    offering.accept(offer)
    start = ten_am() - timedelta(days=1)
    assert fill_rate(start, start + timedelta(days=2)).rate == 1.0
    assert fill_rate(start - timedelta(days=9), start).rate is None


def test_the_client_who_cancelled_is_not_offered_their_own_time_back(visit, waiting, service):
    own = joining.join(
        client=visit.client,
        service=service,
        weekdays=list(range(7)),
        earliest=time(8),
        latest=time(20),
        by=None,
        now=timezone.now() - timedelta(days=30),
    )
    other = waiting()
    _, offer = cancel_and_offer(visit)
    assert offer.entry == other and not own.offers.exists()


def test_the_reports_show_the_fill_rate_per_therapist(visit, waiting, therapist):
    from clinic.core.clinic_time import clinic_zone
    from clinic.reports.period import Period
    from clinic.reports.waitlist_figures import section

    waiting()
    _, offer = cancel_and_offer(visit)
    offering.accept(offer)
    day = timezone.localdate(visit.starts_at, clinic_zone())
    report = section(Period(day, day, clinic_zone()))
    assert dict(report.figures)["Fill rate (%)"] == 100
    (row,) = report.tables[0].rows
    assert (row["therapist"], row["freed"], row["filled"]) == (therapist.name, 1, 1)


def test_a_client_booked_elsewhere_meanwhile_is_told_why_and_the_slot_moves_on(
    visit, waiting, therapist, room, service
):
    from tests.factories import TherapistFactory, WorkingHoursFactory

    entry = waiting()
    waiting()
    slot, offer = cancel_and_offer(visit)
    elsewhere = TherapistFactory()
    WorkingHoursFactory(therapist=elsewhere, weekday=slot.starts_at.weekday())
    from tests.factories import AppointmentFactory

    AppointmentFactory(client=entry.client, therapist=elsewhere, starts_at=slot.starts_at)
    answer = offering.accept(offer)
    offer.refresh_from_db()
    assert not answer.booked and offer.status == OfferStatus.WITHDRAWN
    assert "taken" not in answer.message


def test_the_reports_show_the_revenue_the_waitlist_kept(visit, waiting, therapist, service):
    from decimal import Decimal

    from clinic.billing import invoices
    from clinic.core.clinic_time import clinic_zone
    from clinic.reports.period import Period
    from clinic.reports.waitlist_figures import section

    service.price, service.tax_exempt = Decimal("100.00"), True
    service.save()
    waiting()
    _, offer = cancel_and_offer(visit)
    answer = offering.accept(offer)
    # Checked in when it starts (billing drafts the invoice then), issued at checkout.
    booking.check_in(answer.appointment, now=answer.appointment.starts_at)
    invoices.issue(invoices.draft_for_visit(answer.appointment), by=None)

    day = timezone.localdate(visit.starts_at, clinic_zone())
    report = section(Period(day, day, clinic_zone()))
    assert dict(report.figures)["Revenue kept"] == Decimal("100.00")
    (row,) = report.tables[0].rows
    assert row["kept"] == Decimal("100.00")


def test_a_client_who_calls_ahead_is_cancelled_late_and_the_time_is_still_offered(visit, waiting):
    """A no-show can only be marked once the visit has started, too late to fill; the client who
    calls to say they will not come is cancelled (flagged late), which frees the time."""
    entry = waiting()
    called_at = visit.starts_at - timedelta(minutes=90)
    with pytest.raises(booking.BookingError):
        booking.mark_no_show(visit, now=called_at)
    booking.cancel(visit, reason="Called: not coming", notify=False, now=called_at)
    visit.refresh_from_db()
    offer = offering.offer_next(FreedSlot.objects.get().pk, now=called_at)
    assert visit.late_cancellation and offer.entry == entry
