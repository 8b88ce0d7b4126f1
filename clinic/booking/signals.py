"""What booking tells the apps above it, and asks of them, without importing them.

Signals are sent inside the transaction that made the change, so what a receiver writes (the
reminders planned for a visit, for one) commits or rolls back with the change itself.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.dispatch import Signal

# A visit was booked, moved or changed status. Arguments: appointment, now, and for a move
# moved_from: (therapist id, room id, starts_at, ends_at) it had before (None otherwise).
appointment_changed = Signal()

# Time newly open for visits, sent inside the change that opened it. Argument: opening.
hours_opened = Signal()


@dataclass(frozen=True)
class Opening:
    """Time newly open for visits: weekly hours added or lengthened (`weekly`: local weekday,
    start and end, every week), or a stretch reopened (`spans`: time off taken back, a closure
    removed). `therapist_ids` None means every therapist."""

    therapist_ids: frozenset[int] | None
    weekly: tuple[tuple[int, time, time], ...] = ()
    spans: tuple[tuple[datetime, datetime], ...] = ()


# Asked while the desk books for a client: the series their care calls for. Argument: client.
# A receiver answers with a SeriesSuggestion, or None when it has nothing to suggest.
series_suggested = Signal()


@dataclass(frozen=True)
class SeriesSuggestion:
    """A recurring series to offer: every `every_weeks` weeks, `visits` times."""

    every_weeks: int
    visits: int
    frequency: str  # said as the plan says it ("Weekly")


def suggested_series(client) -> SeriesSuggestion | None:
    """The first suggestion a receiver makes for the client, or None."""
    for _, answer in series_suggested.send(sender=None, client=client):
        if answer is not None:
            return answer
    return None
