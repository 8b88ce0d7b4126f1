"""Which channels a client is reminded on, and delivering a composed message on one.

Email goes through Django's email backends (text with an HTML alternative); SMS through
clinic/reminders/sms.py. Delivery raises one of TRANSPORT_ERRORS when the transport fails,
which the sender retries with backoff.
"""

from dataclasses import dataclass
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from clinic.accounts.models import ReminderChannel

from .models import Channel
from .sms import SmsError, send_sms

# Errors worth another try later: the mail server or the SMS gateway, not our own code.
TRANSPORT_ERRORS = (SMTPException, OSError, SmsError)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    sms: str


def wanted_channels(client) -> list[str]:
    """The channels a client's reminders are planned on, from their preferred channel.

    Text messages are planned whenever the client prefers them (the send checks consent and
    skips with that reason, so the history shows it); a client who prefers texts but has not
    consented also gets email, so they are not left without any reminder.
    """
    preferred = client.preferred_channel
    wants_sms = preferred in (ReminderChannel.SMS, ReminderChannel.BOTH)
    wants_email = preferred in (ReminderChannel.EMAIL, ReminderChannel.BOTH) or (
        wants_sms and not client.sms_consent
    )
    return [c for c, wanted in ((Channel.EMAIL, wants_email), (Channel.SMS, wants_sms)) if wanted]


def address(client, channel) -> str:
    """The client's email address, or phone number in E.164, for a channel ('' when there is
    none). A number kept as typed because it could not be read counts as none: no gateway could
    dial it, so the reminder is skipped for want of an address instead of failing at each retry."""
    if channel == Channel.EMAIL:
        return client.email.strip()
    phone = client.phone
    return phone.as_e164 if phone and phone.is_valid() else ""


def deliver(reminder, message: Message) -> None:
    """Hand the message to the transport; raises one of TRANSPORT_ERRORS when it fails."""
    to = address(reminder.client, reminder.channel)
    reference = f"reminder-{reminder.pk}"
    if reminder.channel == Channel.SMS:
        send_sms(to, message.sms, reference=reference)
        return
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "tranquil.local"
    email = EmailMultiAlternatives(
        message.subject,
        message.text,
        to=[to],
        headers={
            "X-Tranquil-Reminder": str(reminder.pk),
            # The same id on every retry, so mail systems can fold a duplicate into one.
            "Message-ID": f"<{reference}@{domain}>",
        },
    )
    email.attach_alternative(message.html, "text/html")
    email.send()
