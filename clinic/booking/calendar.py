"""iCalendar files: the .ics on a booking's emails and each therapist's private feed.

A visit keeps one UID for its whole life, so the calendar entry a confirmation added is the
one a move updates (METHOD:REQUEST) and a cancellation removes (METHOD:CANCEL); SEQUENCE, the
time of the visit's last change, tells the calendar which version is newest.

Calendar apps copy events to other servers, so a therapist's feed names clients by first
name and initial only, and carries no screening or clinical detail.
"""

from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from clinic.accounts.models import Therapist, new_calendar_token
from clinic.core.models import ClinicSettings

from .models import Appointment, AppointmentStatus

FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=365)


def _uid(appointment):
    host = urlsplit(settings.SITE_URL).hostname or "tranquil"
    return f"appointment-{appointment.pk}@{host}"


def _location(clinic, appointment):
    parts = [clinic.name, appointment.room.name]
    if clinic.address:
        parts.append(clinic.address.replace("\n", ", "))
    return ", ".join(parts)


def _event(appointment, clinic, summary, now):
    event = icalendar.Event()
    event.add("uid", _uid(appointment))
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("location", _location(clinic, appointment))
    # Calendars keep the newest version of an event: the last change's time orders them.
    event.add("sequence", int(appointment.updated_at.timestamp()) if appointment.updated_at else 0)
    cancelled = appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(name, method="PUBLISH"):
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tranquil//Booking//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def _address(event, appointment, clinic):
    """Who sends and who receives an update or a cancellation: iTIP (RFC 5546) needs both."""
    organizer = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = clinic.name
    event.add("organizer", organizer)
    client = appointment.client
    attendee = icalendar.vCalAddress(f"mailto:{client.email}")
    # The visit is agreed already: a calendar should not ask the client to accept it.
    attendee.params.update({"cn": client.full_name, "partstat": "ACCEPTED", "rsvp": "FALSE"})
    event.add("attendee", attendee)


def client_ics(appointments, method="PUBLISH") -> bytes:
    """The client's own visits for an email's attachment: PUBLISH to add them (the
    confirmation), REQUEST to update one that moved, CANCEL to remove one."""
    clinic = ClinicSettings.load()
    now = timezone.now()
    cal = _calendar(clinic.name, method)
    for appointment in appointments:
        summary = f"{appointment.service.name} with {appointment.therapist.name}"
        event = _event(appointment, clinic, summary, now)
        if method != "PUBLISH":
            _address(event, appointment, clinic)
        cal.add_component(event)
    return cal.to_ical()


def therapist_feed(therapist, now=None) -> bytes:
    """A therapist's visits from a month back to a year ahead, cancelled ones marked so."""
    clinic = ClinicSettings.load()
    now = now or timezone.now()
    appointments = (
        Appointment.objects.filter(
            therapist=therapist,
            starts_at__gte=now - FEED_PAST,
            starts_at__lt=now + FEED_FUTURE,
        )
        .select_related("client", "service", "room")
        .order_by("starts_at")
    )
    cal = _calendar(f"{clinic.name}: {therapist.name}")
    for appointment in appointments:
        client = appointment.client
        initial = f" {client.last_name[:1]}." if client.last_name else ""
        summary = f"{client.first_name}{initial} · {appointment.service.name}"
        cal.add_component(_event(appointment, clinic, summary, now))
    return cal.to_ical()


def regenerate_calendar_token(therapist: Therapist) -> str:
    """A new secret for the therapist's feed: the old URL stops working at once."""
    therapist.calendar_token = new_calendar_token()
    therapist.save(update_fields=["calendar_token"])
    return therapist.calendar_token
