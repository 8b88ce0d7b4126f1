"""A client's current screening status: the one answer booking, notes and reminders ask for."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Clearance, Intake
from .screening import Outcome, Restrictions

MISSING = "missing"
EXPIRED = "expired"
# What a status's `outcome` can be: a screening outcome, or no intake that counts.
STATUS_OUTCOMES = (*(o.value for o in Outcome), MISSING, EXPIRED)
# A `clearance` with its clearance on file: treatment may go ahead, within the restrictions.
CLEARED = "cleared"
# The badge's plain words for each status (the outcome stays in its data attribute).
BADGE_LABELS = {
    Outcome.CLEAR: "Clear",
    Outcome.PRECAUTIONS: "Precautions",
    Outcome.CLEARANCE: "Clearance needed",
    CLEARED: "Cleared: restrictions apply",
    Outcome.REFER: "Refer: do not treat",
    MISSING: "No intake",
    EXPIRED: "Intake expired",
}


@dataclass(frozen=True)
class ScreeningStatus:
    """`outcome` is a screening outcome, or `missing` (no intake that counts) or `expired`."""

    outcome: str
    intake: Intake | None
    clearance_on_file: bool

    @property
    def valid_until(self) -> datetime | None:
        return self.intake.valid_until if self.intake else None

    @property
    def restrictions(self) -> Restrictions | None:
        return self.intake.result.restrictions if self.intake else None

    @property
    def blocks_treatment(self) -> bool:
        """`refer` always blocks; `clearance` blocks until a clearance is on file."""
        if self.outcome == Outcome.REFER:
            return True
        return self.outcome == Outcome.CLEARANCE and not self.clearance_on_file

    @property
    def needs_intake(self) -> bool:
        return self.outcome in (MISSING, EXPIRED)

    @property
    def badge(self) -> str:
        """The outcome, with `clearance` told apart from `cleared` (clearance on file)."""
        if self.outcome == Outcome.CLEARANCE and self.clearance_on_file:
            return CLEARED
        return self.outcome

    @property
    def badge_label(self) -> str:
        return BADGE_LABELS.get(self.badge, self.outcome)


def _status(intake, clearance_on_file, now):
    if intake is None:
        return ScreeningStatus(MISSING, None, clearance_on_file)
    if intake.valid_until <= now:
        return ScreeningStatus(EXPIRED, intake, clearance_on_file)
    return ScreeningStatus(intake.outcome, intake, clearance_on_file)


def _clearance_on_file():
    # A clearance counts for the intake it answers: one recorded on or after that intake.
    return Exists(
        Clearance.objects.filter(
            client_id=OuterRef("client_id"), recorded_at__gte=OuterRef("submitted_at")
        )
    )


def screening_statuses(client_ids, now=None) -> dict[int, ScreeningStatus]:
    """The status of many clients in two queries, for day views and lists (missing included)."""
    now = now or timezone.now()
    client_ids = list(set(client_ids))
    latest = (
        Intake.objects.filter(client_id__in=client_ids, superseded_at__isnull=True)
        .order_by("client_id", "-submitted_at")
        .annotate(has_clearance=_clearance_on_file())
    )
    if connection.vendor == "postgresql":
        # Only each client's latest row (the client and submitted_at index), however many
        # intakes a client has sent over the years.
        latest = latest.distinct("client_id")
    found = {}
    for intake in latest:
        found.setdefault(intake.client_id, intake)
    return {
        cid: _status(found.get(cid), bool(found.get(cid) and found[cid].has_clearance), now)
        for cid in client_ids
    }


def screening_status(client, now=None) -> ScreeningStatus:
    """The client's current status: their latest intake that still counts, and its clearance."""
    return screening_statuses([client.pk], now)[client.pk]
