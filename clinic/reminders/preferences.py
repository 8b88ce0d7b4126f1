"""A client's notification preferences: how reminders reach them, consent to text messages,
and their opt-outs per channel. Changed by the client from their portal, audited."""

from dataclasses import dataclass

from django.db import transaction

from clinic.accounts.models import Client, ReminderChannel
from clinic.audit.history import acting
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError

from .models import Channel, ReminderOptOut
from .optouts import opt_back_in, opt_out


class PreferencesRefused(DomainError):
    code = "PREFERENCES_REFUSED"


@dataclass(frozen=True)
class Preferences:
    preferred_channel: str
    sms_consent: bool
    email_reminders: bool
    sms_reminders: bool

    def describe(self) -> str:
        channels = (("email", self.email_reminders), ("sms", self.sms_reminders))
        stopped = [channel for channel, on in channels if not on]
        return (
            f"channel={self.preferred_channel} sms_consent={self.sms_consent} "
            f"opted_out={','.join(stopped) or 'none'}"
        )


def preferences_of(client: Client) -> Preferences:
    """The client's preferences as they stand (one query for the opt-outs)."""
    opted_out = set(ReminderOptOut.objects.filter(client=client).values_list("channel", flat=True))
    return Preferences(
        preferred_channel=client.preferred_channel,
        sms_consent=client.sms_consent,
        email_reminders=Channel.EMAIL not in opted_out,
        sms_reminders=Channel.SMS not in opted_out,
    )


def set_preferences(client: Client, wanted: Preferences, *, by) -> bool:
    """Store the client's choices and write one audit row with before and after; False when
    nothing changed. Texts need a phone number on file and the client's consent."""
    texts = wanted.preferred_channel in (ReminderChannel.SMS, ReminderChannel.BOTH)
    if texts and not client.phone:
        raise PreferencesRefused(
            "We have no mobile number for you: please call the clinic to add one.",
            "preferred_channel",
        )
    if texts and not wanted.sms_consent:
        raise PreferencesRefused(
            "To get text messages, tick that you agree to receive them.", "sms_consent"
        )
    with transaction.atomic(), acting(by):
        before = preferences_of(client)
        if before == wanted:
            return False
        client.preferred_channel = wanted.preferred_channel
        client.sms_consent = wanted.sms_consent
        client.save(update_fields=["preferred_channel", "sms_consent"])
        for channel, on in (
            (Channel.EMAIL, wanted.email_reminders),
            (Channel.SMS, wanted.sms_reminders),
        ):
            (opt_back_in if on else opt_out)(client, channel)
        record(
            by,
            AuditAction.UPDATE,
            client,
            client,
            detail=f"notification preferences: {before.describe()} -> {wanted.describe()}",
        )
    return True
