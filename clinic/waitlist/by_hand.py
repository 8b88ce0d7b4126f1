"""The desk offers a waiting client any free time, not only a freed slot: the time becomes a
freed slot (reason `desk`) and its offer is made, held, sent and answered like the automatic
ones, under the same constraints (one live offer per slot, never one slot twice to a client).

Refused with a clear reason, changing nothing, when the entry no longer waits, the client could
not book online (their screening), the time is too soon to hold, or it is not free.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import Therapist, User
from clinic.booking.availability import is_closed
from clinic.booking.booking import plan_visit, self_booking_refusal
from clinic.booking.conflicts import find_conflicts, free_room, preferred_room_id
from clinic.booking.models import Room
from clinic.core.clinic_time import describe_span
from clinic.core.inputs import OUT_OF_RANGE, is_supported_day
from clinic.core.models import ClinicSettings
from intake.status import screening_status

from .joining import WaitlistError
from .models import (
    EntryStatus,
    FreedReason,
    FreedSlot,
    Offer,
    OfferKind,
    SlotStatus,
    WaitlistEntry,
)
from .offering import hold, make_offer, offer_by_hand

NOT_FREE = "TIME_NOT_FREE"


def _free_room(entry: WaitlistEntry, therapist: Therapist, starts_at: datetime) -> Room:
    """The room the visit would take, or the refusal saying why the time is not free."""
    service = entry.service
    offering_it = set(service.therapists.values_list("pk", flat=True))
    if not therapist.is_active or (offering_it and therapist.pk not in offering_it):
        raise WaitlistError(f"{therapist.name} does not offer {service.name}.", "therapist")
    if is_closed(starts_at):
        raise WaitlistError(
            "The clinic is closed that day.", "starts_at", code=NOT_FREE, status=409
        )
    visit = plan_visit(entry.client, therapist, None, service, starts_at)
    room = free_room(visit, preferred_room_id(therapist, starts_at))
    conflicts = find_conflicts(visit, therapist)
    if conflicts:
        raise WaitlistError(conflicts[0].message, "starts_at", code=NOT_FREE, status=409)
    if room is None:
        raise WaitlistError("No room is free at that time.", "starts_at", code=NOT_FREE, status=409)
    return room


def _check_entry(entry: WaitlistEntry, starts_at: datetime, clinic: ClinicSettings, now) -> None:
    if entry.status != EntryStatus.WAITING:
        raise WaitlistError("This client is no longer waiting.", "entry")
    if refusal := self_booking_refusal(screening_status(entry.client, now)):
        # The client accepts the offer alone, online: the online booking's rule applies.
        raise WaitlistError(refusal, "entry", code="WAITLIST_SCREENING", status=409)
    if timezone.is_naive(starts_at) or not is_supported_day(starts_at.date()):
        raise WaitlistError(OUT_OF_RANGE, "starts_at")
    if starts_at <= now + hold(clinic):
        raise WaitlistError(
            f"Offer a time more than {clinic.waitlist_hold_minutes} minutes ahead, so it can be "
            "held for the client.",
            "starts_at",
        )


def offer_time(
    *,
    entry: WaitlistEntry,
    therapist: Therapist,
    starts_at: datetime,
    by: User,
    now: datetime | None = None,
) -> Offer:
    """Offer the entry's client the entry's service with `therapist` at `starts_at`, held and
    sent like any offer. An open freed slot at that very time is offered as it is."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    _check_entry(entry, starts_at, clinic, now)
    service = entry.service
    ends_at = starts_at + service.duration
    with transaction.atomic():
        open_slots = list(
            FreedSlot.objects.select_for_update().filter(
                status=SlotStatus.OPEN,
                therapist=therapist,
                starts_at__lt=ends_at + service.buffer,
                ends_at__gt=starts_at,
            )
        )
        if len(open_slots) == 1 and open_slots[0].starts_at == starts_at:
            return offer_by_hand(open_slots[0], entry, by=by, now=now)
        if open_slots:
            slot = open_slots[0]
            raise WaitlistError(
                f"{describe_span(slot.starts_at, slot.ends_at, clinic.zone)} is a freed time "
                "offered from the waitlist; offer that time instead.",
                "starts_at",
                code=NOT_FREE,
                status=409,
            )
        room = _free_room(entry, therapist, starts_at)
        try:
            with transaction.atomic():
                slot = FreedSlot.objects.create(
                    therapist=therapist,
                    room=room,
                    service=service,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    reason=FreedReason.DESK,
                    freed_at=now,
                )
        except IntegrityError as error:  # a cancellation freed this very time a moment ago
            raise WaitlistError(
                "This time was just freed and is being offered; try again.",
                "starts_at",
                code="OFFER_EXISTS",
                status=409,
            ) from error
        offer = make_offer(slot, entry, kind=OfferKind.DESK, by=by, clinic=clinic, now=now)
        if offer is None:
            raise WaitlistError(
                "This client was offered this time before.", code="OFFER_EXISTS", status=409
            )
    return offer
