"""The client portal on a phone: move one visit, cancel another, and a visit past the cut-off
that says "call the clinic"; every control reached and pressed from the keyboard."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import working_every_day
from tests.browser.conftest import PHONE, log_in
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long_date(day):
    """A day as the clinic writes it (DATE_FORMAT): "Fri 4 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def test_a_client_moves_and_cancels_visits_from_their_phone(open_page, a_client, therapist):
    service = ServiceFactory(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=15)
    room = RoomFactory(name="Willow")
    working_every_day(therapist, room)
    first_day, second_day = today() + timedelta(days=3), today() + timedelta(days=5)
    scene = {"client": a_client, "therapist": therapist, "service": service, "room": room}
    moving = AppointmentFactory(**scene, starts_at=at_local(first_day, time(10)))
    cancelling = AppointmentFactory(**scene, starts_at=at_local(second_day, time(10)))
    soon = AppointmentFactory(
        **scene, starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(hours=5)
    )

    page = open_page(PHONE)
    log_in(page, a_client.user.email)
    expect(page.get_by_role("heading", name="Your upcoming visits")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator(f'a[href="/booking/my-visits/{soon.pk}/cancel/"]')).to_have_count(0)
    expect(page.get_by_text("please call the clinic")).to_be_visible()

    page.get_by_role("link", name=f"Move the visit on {long_date(first_day)}").press("Enter")
    new_day = first_day + timedelta(days=1)
    page.get_by_role("link", name=f"{new_day:%a} {new_day.day} {new_day:%b}").press("Enter")
    page.get_by_role("button", name=f"Move to {long_date(new_day)}, 14:00").press("Enter")
    expect(page.get_by_text("Your visit is moved from")).to_be_visible()

    page.get_by_role("link", name=f"Cancel the visit on {long_date(second_day)}").press("Enter")
    page.get_by_role("button", name="Yes, cancel this visit").press("Enter")
    expect(page.get_by_text("is cancelled")).to_be_visible()

    moving.refresh_from_db()
    assert moving.starts_at == at_local(new_day, time(14))
    assert Appointment.objects.get(pk=cancelling.pk).status == AppointmentStatus.CANCELLED
