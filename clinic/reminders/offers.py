"""Sending waitlist offers (clinic/waitlist makes the rows; the channels live here).

The waitlist sits below reminders, so it cannot reach the email and SMS channels, the opt-outs
or the consent rules; it announces each offer (`offer_made`) and this module sends it on the
client's channels, each offer once: `sent_at` is set by a compare-and-swap that holds the row's
lock for the whole send, in one transaction with it. A second task for the offer waits, then
finds it sent; a worker killed mid-send rolls the mark back and the dispatch pass sends it again
(under the same Message-ID and SMS reference). Quiet hours push the send to their end.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

from clinic.core.clinic_time import describe_span, quiet_until
from clinic.core.models import ClinicSettings
from clinic.waitlist import offering
from clinic.waitlist.links import offer_url
from clinic.waitlist.models import Offer, OfferStatus

from .channels import TRANSPORT_ERRORS, address, wanted_channels
from .models import Channel, ReminderOptOut
from .sms import send_sms

log = logging.getLogger(__name__)
SENT, DEFERRED, SKIPPED, RETRY, NOT_LIVE = "sent", "deferred", "skipped", "retry", "not live"
# An offer younger than this is left to the task its creation enqueued.
GRACE = timedelta(seconds=5)


def _unsent(pk: int):
    return Offer.objects.filter(pk=pk, status=OfferStatus.OFFERED, sent_at__isnull=True)


def usable_channels(client) -> list[str]:
    """The client's channels an offer may go out on: wanted, consented, not opted out, with an
    address."""
    opted_out = set(ReminderOptOut.objects.filter(client=client).values_list("channel", flat=True))
    return [
        channel
        for channel in wanted_channels(client)
        if channel not in opted_out
        and (channel != Channel.SMS or client.sms_consent)
        and address(client, channel)
    ]


def _deliver(offer: Offer, channel: str, clinic: ClinicSettings) -> None:
    when = describe_span(offer.starts_at, offer.slot.ends_at, clinic.zone)
    url = offer_url(offer)
    minutes = clinic.waitlist_hold_minutes
    reference = f"waitlist-offer-{offer.pk}"
    service, therapist = offer.slot.service.name, offer.therapist.name
    if channel == Channel.SMS:
        text = f"{clinic.name}: {service} with {therapist}, {when}, is free. "
        send_sms(address(offer.client, channel), f"{text}Held {minutes} min: {url}", reference)
        return
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "tranquil.local"
    subject = f"A time has opened: {service}, {when}"
    body = (
        f"Hello {offer.client.first_name},\n\nA time you were waiting for is free: {service} "
        f"with {therapist}, {when}.\nWe hold it for you for {minutes} minutes. Book it or "
        f"let it go here:\n{url}\n\n{clinic.name}"
    )
    html = format_html(
        "<p>Hello {},</p><p>A time you were waiting for is free: <strong>{}</strong> with {}, "
        "{}.</p><p>We hold it for you for {} minutes.</p><p><a href='{}'>Book it or let it go"
        "</a></p><p>{}</p>",
        offer.client.first_name,
        service,
        therapist,
        when,
        minutes,
        url,
        clinic.name,
    )
    email = EmailMultiAlternatives(
        subject,
        body,
        to=[address(offer.client, channel)],
        headers={"X-Tranquil-Offer": str(offer.pk), "Message-ID": f"<{reference}@{domain}>"},
    )
    email.attach_alternative(html, "text/html")
    email.send()


def send_offer(offer_id: int, now: datetime | None = None) -> str:
    """Send a live, unsent offer on the client's channels, once; or defer it past quiet hours,
    or withdraw it (the next client gets the slot) when the client cannot be reached."""
    now = now or timezone.now()
    clinic = ClinicSettings.load()
    offer = _unsent(offer_id).select_related("client", "therapist__user", "slot__service").first()
    if offer is None:
        return NOT_LIVE
    if offer.send_after and offer.send_after > now:
        return DEFERRED
    until = quiet_until(now, clinic.quiet_hours_start, clinic.quiet_hours_end, clinic.zone)
    if until is not None:
        _unsent(offer_id).update(send_after=until)
        return DEFERRED
    channels = usable_channels(offer.client)
    if not channels:
        offering.withdraw(offer, note="No channel reaches the client.", now=now)
        return SKIPPED
    hold = timedelta(minutes=clinic.waitlist_hold_minutes)
    try:
        with transaction.atomic():
            # Marked first: the update holds the row's lock until the commit, so a second task
            # waits here and then finds it sent; a failed or killed send rolls it back.
            marked = _unsent(offer_id).update(
                sent_at=now, expires_at=now + hold, channel="+".join(channels)
            )
            if not marked:
                return NOT_LIVE
            for channel in channels:
                _deliver(offer, channel, clinic)
    except TRANSPORT_ERRORS as error:
        log.warning("Waitlist offer %s not sent, tried again later: %s", offer_id, error)
        return RETRY
    log.info("Waitlist offer %s sent by %s", offer_id, "+".join(channels))
    return SENT


def unsent_due(now: datetime, grace: timedelta = GRACE) -> list[int]:
    """Live offers still unsent after their task had its chance (lost to a killed worker or a
    flushed Redis, or deferred by quiet hours). Rows a sender holds locked are skipped."""
    with transaction.atomic():
        due = Offer.objects.filter(
            status=OfferStatus.OFFERED, sent_at__isnull=True, created_at__lte=now - grace
        ).exclude(send_after__gt=now)
        return list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:500])


def enqueue_unsent(now: datetime | None = None) -> int:
    """Enqueue a send task for each offer unsent_due() finds; returns how many."""
    from .tasks import send_waitlist_offer

    ids = unsent_due(now or timezone.now())
    for pk in ids:
        send_waitlist_offer.delay(pk)
    return len(ids)


def waitlist_pass(now: datetime | None = None) -> Counter[str]:
    """The waitlist's share of a cron-run dispatch pass, for a clinic without beat: the sweep
    (lapse offers past their hold, offer open slots), then every unsent offer sent here, the
    newest too, since no worker may be running to take their tasks."""
    now = now or timezone.now()
    counts = Counter(offering.sweep(now))
    counts.update(send_offer(pk, now) for pk in unsent_due(now, grace=timedelta(0)))
    return counts
