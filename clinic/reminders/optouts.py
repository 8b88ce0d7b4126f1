"""Clients opting out of reminders, per channel."""

from django.db import IntegrityError, transaction

from .models import ReminderOptOut


def has_opted_out(client, channel) -> bool:
    return ReminderOptOut.objects.filter(client=client, channel=channel).exists()


def opt_out(client, channel) -> bool:
    """Stop the client's reminders on one channel; False when they had already opted out.

    Pending reminders on that channel are skipped ("opted out") when their time comes.
    """
    try:
        with transaction.atomic():
            _, created = ReminderOptOut.objects.get_or_create(client=client, channel=channel)
    except IntegrityError:
        # A double click raced us: the other request stored the opt-out.
        return False
    return created


def opt_back_in(client, channel) -> bool:
    """Start reminders on a channel again (the front desk, at the client's request)."""
    deleted, _ = ReminderOptOut.objects.filter(client=client, channel=channel).delete()
    return bool(deleted)
