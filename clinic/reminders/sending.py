"""Sending one claimed reminder, once: the function the Celery task and the command share.

The row is locked for the whole send and moves to `sent` in the same transaction, so a second
task for it (a duplicate from a second dispatcher, a redelivery after a lost acknowledgement)
waits for the first and then finds it sent. If the worker dies mid-send the transaction rolls
back, the row stays pending and claimed, and a later scan picks it up when the claim's lease
runs out. The one window left is between the mail server accepting a message and the commit:
a crash exactly there sends it again, under the same Message-ID (and the same SMS reference),
which lets the receiving side fold the copy into one.
"""

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from clinic.core.models import ClinicSettings

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


def send_reminders(ids) -> dict[int, str]:
    """Send claimed, pending reminders (or skip or defer them by the rules), each in its own
    transaction under its row lock; returns what happened to each id. Anything no longer
    pending and claimed is left alone, so running this twice is harmless.

    The rows and their clients' opt-outs are read once for the batch; each row's own state is
    re-read under its lock before anything is decided.
    """
    clinic = ClinicSettings.load()
    rows = list(
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.PENDING).select_related(
            "client", "appointment", "plan"
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


def _send_one(reminder, clinic, opted_out) -> str:
    with transaction.atomic():
        current = (
            Reminder.objects.select_for_update()
            .filter(pk=reminder.pk)
            .values_list("status", "claimed_at", "attempts")
            .first()
        )
        if current is None:
            return NOT_CLAIMED
        reminder.status, reminder.claimed_at, reminder.attempts = current
        # Sent or skipped meanwhile, or deferred or retried by an earlier run: a new claim
        # will come for the last two.
        if reminder.status != ReminderStatus.PENDING or reminder.claimed_at is None:
            return NOT_CLAIMED
        now = timezone.now()
        decision = decide(
            reminder, clinic, now, (reminder.client_id, reminder.channel) in opted_out
        )
        if decision.action == "skip":
            _save(reminder, status=ReminderStatus.SKIPPED, skip_reason=decision.reason)
            return SKIPPED
        if decision.action == "defer":
            _save(reminder, next_attempt_at=decision.until)
            return DEFERRED
        return _attempt(reminder, clinic, now)


def _attempt(reminder, clinic, now) -> str:
    reminder.attempts += 1
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
    _save(reminder, status=ReminderStatus.SENT, sent_at=now, last_error="")
    log.info("Reminder %s sent by %s", reminder.pk, reminder.channel)
    return SENT


def _failed_attempt(reminder, error, now, *, retry) -> str:
    text = f"{type(error).__name__}: {error}"[:1000]
    if retry and reminder.attempts < settings.REMINDER_MAX_ATTEMPTS:
        log.warning("Reminder %s attempt %s failed: %s", reminder.pk, reminder.attempts, text)
        _save(reminder, last_error=text, next_attempt_at=now + backoff(reminder.attempts))
        return RETRY
    log.error("Reminder %s failed after %s attempts: %s", reminder.pk, reminder.attempts, text)
    _save(reminder, status=ReminderStatus.FAILED, last_error=text)
    return FAILED


def _save(reminder, **changes) -> None:
    """Write the outcome and release the claim (the row is locked by the caller)."""
    changes["claimed_at"] = None
    for name, value in changes.items():
        setattr(reminder, name, value)
    reminder.save(update_fields=[*changes, "attempts", "updated_at"])


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
