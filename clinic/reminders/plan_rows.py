"""Keeping one target's reminder rows in step with the reminders wanted for it."""

from collections import defaultdict

from django.db.models import F
from django.utils import timezone

from .models import PLANNING_REASONS, Reminder, ReminderStatus


def sync(rows, wanted, *, client, target, creatable, reason_for) -> None:
    """Make the reminder rows in `rows` (one target's, of some kinds) match `wanted`.

    `wanted` holds (kind, channel, due_at) keys; `creatable(key)` says whether a missing key may
    be created (or revived) now, `reason_for(row)` why an unwanted pending row is skipped.
    Updates are compare-and-swaps on the status, so a row a worker is sending is left alone.
    """
    existing = {(r.kind, r.channel, r.due_at): r for r in rows}
    Reminder.objects.bulk_create(
        [
            Reminder(
                kind=kind,
                channel=channel,
                due_at=due_at,
                next_attempt_at=due_at,
                client=client,
                **target,
            )
            for kind, channel, due_at in wanted - existing.keys()
            if creatable((kind, channel, due_at))
        ],
        ignore_conflicts=True,
    )
    revive = [
        row.pk
        for key, row in existing.items()
        if key in wanted
        and row.status == ReminderStatus.SKIPPED
        and row.skip_reason in PLANNING_REASONS
        and creatable(key)
    ]
    if revive:
        Reminder.objects.filter(pk__in=revive, status=ReminderStatus.SKIPPED).update(
            status=ReminderStatus.PENDING,
            skip_reason="",
            next_attempt_at=F("due_at"),
            claimed_at=None,
            updated_at=timezone.now(),
        )
    unwanted = defaultdict(list)
    for key, row in existing.items():
        if key not in wanted and row.status == ReminderStatus.PENDING:
            unwanted[reason_for(row)].append(row.pk)
    for reason, pks in unwanted.items():
        Reminder.objects.filter(pk__in=pks, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SKIPPED,
            skip_reason=reason,
            claimed_at=None,
            updated_at=timezone.now(),
        )
