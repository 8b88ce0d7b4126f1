"""The waitlist kept in step with booking (connected in ready()).

Runs inside the booking's transaction: a cancellation or a move records the time it freed (and
offers it once committed); a new or moved visit fills any open freed slot it covers and ends
that slot's live offers; hours added, time off taken back or a closure removed are offered to
the clients they suit. A no-show frees nothing worth offering: it is marked only once the visit
has started (a client who calls ahead is cancelled, which frees the time).
"""

from django.dispatch import receiver
from django.utils import timezone

from clinic.booking.models import AppointmentStatus
from clinic.booking.signals import Opening, appointment_changed, hours_opened

from .models import FreedReason
from .offering import free_slot, slot_booked
from .opening import offer_opened


@receiver(hours_opened, dispatch_uid="waitlist.offer_opened_time")
def offer_opened_time(sender, opening: Opening, **kwargs) -> None:
    offer_opened(opening)


@receiver(appointment_changed, dispatch_uid="waitlist.follow_appointment")
def follow_appointment(sender, appointment, now=None, moved_from=None, **kwargs) -> None:
    now = now or timezone.now()
    if appointment.status == AppointmentStatus.CANCELLED:
        free_slot(
            therapist_id=appointment.therapist_id,
            room_id=appointment.room_id,
            service_id=appointment.service_id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            reason=FreedReason.CANCELLED,
            source=appointment,
            now=now,
        )
        return
    if appointment.status != AppointmentStatus.BOOKED:
        return  # confirmed, checked in, done: nothing freed or newly taken
    slot_booked(appointment, now)
    if moved_from is not None:
        therapist_id, room_id, starts_at, ends_at = moved_from
        if (therapist_id, starts_at) != (appointment.therapist_id, appointment.starts_at):
            free_slot(
                therapist_id=therapist_id,
                room_id=room_id,
                service_id=appointment.service_id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=FreedReason.MOVED,
                source=appointment,
                now=now,
            )
