"""Reads for the desk and the reports: the waitlist, today's freed slots, the fill rate."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q

from clinic.core.clinic_time import day_bounds, today

from .models import LEFT_BY_A_VISIT, EntryStatus, FreedSlot, Offer, SlotStatus, WaitlistEntry


def waiting_entries(*, service_id: int | None = None, therapist_id: int | None = None):
    """Waiting entries, by service then longest waiting, with their therapists and offers."""
    entries = WaitlistEntry.objects.filter(status=EntryStatus.WAITING)
    if service_id:
        entries = entries.filter(service=service_id)
    if therapist_id:
        entries = entries.filter(Q(therapists=None) | Q(therapists=therapist_id)).distinct()
    return (
        entries.select_related("client", "service")
        .prefetch_related(
            "therapists__user",
            Prefetch("offers", queryset=Offer.objects.select_related("therapist__user")),
        )
        .order_by("service__name", "created_at", "pk")
    )


def freed_on(day=None):
    """The slots freed on a clinic day (today by default), with whom each was offered to."""
    start, end = day_bounds(day or today())
    return (
        FreedSlot.objects.filter(freed_at__gte=start, freed_at__lt=end)
        .select_related("therapist__user", "service")
        .prefetch_related(Prefetch("offers", queryset=Offer.objects.select_related("client")))
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class FillRate:
    freed: int
    filled: int

    @property
    def rate(self) -> float | None:
        """The share rebooked before they started (None when nothing was freed)."""
        return self.filled / self.freed if self.freed else None


def fill_rate(start: datetime, end: datetime, therapist=None) -> FillRate:
    """Of the slots freed whose time fell in [start, end), how many were rebooked before they
    started (a slot still ahead and open counts as not yet filled)."""
    counts = _freed_in(start, end, therapist).aggregate(**FILL_COUNTS)
    return FillRate(counts["freed"], counts["filled"])


def fill_by_therapist(start: datetime, end: datetime, therapist=None) -> list[dict]:
    """Freed and filled slot counts per therapist id, for [start, end) (one query)."""
    return list(
        _freed_in(start, end, therapist)
        .values("therapist_id")
        .annotate(**FILL_COUNTS)
        .order_by("therapist_id")
    )


def filled_visits(start: datetime, end: datetime, therapist=None):
    """The ids of the visits that filled freed slots whose time fell in [start, end), as a
    subquery (revenue kept: the reports price them through billing)."""
    filled = _freed_in(start, end, therapist).filter(status=SlotStatus.FILLED)
    return filled.exclude(filled_by=None).values("filled_by")


FILL_COUNTS = {"freed": Count("pk"), "filled": Count("pk", filter=Q(status=SlotStatus.FILLED))}


def _freed_in(start: datetime, end: datetime, therapist=None):
    slots = FreedSlot.objects.filter(
        starts_at__gte=start, starts_at__lt=end, reason__in=LEFT_BY_A_VISIT
    )
    return slots if therapist is None else slots.filter(therapist=therapist)
