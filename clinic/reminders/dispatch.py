"""The dispatch pass: find due reminders, claim them, and hand each to a sender.

One pass serves the beat task (which enqueues a Celery task per reminder) and
`manage.py send_due_reminders` (which sends in its own process, through the same function the
task calls). Claiming is a compare-and-swap on the row's status and due time, inside a
transaction that on PostgreSQL also locks the candidates with SKIP LOCKED, so concurrent
passes claim disjoint rows; on SQLite the write lock serialises them. A claim moves the row's
`next_attempt_at` a lease ahead: if its task is lost (Redis flushed, worker killed), the row
is due again when the lease runs out and the next pass claims it anew. Tasks are enqueued
only after the claim commits, carry reminder ids alone, and have no ETA or countdown.
"""

import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Reminder, ReminderStatus
from .sending import send_reminders

BATCH_SIZE = 500
# Ids per send task: a task's broker and worker overhead is shared by this many reminders,
# each still sent in its own transaction.
SEND_CHUNK = 20


def claim_due(now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due, pending reminders, earliest first; returns their ids.

    Call it inside a transaction. The scan reads the partial index on pending rows'
    `next_attempt_at`, so rows not yet due cost it nothing.
    """
    due = Reminder.objects.filter(status=ReminderStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    ids = list(due.values_list("pk", flat=True)[:limit])
    if ids:
        lease = timedelta(seconds=settings.REMINDER_CLAIM_SECONDS)
        Reminder.objects.filter(
            pk__in=ids, status=ReminderStatus.PENDING, next_attempt_at__lte=now
        ).update(claimed_at=now, next_attempt_at=now + lease, updated_at=now)
    return ids


def enqueue(ids: Sequence[int]) -> None:
    """Send tasks of up to SEND_CHUNK reminder ids each, over one broker connection."""
    from .tasks import send_reminders as task

    with task.app.producer_or_acquire() as producer:
        for start in range(0, len(ids), SEND_CHUNK):
            task.apply_async((ids[start : start + SEND_CHUNK],), producer=producer)


def dispatch_pass(
    *, inline: bool = False, batch_size: int = BATCH_SIZE, time_budget: float | None = None
) -> Counter[str]:
    """Claim every due reminder, batch by batch, and send each one.

    `inline` sends them here, one after another (the management command); otherwise each
    batch's tasks are enqueued once its claim has committed (the beat task). A pass stops when
    nothing due is left or after `time_budget` seconds. Returns counts: `claimed`, and with
    `inline` each send outcome.
    """
    started = time.monotonic()
    counts: Counter[str] = Counter()
    while True:
        with transaction.atomic():
            ids = claim_due(timezone.now(), batch_size)
            if ids and not inline:
                # If the broker is down this raises after the commit; the claims then lapse
                # and a later pass takes the rows again.
                transaction.on_commit(partial(enqueue, ids))
        counts["claimed"] += len(ids)
        if inline:
            counts.update(send_reminders(ids).values())
        if len(ids) < batch_size:
            return counts
        if time_budget is not None and time.monotonic() - started > time_budget:
            return counts
