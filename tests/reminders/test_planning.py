"""Planning appointment and intake reminders, and keeping them in step with the visit."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from clinic.booking import booking
from clinic.booking.models import AppointmentStatus
from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus, SkipReason
from clinic.reminders.planning import plan_for_appointment
from intake.models import Intake
from intake.services import submit_intake
from tests.intake.answers_fixtures import clear_answers

from .conftest import soon, ten_am

pytestmark = pytest.mark.django_db


def keys(rows):
    return sorted((r.kind, r.channel, r.due_at, r.status) for r in rows)


def move(visit, starts_at):
    length, buffer = visit.ends_at - visit.starts_at, visit.busy_until - visit.ends_at
    visit.starts_at, visit.ends_at = starts_at, starts_at + length
    visit.busy_until = visit.ends_at + buffer
    visit.save()


def pending(visit):
    return Reminder.objects.filter(appointment=visit, status=ReminderStatus.PENDING)


@pytest.fixture
def intake_done(a_client):
    return submit_intake(a_client, clear_answers(), None)


def test_a_booked_visit_gets_a_reminder_at_each_lead_time_by_email(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    assert keys(Reminder.objects.all()) == [
        ("appointment", "email", visit.starts_at - timedelta(hours=48), "pending"),
        ("appointment", "email", visit.starts_at - timedelta(hours=2), "pending"),
    ]


def test_lead_times_come_from_the_clinic_settings(visit_for, intake_done, clinic):
    clinic.first_reminder_hours, clinic.second_reminder_hours = 24, 1
    clinic.save()
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    due = sorted(r.due_at for r in Reminder.objects.all())
    assert due == [visit.starts_at - timedelta(hours=24), visit.starts_at - timedelta(hours=1)]


def test_a_client_choosing_both_channels_gets_each_reminder_by_email_and_text(
    visit_for, intake_done, both_channels
):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    assert sorted(Reminder.objects.values_list("channel", flat=True)) == [
        "email",
        "email",
        "sms",
        "sms",
    ]


def test_a_lead_time_already_passed_is_not_planned(visit_for, intake_done):
    visit = visit_for(soon(10))
    plan_for_appointment(visit)
    assert [r.due_at for r in Reminder.objects.all()] == [visit.starts_at - timedelta(hours=2)]


def test_planning_twice_plans_each_reminder_once(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    plan_for_appointment(visit)
    assert Reminder.objects.count() == 2


@pytest.mark.parametrize(
    "intake, wanted",
    [
        ("none", True),
        ("expires before the visit", True),
        ("valid through the visit", False),
    ],
)
def test_an_intake_reminder_comes_48_hours_before_a_visit_the_intake_will_not_cover(
    visit_for, a_client, intake, wanted
):
    visit = visit_for(soon(96))
    if intake != "none":
        done = submit_intake(a_client, clear_answers(), None)
        valid_until = visit.starts_at + timedelta(days=1 if intake.startswith("valid") else -1)
        Intake.objects.filter(pk=done.pk).update(valid_until=valid_until)
    plan_for_appointment(visit)
    intake_reminders = Reminder.objects.filter(kind=ReminderKind.INTAKE)
    assert [r.due_at for r in intake_reminders] == (
        [visit.starts_at - timedelta(hours=48)] if wanted else []
    )


def test_an_intake_reminder_for_a_visit_booked_inside_48_hours_is_due_at_once(visit_for):
    visit = visit_for(soon(20))
    plan_for_appointment(visit)
    reminder = Reminder.objects.get(kind=ReminderKind.INTAKE)
    assert reminder.next_attempt_at <= timezone.now()


def test_rescheduling_skips_the_old_reminders_and_plans_new_ones(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    old = set(pending(visit).values_list("pk", flat=True))
    move(visit, visit.starts_at + timedelta(days=2))
    plan_for_appointment(visit)
    assert set(
        Reminder.objects.filter(pk__in=old).values_list("status", "skip_reason").distinct()
    ) == {("skipped", SkipReason.RESCHEDULED)}
    assert sorted(r.due_at for r in pending(visit)) == [
        visit.starts_at - timedelta(hours=48),
        visit.starts_at - timedelta(hours=2),
    ]


def test_moving_a_visit_back_to_its_first_time_revives_its_reminders(visit_for, intake_done):
    visit = visit_for(soon(72))
    first = visit.starts_at
    plan_for_appointment(visit)
    move(visit, first + timedelta(days=1))
    plan_for_appointment(visit)
    move(visit, first)
    plan_for_appointment(visit)
    assert Reminder.objects.count() == 4
    assert sorted(r.due_at for r in pending(visit)) == [
        first - timedelta(hours=48),
        first - timedelta(hours=2),
    ]


def test_cancelling_skips_pending_reminders_as_cancelled_appointment(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    plan_for_appointment(visit)
    assert set(Reminder.objects.values_list("status", "skip_reason")) == {
        ("skipped", SkipReason.CANCELLED_APPOINTMENT)
    }


def test_replanning_leaves_sent_reminders_alone(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    first = Reminder.objects.order_by("due_at").first()
    Reminder.objects.filter(pk=first.pk).update(status="sent", sent_at=timezone.now())
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    plan_for_appointment(visit)
    first.refresh_from_db()
    assert first.status == ReminderStatus.SENT


def test_a_pending_reminder_just_past_due_survives_a_confirmation(visit_for, intake_done):
    visit = visit_for(soon(72))
    plan_for_appointment(visit)
    later = timezone.now() + timedelta(hours=25)  # the 48 h reminder is due, not yet sent
    visit.status = AppointmentStatus.CONFIRMED
    visit.save()
    plan_for_appointment(visit, now=later)
    assert pending(visit).count() == 2


def book(client, therapist, service, starts_at):
    return booking.book(
        client=client, therapist=therapist, service=service, starts_at=starts_at, notify=False
    )


def test_booking_through_the_booking_service_plans_the_reminders(
    a_client, therapist, bookable, intake_done
):
    visit = book(a_client, therapist, bookable, ten_am(4))
    assert sorted(r.due_at for r in pending(visit)) == [
        visit.starts_at - timedelta(hours=48),
        visit.starts_at - timedelta(hours=2),
    ]


def test_rescheduling_through_the_booking_service_moves_the_reminders(
    a_client, therapist, bookable, intake_done
):
    visit = book(a_client, therapist, bookable, ten_am(4))
    booking.reschedule(visit, starts_at=ten_am(5))
    assert sorted(r.due_at for r in pending(visit)) == [
        ten_am(5) - timedelta(hours=48),
        ten_am(5) - timedelta(hours=2),
    ]
    assert Reminder.objects.filter(skip_reason=SkipReason.RESCHEDULED).count() == 2


def test_cancelling_through_the_booking_service_skips_the_reminders(
    a_client, therapist, bookable, intake_done
):
    visit = book(a_client, therapist, bookable, ten_am(4))
    booking.cancel(visit)
    assert set(Reminder.objects.values_list("status", "skip_reason")) == {
        ("skipped", SkipReason.CANCELLED_APPOINTMENT)
    }


def test_a_booking_rolled_back_plans_nothing(a_client, therapist, bookable, intake_done):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(a_client, therapist, bookable, ten_am(4))
        raise RuntimeError("the request failed after booking")
    assert Reminder.objects.count() == 0
