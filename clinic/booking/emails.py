"""The emails a booking's changes send the client, each with an .ics file for their calendar.

They are sent after the change is committed (booking.py registers them with on_commit), so a
rolled-back booking, move or cancellation tells the client nothing. Times are in the clinic's
time zone.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from clinic.core.clinic_time import local
from clinic.core.models import ClinicSettings

from .calendar import client_ics
from .models import Appointment


def _visits(appointment_ids) -> list[Appointment]:
    return list(
        Appointment.objects.filter(pk__in=appointment_ids)
        .select_related("client", "therapist__user", "room", "service")
        .order_by("starts_at")
    )


def _send(appointments, template, subject, method, clinic, **context) -> None:
    client = appointments[0].client
    body = render_to_string(
        f"booking/email/{template}.txt",
        {
            "client": client,
            "clinic": clinic,
            "appointments": appointments,
            "zone": clinic.zone,
            "site_url": settings.SITE_URL,
            **context,
        },
    )
    message = EmailMessage(subject, body, to=[client.email])
    message.attach("appointment.ics", client_ics(appointments, method), "text/calendar")
    message.send()


def short_time(moment: datetime, zone) -> str:
    """`Tue Mar 10, 10:00` in the clinic's time, for a subject line."""
    wall = local(moment, zone)
    return f"{wall:%a %b} {wall.day}, {wall:%H:%M}"


def send_confirmation(appointment_ids) -> bool:
    """Email one client their booked visits (one or a series) with a calendar file.

    Returns False, sending nothing, when the client has no email address.
    """
    appointments = _visits(appointment_ids)
    if not appointments or not appointments[0].client.email:
        return False
    clinic = ClinicSettings.load()
    subject = (
        f"Your visit at {clinic.name} is booked"
        if len(appointments) == 1
        else f"Your {len(appointments)} visits at {clinic.name} are booked"
    )
    _send(appointments, "confirmation", subject, "PUBLISH", clinic)
    return True


def send_cancellation(appointment_id: int) -> bool:
    """Tell the client their visit is cancelled; the .ics (METHOD:CANCEL, the visit's UID)
    takes it out of their calendar. False, sending nothing, without an email address."""
    appointments = _visits([appointment_id])
    if not appointments or not appointments[0].client.email:
        return False
    clinic = ClinicSettings.load()
    visit = appointments[0]
    subject = f"Your visit on {short_time(visit.starts_at, clinic.zone)} is cancelled"
    booking_url = settings.SITE_URL + reverse("booking-online")
    _send(appointments, "cancelled", subject, "CANCEL", clinic, booking_url=booking_url)
    return True


def send_moved(appointment_id: int, *, old_starts_at: datetime) -> bool:
    """Tell the client their visit moved, old time and new; the .ics (METHOD:REQUEST, the
    visit's UID, a higher SEQUENCE) moves the entry in their calendar. False, sending
    nothing, without an email address."""
    appointments = _visits([appointment_id])
    if not appointments or not appointments[0].client.email:
        return False
    clinic = ClinicSettings.load()
    visit = appointments[0]
    old, new = short_time(old_starts_at, clinic.zone), short_time(visit.starts_at, clinic.zone)
    subject = f"Your visit moved: {old} → {new}"
    _send(appointments, "moved", subject, "REQUEST", clinic, old_starts_at=old_starts_at)
    return True
