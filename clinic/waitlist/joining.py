"""Joining and leaving the waitlist: the desk adds a client, or a client adds themselves.

A client whose screening would stop them booking online (`refer`, or `clearance` without the
note on file) cannot join: an offer is accepted by the client alone, online, so the waitlist
applies the self-booking rule the online booking applies (booking.self_booking_refusal).
"""

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.accounts.models import Client, Therapist, User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.booking.booking import self_booking_refusal
from clinic.booking.models import Service
from clinic.core.errors import DomainError
from intake.status import screening_status

from .models import EntryStatus, WaitlistEntry


class WaitlistError(DomainError):
    """A waitlist change refused for a reason the user can act on."""

    code = "WAITLIST_REFUSED"


def join(
    *,
    client: Client,
    service: Service,
    weekdays: list[int],
    earliest: time,
    latest: time,
    therapists: list[Therapist] | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    by: User | None,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put the client on the waitlist for a service in a window (no therapists: anyone)."""
    now = now or timezone.now()
    if refusal := self_booking_refusal(screening_status(client, now)):
        raise WaitlistError(refusal, code="WAITLIST_SCREENING", status=409)
    if not service.is_active:
        raise WaitlistError(f"{service.name} is no longer offered.", "service")
    days = sorted(set(weekdays))
    if not days or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise WaitlistError("Choose at least one day of the week.", "weekdays")
    if latest <= earliest:
        raise WaitlistError("The latest time must be after the earliest.", "latest")
    if starts_on and ends_on and ends_on < starts_on:
        raise WaitlistError("The last day must not be before the first.", "ends_on")
    if ends_on and ends_on < timezone.localdate(now):
        raise WaitlistError("The last day has already passed.", "ends_on")
    entry = WaitlistEntry(
        client=client,
        service=service,
        weekdays=days,
        earliest=earliest,
        latest=latest,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=now,
        added_by=by if by is not None and by.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            entry.save()
            entry.therapists.set(therapists or [])
            record(by, AuditAction.CREATE, entry, client, detail="joined the waitlist")
    except IntegrityError as error:
        raise WaitlistError(
            f"{client.full_name} is already waiting for {service.name}.",
            "service",
            code="WAITLIST_DUPLICATE",
            status=409,
        ) from error
    return entry


def leave(entry: WaitlistEntry, *, by: User | None) -> WaitlistEntry:
    """Take a waiting entry off the waitlist; its live offers are withdrawn."""
    from .offering import withdraw_offers_of

    with transaction.atomic():
        changed = WaitlistEntry.objects.filter(pk=entry.pk, status=EntryStatus.WAITING).update(
            status=EntryStatus.REMOVED
        )
        if not changed:
            raise WaitlistError("This entry is no longer waiting.", code="WAITLIST_NOT_WAITING")
        withdraw_offers_of(entry, note="The client left the waitlist.")
        record(by, AuditAction.UPDATE, entry, entry.client, detail="left the waitlist")
    entry.status = EntryStatus.REMOVED
    return entry
