"""Demo history the reports can show: last week's no-show and late cancellation, the reminders
past visits were sent (one confirmed and one cancelled from its link), an opt-out, and weekly
visits booked at the checkout of the one before. Rows are
found by their natural keys first, so seeding twice adds nothing."""

from datetime import time, timedelta

from django.utils import timezone

from clinic.booking.models import Appointment, AppointmentStatus, Room, Service
from clinic.core.clinic_time import at_local, today, week_start
from clinic.reminders.models import (
    Channel,
    LinkResponse,
    Reminder,
    ReminderKind,
    ReminderOptOut,
    ReminderStatus,
)

S = AppointmentStatus
LEAD = timedelta(hours=48)


def _past_visit(people, number, weekday, status, **extra):
    therapist, client = people.therapists[number], people.clients[2 + number]
    starts_at = at_local(week_start(today()) - timedelta(days=7 - weekday), time(10))
    found = Appointment.objects.filter(therapist=therapist, starts_at=starts_at).first()
    if found is not None:
        return found
    service = Service.objects.order_by("name").first()
    return Appointment.objects.create(
        client=client,
        therapist=therapist,
        room=Room.objects.order_by("name")[number],
        service=service,
        starts_at=starts_at,
        ends_at=starts_at + service.duration,
        busy_until=starts_at + service.duration + service.buffer,
        status=status,
        booked_by=people.front_desk,
        booked_at=starts_at - timedelta(days=14),
        **extra,
    )


def _sent(visit, response=""):
    due_at = visit.starts_at - LEAD
    reminder, _ = Reminder.objects.get_or_create(
        appointment=visit,
        kind=ReminderKind.APPOINTMENT,
        channel=Channel.EMAIL,
        due_at=due_at,
        defaults={
            "client": visit.client,
            "next_attempt_at": due_at,
            "status": ReminderStatus.SENT,
            "sent_at": due_at,
            "attempts": 1,
            "response": response,
            "responded_at": due_at + timedelta(hours=3) if response else None,
        },
    )
    return reminder


def seed(people):
    """Last week's missed and late-cancelled visits and the reminders of every past visit."""
    if len(people.therapists) < 2 or len(people.clients) < 6 or Room.objects.count() < 2:
        return
    missed = _past_visit(people, 0, 1, S.NO_SHOW)
    late = _past_visit(
        people,
        1,
        3,
        S.CANCELLED,
        late_cancellation=True,
        cancellation_reason="Cancelled from a reminder link.",
    )
    if late.cancelled_at is None:
        Appointment.objects.filter(pk=late.pk).update(cancelled_at=late.starts_at - LEAD / 8)
    _sent(late, LinkResponse.CANCELLED)
    past = Appointment.objects.filter(
        starts_at__lt=timezone.now() - LEAD, status__in=(S.CHECKED_IN, S.COMPLETED)
    ).order_by("starts_at")
    *earlier, latest = [missed, *past]
    for visit in earlier:
        _sent(visit)
    _sent(latest, LinkResponse.CONFIRMED)
    ReminderOptOut.objects.get_or_create(client=people.clients[5], channel=Channel.SMS)
    _rebooked_at_checkout(people.clients[:2])


def _rebooked_at_checkout(clients):
    """The treatment demo's weekly visits, each booked at the checkout of the one before."""
    for client in clients:
        visits = list(
            Appointment.objects.filter(
                client=client, status__in=(S.CHECKED_IN, S.COMPLETED)
            ).order_by("starts_at")
        )
        for earlier, later in zip(visits, visits[1:], strict=False):
            Appointment.objects.filter(pk=later.pk).update(booked_at=earlier.ends_at)
