"""Sending claimed reminders, each once: the code the Celery task and the command share.

A row moves to `sent` by a compare-and-swap on "pending and claimed" that holds its lock for
the whole send, in one transaction with it, so a second task for it (a duplicate from a second
dispatcher, a redelivery after a lost acknowledgement) waits for the first and then finds it
sent. If the worker dies mid-send the transaction rolls
back, the row stays pending and claimed, and a later scan picks it up when the claim's lease
runs out. The one window left is between the mail server accepting a message and the commit:
a crash exactly there sends it again, under the same Message-ID (and the same SMS reference),
which lets the receiving side fold the copy into one.
"""

import logging
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from clinic.core.models import ClinicSettings

from .balance import sent_today_reason
from .channels import TRANSPORT_ERRORS, deliver
from .compose import compose
from .models import Reminder, ReminderKind, ReminderOptOut, ReminderStatus
from .rules import decide

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
SENT, SKIPPED, DEFERRED, RETRY, FAILED, NOT_CLAIMED = (
    "sent",
    "skipped",
    "deferred",
    "retry",
    "failed",
    "not claimed",
)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: doubling from REMINDER_RETRY_SECONDS."""
    delay = timedelta(seconds=settings.REMINDER_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def send_reminders(ids: Sequence[int]) -> dict[int, str]:
    """Send claimed, pending reminders (or skip or defer them by the rules), each in its own
    transaction under its row lock; returns what happened to each id. Anything no longer
    pending and claimed is left alone, so running this twice is harmless.

    The rows and their clients' opt-outs are read once for the batch, and the rules decide on
    that reading; each row's own state is then checked and changed in one compare-and-swap.
    """
    clinic = ClinicSettings.load()
    rows = list(
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.PENDING).select_related(
            "client", "appointment", "plan", "invoice"
        )
    )
    opted_out = set(
        ReminderOptOut.objects.filter(client__in={r.client_id for r in rows}).values_list(
            "client_id", "channel"
        )
    )
    outcomes = dict.fromkeys(ids, NOT_CLAIMED)
    for reminder in rows:
        outcomes[reminder.pk] = _send_one(reminder, clinic, opted_out)
    return outcomes


def send_reminder(reminder_id: int) -> str:
    """Send one claimed reminder; see send_reminders()."""
    return send_reminders([reminder_id])[reminder_id]


def _send_one(reminder: Reminder, clinic: ClinicSettings, opted_out: set[tuple[int, str]]) -> str:
    now = timezone.now()
    decision = decide(reminder, clinic, now, (reminder.client_id, reminder.channel) in opted_out)
    # Every write below is a compare-and-swap on "pending and claimed": a row sent, skipped,
    # deferred or retried by another run of its task is left alone, and it is not ours.
    if decision.action == "skip":
        done = _claimed(reminder.pk).update(
            status=ReminderStatus.SKIPPED,
            skip_reason=decision.reason,
            claimed_at=None,
            updated_at=now,
        )
        return SKIPPED if done else NOT_CLAIMED
    if decision.action == "defer":
        done = _claimed(reminder.pk).update(
            next_attempt_at=decision.until, claimed_at=None, updated_at=now
        )
        return DEFERRED if done else NOT_CLAIMED
    with transaction.atomic():
        # A balance reminder decides again under its client's lock: one a day, and only while
        # the balance is owed.
        if reminder.kind == ReminderKind.BALANCE and (
            reason := sent_today_reason(reminder, clinic, now)
        ):
            done = _claimed(reminder.pk).update(
                status=ReminderStatus.SKIPPED, skip_reason=reason, claimed_at=None, updated_at=now
            )
            return SKIPPED if done else NOT_CLAIMED
        # Marked sent first: the update holds the row's lock until the commit, so a second
        # task for it waits here and then finds it sent. A failed send rewrites it below, in
        # the same transaction; a crash rolls it back to pending and claimed.
        if not _mark_sent(reminder.pk, now):
            return NOT_CLAIMED
        return _deliver(reminder, clinic, now)


def _claimed(pk: int) -> QuerySet[Reminder]:
    return Reminder.objects.filter(pk=pk, status=ReminderStatus.PENDING, claimed_at__isnull=False)


def _mark_sent(pk: int, now: datetime) -> bool:
    """The compare-and-swap "pending and claimed" -> "sent", counting the attempt.

    Plain SQL because it runs once per reminder: the ORM would build and compile this update
    each time, which costs as much as the round trip itself (see bench/reminders.py).
    """
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        # The table named outright: SQL built from a string is what bandit (B608) refuses.
        cursor.execute(
            "UPDATE reminders_reminder SET status = %s, sent_at = %s, claimed_at = NULL,"
            " attempts = attempts + 1, last_error = '', updated_at = %s"
            " WHERE id = %s AND status = %s AND claimed_at IS NOT NULL",
            [ReminderStatus.SENT.value, at, at, pk, ReminderStatus.PENDING.value],
        )
        # The DB-API cursor is untyped; rowcount is the number of rows the update changed.
        changed: int = cursor.rowcount
        return changed == 1


def _deliver(reminder: Reminder, clinic: ClinicSettings, now: datetime) -> str:
    # Composing an intake reminder writes a fresh intake link: in a savepoint, so a failed send
    # leaves none behind. The other kinds write nothing and save the two round trips.
    writes = reminder.kind == ReminderKind.INTAKE
    try:
        with transaction.atomic() if writes else nullcontext():
            deliver(reminder, compose(reminder, clinic))
    except TRANSPORT_ERRORS as error:
        return _failed_attempt(reminder, error, now, retry=True)
    except DatabaseError:
        raise
    except Exception as error:
        # A fault in our own code or data will not mend by waiting: show it to the front desk.
        log.exception("Reminder %s could not be composed or sent", reminder.pk)
        return _failed_attempt(reminder, error, now, retry=False)
    log.info("Reminder %s sent by %s", reminder.pk, reminder.channel)
    return SENT


def _failed_attempt(reminder: Reminder, error: Exception, now: datetime, *, retry: bool) -> str:
    """Record a failed attempt on the row marked sent in this transaction: pending again with
    the backoff, or failed once the attempts reach the cap."""
    text = f"{type(error).__name__}: {error}"[:1000]
    row = Reminder.objects.filter(pk=reminder.pk)
    attempts = row.values_list("attempts", flat=True).get()
    changes = {"sent_at": None, "last_error": text, "updated_at": now}
    if retry and attempts < settings.REMINDER_MAX_ATTEMPTS:
        log.warning("Reminder %s attempt %s failed: %s", reminder.pk, attempts, text)
        row.update(
            status=ReminderStatus.PENDING, next_attempt_at=now + backoff(attempts), **changes
        )
        return RETRY
    log.error("Reminder %s failed after %s attempts: %s", reminder.pk, attempts, text)
    row.update(status=ReminderStatus.FAILED, **changes)
    return FAILED


def retry_failed(reminder: Reminder) -> bool:
    """Put a failed reminder back in line for the next dispatch pass, with fresh attempts.

    A compare-and-swap on the status: False when it is not failed (sent or retried already).
    """
    return bool(
        Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.FAILED).update(
            status=ReminderStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            updated_at=timezone.now(),
        )
    )
