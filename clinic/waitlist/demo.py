"""Demo waitlist: two clients waiting, last week's late cancellation freed and left unfilled,
and an earlier cancellation rebooked from the waitlist (so the fill rate has figures). Found by
natural keys first, so seeding twice adds nothing."""

from datetime import time, timedelta

from django.utils import timezone

from clinic.booking.models import Appointment, AppointmentStatus, Service

from .models import (
    EntryStatus,
    FreedReason,
    FreedSlot,
    Offer,
    OfferStatus,
    SlotStatus,
    WaitlistEntry,
)


def _entry(client, service, status=EntryStatus.WAITING, **window):
    found = WaitlistEntry.objects.filter(client=client, service=service).first()
    if found is not None:
        return found
    return WaitlistEntry.objects.create(
        client=client,
        service=service,
        weekdays=window.get("weekdays", [0, 1, 2, 3, 4]),
        earliest=window.get("earliest", time(9)),
        latest=window.get("latest", time(17)),
        status=status,
        created_at=timezone.now() - timedelta(days=window.get("days", 10)),
    )


def _freed(visit, status, filled_by=None):
    slot, _ = FreedSlot.objects.get_or_create(
        therapist=visit.therapist,
        starts_at=visit.starts_at,
        defaults={
            "room": visit.room,
            "service": visit.service,
            "ends_at": visit.ends_at,
            "reason": FreedReason.CANCELLED,
            "freed_at": visit.starts_at - timedelta(hours=6),
            "status": status,
            "filled_by": filled_by,
            "filled_at": visit.starts_at - timedelta(hours=5) if filled_by else None,
        },
    )
    return slot


def seed(people):
    """Waiting clients, an unfilled freed slot and one rebooked from the waitlist."""
    service = Service.objects.order_by("name").first()
    if service is None or len(people.clients) < 6:
        return
    _entry(people.clients[4], service, days=12)
    _entry(people.clients[5], service, weekdays=[1, 3], earliest=time(12), days=3)
    now = timezone.now()
    late = Appointment.objects.filter(
        status=AppointmentStatus.CANCELLED, late_cancellation=True, starts_at__lt=now
    ).first()
    if late is not None:
        _freed(late, SlotStatus.PASSED)
    rebooked = (
        Appointment.objects.filter(status=AppointmentStatus.COMPLETED, starts_at__lt=now)
        .order_by("-starts_at")
        .first()
    )
    if rebooked is None:
        return
    slot = _freed(rebooked, SlotStatus.FILLED, filled_by=rebooked)
    entry = _entry(rebooked.client, rebooked.service, EntryStatus.BOOKED, days=20)
    if not slot.offers.exists():
        Offer.objects.create(
            slot=slot,
            entry=entry,
            client=rebooked.client,
            therapist=slot.therapist,
            starts_at=slot.starts_at,
            status=OfferStatus.ACCEPTED,
            created_at=slot.freed_at,
            sent_at=slot.freed_at,
            expires_at=slot.freed_at + timedelta(minutes=20),
            channel="email",
            ended_at=slot.freed_at + timedelta(minutes=7),
            appointment=rebooked,
        )
