"""A waiting client, on a phone, books a freed time from the link in the offer they were sent."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.booking import booking
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import at_local
from clinic.core.models import ClinicSettings
from clinic.reminders.offers import send_offer
from clinic.waitlist import joining, offering
from clinic.waitlist.models import FreedSlot
from tests.browser.conftest import PHONE
from tests.factories import (
    AppointmentFactory,
    ClientWithLoginFactory,
    RoomFactory,
    ServiceFactory,
    WorkingHoursFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_on_a_phone_books_an_offered_time_from_its_link(open_page, therapist, mailoutbox):
    clinic = ClinicSettings.load()
    clinic.quiet_hours_start = clinic.quiet_hours_end = time(0)
    clinic.save()
    room = RoomFactory(name="Willow")
    service = ServiceFactory(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=0)
    for weekday in range(7):
        WorkingHoursFactory(therapist=therapist, weekday=weekday, start_time=time(8), room=room)
    starts_at = at_local(timezone.localdate() + timedelta(days=3), time(10))
    visit = AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=starts_at)
    waiting = ClientWithLoginFactory(first_name="Rosa")
    joining.join(
        client=waiting,
        service=service,
        weekdays=list(range(7)),
        earliest=time(8),
        latest=time(17),
        by=None,
    )
    booking.cancel(visit, notify=False)
    offer = offering.offer_next(FreedSlot.objects.get().pk)
    send_offer(offer.pk)
    (message,) = mailoutbox
    path = re.search(r"https?://[^/\s]+(/waitlist/offer/\S+)", message.body).group(1)

    page = open_page(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("A time has opened for you")
    page.get_by_role("button", name="Book it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booked")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    booked = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert booked.client == waiting and booked.starts_at == starts_at
