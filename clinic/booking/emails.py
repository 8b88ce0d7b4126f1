"""The booking confirmation email, sent after the booking is committed, with an .ics file."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from clinic.core.models import ClinicSettings

from .calendar import client_ics
from .models import Appointment


def send_confirmation(appointment_ids) -> bool:
    """Email one client their booked visits (one or a series) with a calendar file.

    Returns False, sending nothing, when the client has no email address.
    """
    appointments = list(
        Appointment.objects.filter(pk__in=appointment_ids)
        .select_related("client", "therapist__user", "room", "service")
        .order_by("starts_at")
    )
    if not appointments or not appointments[0].client.email:
        return False
    client = appointments[0].client
    clinic = ClinicSettings.load()
    body = render_to_string(
        "booking/email/confirmation.txt",
        {
            "client": client,
            "clinic": clinic,
            "appointments": appointments,
            "zone": clinic.zone,
            "site_url": settings.SITE_URL,
        },
    )
    subject = (
        f"Your visit at {clinic.name} is booked"
        if len(appointments) == 1
        else f"Your {len(appointments)} visits at {clinic.name} are booked"
    )
    message = EmailMessage(subject, body, to=[client.email])
    message.attach("appointment.ics", client_ics(appointments), "text/calendar")
    message.send()
    return True
