"""Freed slots and their offers: record a slot a visit left, offer it to the best match, and
take the answer (accept, decline, lapse), moving on to the next client each time.

Each write is a compare-and-swap on the offer's status, or runs under the slot's row lock, and
the constraints on Offer are the last word: two beats, a task run twice or a redelivery after a
killed worker cannot make two live offers of one slot or offer one slot twice to one client.
Tasks carry ids only and are enqueued after commit; the beat sweep finds any whose task was
lost, because the rows (not the broker) are the truth.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import User
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.booking import booking
from clinic.booking.availability import Slot, nearest_free_slots
from clinic.booking.conflicts import CLIENT
from clinic.booking.models import Appointment
from clinic.core.clinic_time import quiet_until
from clinic.core.models import ClinicSettings

from .matching import best_match
from .models import (
    EntryStatus,
    FreedSlot,
    Offer,
    OfferKind,
    OfferStatus,
    SlotStatus,
    WaitlistEntry,
)
from .signals import offer_made

SYSTEM = Origin(None, label="waitlist (automatic)")
TAKEN_NOTE = "This time has just been taken."


def hold(clinic: ClinicSettings) -> timedelta:
    return timedelta(minutes=clinic.waitlist_hold_minutes)


def _enqueue_offer(slot_id: int) -> None:
    from .tasks import offer_slot

    # robust: a broker that is down must not undo the change; the sweep offers the slot later.
    transaction.on_commit(lambda: offer_slot.delay(slot_id), robust=True)


def free_slot(
    *,
    therapist_id: int,
    room_id: int | None,
    service_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    source: Appointment | None = None,
    now: datetime | None = None,
) -> FreedSlot | None:
    """Record a freed time (inside the caller's transaction) and offer it once that commits.

    Nothing is recorded for a time too close to offer: it must start after a whole hold.
    """
    now = now or timezone.now()
    if starts_at <= now + hold(ClinicSettings.load()):
        return None
    try:
        with transaction.atomic():
            slot, _ = FreedSlot.objects.get_or_create(
                therapist_id=therapist_id,
                starts_at=starts_at,
                status=SlotStatus.OPEN,
                defaults={
                    "room_id": room_id,
                    "service_id": service_id,
                    "ends_at": ends_at,
                    "reason": reason,
                    "source": source,
                    "freed_at": now,
                },
            )
    except IntegrityError:
        # A concurrent cancellation recorded the same time: it is open, and offered, already.
        return None
    _enqueue_offer(slot.pk)
    return slot


def slot_booked(appointment: Appointment, now: datetime | None = None) -> int:
    """A live visit now covers open freed slots of its therapist: they are filled, and their
    live offers end with "this time has just been taken". Returns the slots filled."""
    now = now or timezone.now()
    slots = FreedSlot.objects.filter(
        status=SlotStatus.OPEN,
        therapist=appointment.therapist_id,
        starts_at__lt=appointment.busy_until,
        ends_at__gt=appointment.starts_at,
    )
    ids = list(slots.values_list("pk", flat=True))
    if not ids:
        return 0
    FreedSlot.objects.filter(pk__in=ids, status=SlotStatus.OPEN).update(
        status=SlotStatus.FILLED, filled_by=appointment, filled_at=now
    )
    Offer.objects.filter(slot__in=ids, status=OfferStatus.OFFERED).update(
        status=OfferStatus.TAKEN, ended_at=now, note=TAKEN_NOTE
    )
    return len(ids)


def make_offer(
    slot: FreedSlot,
    entry: WaitlistEntry,
    *,
    kind: str,
    by: User | None,
    clinic: ClinicSettings,
    now: datetime,
) -> Offer | None:
    """The offer row (inside the slot's lock), announced for sending; None when the
    constraints refuse it (a live offer of the slot, or this client had it before)."""
    until = quiet_until(now, clinic.quiet_hours_start, clinic.quiet_hours_end, clinic.zone)
    offer = Offer(
        kind=kind,
        slot=slot,
        entry=entry,
        client_id=entry.client_id,
        therapist_id=slot.therapist_id,
        starts_at=slot.starts_at,
        created_at=now,
        expires_at=(until or now) + hold(clinic),
        send_after=until,
        offered_by=by,
    )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        return None
    record(by or SYSTEM, AuditAction.CREATE, offer, entry.client, detail=f"{kind} offer")
    offer_made.send(sender=Offer, offer=offer)
    return offer


def _lock_open_slot(slot_id: int, clinic: ClinicSettings, now: datetime) -> FreedSlot | None:
    """The slot, locked, if it is open and far enough ahead to offer (a started one passes)."""
    slot = FreedSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or slot.status != SlotStatus.OPEN:
        return None
    if slot.starts_at <= now:
        slot.status = SlotStatus.PASSED
        slot.save(update_fields=["status"])
        return None
    if slot.starts_at <= now + hold(clinic):
        return None
    return slot


def offer_next(slot_id: int, now: datetime | None = None) -> Offer | None:
    """Offer an open slot to the best-matching waiting client, unless it is offered already,
    nobody fits, or quiet hours would last past the time it could be held."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    with transaction.atomic():
        slot = _lock_open_slot(slot_id, clinic, now)
        if slot is None or slot.offers.filter(status=OfferStatus.OFFERED).exists():
            return None
        until = quiet_until(now, clinic.quiet_hours_start, clinic.quiet_hours_end, clinic.zone)
        if until is not None and until + hold(clinic) >= slot.starts_at:
            return None
        entry = best_match(slot, now)
        if entry is None:
            return None
        return make_offer(slot, entry, kind=OfferKind.AUTOMATIC, by=None, clinic=clinic, now=now)


def offer_by_hand(
    slot: FreedSlot, entry: WaitlistEntry, *, by: User, now: datetime | None = None
) -> Offer:
    """The desk offers an open slot to a waiting entry of its choosing."""
    from .joining import WaitlistError

    now = now or timezone.now()
    clinic = ClinicSettings.load()
    with transaction.atomic():
        locked = _lock_open_slot(slot.pk, clinic, now)
        if locked is None:
            raise WaitlistError("This time is no longer open to offer.", code="SLOT_CLOSED")
        if entry.status != EntryStatus.WAITING or entry.service_id != locked.service_id:
            raise WaitlistError("Choose a client waiting for this service.", "entry")
        offer = make_offer(locked, entry, kind=OfferKind.DESK, by=by, clinic=clinic, now=now)
        if offer is None:
            raise WaitlistError(
                "This time is already offered to someone, or was offered to this client before.",
                code="OFFER_EXISTS",
                status=409,
            )
    return offer


def _end(offer_id: int, status: str, now: datetime, note: str = "", **changes: object) -> bool:
    """Compare-and-swap a live offer to an ended status; False when it was not live."""
    return bool(
        Offer.objects.filter(pk=offer_id, status=OfferStatus.OFFERED).update(
            status=status, ended_at=now, note=note, **changes
        )
    )


def withdraw(offer: Offer, *, note: str, now: datetime | None = None) -> bool:
    """End a live offer that cannot go ahead (the client cannot be reached, say) and offer the
    slot to the next client."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _end(offer.pk, OfferStatus.WITHDRAWN, now, note):
            return False
        record(SYSTEM, AuditAction.UPDATE, offer, offer.client, detail=f"withdrawn: {note}"[:300])
        _enqueue_offer(offer.slot_id)
    return True


def withdraw_offers_of(entry: WaitlistEntry, *, note: str) -> None:
    """End the entry's live offers (it left the waitlist) and offer their slots on."""
    for offer in Offer.objects.filter(entry=entry, status=OfferStatus.OFFERED):
        withdraw(offer, note=note)


def decline(offer: Offer, *, now: datetime | None = None) -> bool:
    """The client said no: the slot goes to the next client. False when it was not live."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _end(offer.pk, OfferStatus.DECLINED, now):
            return False
        record(Origin.client_by_link(offer.client), AuditAction.UPDATE, offer, detail="declined")
        _enqueue_offer(offer.slot_id)
    return True


@dataclass
class Answer:
    """What accepting an offer came to: `booked` with the visit, or not, with why and the
    nearest free times to choose from instead."""

    booked: bool
    message: str
    appointment: Appointment | None = None
    alternatives: list[Slot] = field(default_factory=list)


def _gone(offer: Offer, message: str, now: datetime) -> Answer:
    service = offer.slot.service
    near = nearest_free_slots(service, offer.starts_at, now=now, count=4)
    return Answer(False, message, alternatives=[s for s in near if s.starts_at > now])


GONE_MESSAGES: dict[str, str] = {
    OfferStatus.ACCEPTED: "You have already booked this time.",
    OfferStatus.DECLINED: "You turned this time down.",
    OfferStatus.LAPSED: "This offer has lapsed, and the time was offered to someone else.",
    OfferStatus.TAKEN: TAKEN_NOTE,
    OfferStatus.WITHDRAWN: "This offer was withdrawn.",
}


def accept(offer: Offer, *, now: datetime | None = None) -> Answer:
    """Book the offered time for the client through the booking service (its checks and its
    database constraints decide), or say why not with the nearest free times."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("client__user", "therapist", "slot__service", "entry")
            .get(pk=offer.pk)
        )
        if current.status != OfferStatus.OFFERED:
            if current.status == OfferStatus.ACCEPTED:
                return Answer(True, GONE_MESSAGES[current.status], current.appointment)
            return _gone(current, GONE_MESSAGES[current.status], now)
        if current.expires_at <= now:
            _end(current.pk, OfferStatus.LAPSED, now)
            _enqueue_offer(current.slot_id)
            return _gone(current, GONE_MESSAGES[OfferStatus.LAPSED], now)
        try:
            with transaction.atomic():
                # Accepted first, so the booking's own announcement does not end this offer.
                _end(current.pk, OfferStatus.ACCEPTED, now)
                visit = booking.book(
                    client=current.client,
                    therapist=current.therapist,
                    service=current.slot.service,
                    starts_at=current.starts_at,
                    booked_by=current.client.user,
                    self_booked=True,
                    now=now,
                )
        except booking.BookingError as error:
            # Taken when the therapist's or the room's time went; a clash with the client's own
            # other visit (or their screening) ends the offer with that reason instead.
            clash = isinstance(error, booking.BookingClash) and any(
                c.kind != CLIENT for c in error.conflicts
            )
            status = OfferStatus.TAKEN if clash else OfferStatus.WITHDRAWN
            message = TAKEN_NOTE if clash else error.message
            _end(current.pk, status, now, message[:200])
            _enqueue_offer(current.slot_id)
            return _gone(current, message, now)
        Offer.objects.filter(pk=current.pk).update(appointment=visit)
        WaitlistEntry.objects.filter(pk=current.entry_id).update(status=EntryStatus.BOOKED)
        withdraw_offers_of(current.entry, note="The client booked another offer.")
        record(
            Origin.client_by_link(current.client), AuditAction.UPDATE, current, detail="accepted"
        )
    return Answer(True, "Booked. We look forward to seeing you.", visit)


def lapse_expired(now: datetime | None = None) -> list[int]:
    """End sent offers past their hold, and unsent ones too late to send; returns the slots
    to offer on. Rows another sweep holds are skipped (SKIP LOCKED), not waited for."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    with transaction.atomic():
        due = Offer.objects.filter(status=OfferStatus.OFFERED).filter(
            expires_at__lte=now, sent_at__isnull=False
        ) | Offer.objects.filter(
            status=OfferStatus.OFFERED, sent_at__isnull=True, starts_at__lte=now + hold(clinic)
        )
        rows = list(due.select_for_update(skip_locked=True).values_list("pk", "sent_at", "slot"))
        for pk, sent_at, _ in rows:
            if sent_at is not None:
                _end(pk, OfferStatus.LAPSED, now)
            else:
                _end(pk, OfferStatus.WITHDRAWN, now, "Too late to send.")
    return sorted({slot for _, _, slot in rows})


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The beat's pass: lapse offers past their hold, close started slots, and offer every open
    slot with no live offer (its task may have been lost) to its best match."""
    now = now or timezone.now()
    lapsed = lapse_expired(now)
    passed = FreedSlot.objects.filter(status=SlotStatus.OPEN, starts_at__lte=now).update(
        status=SlotStatus.PASSED
    )
    open_ids = list(
        FreedSlot.objects.filter(status=SlotStatus.OPEN, starts_at__gt=now)
        .exclude(offers__status=OfferStatus.OFFERED)
        .values_list("pk", flat=True)
    )
    offered = sum(offer_next(slot_id, now) is not None for slot_id in open_ids)
    return {"lapsed": len(lapsed), "passed": passed, "offered": offered}
