"""Online booking when the clinic requires a card on file: the slot survives the trip to
Stripe, a client who walks away books nothing, a time taken meanwhile is said plainly."""

from datetime import time

import pytest

from clinic.accounts.models import Role
from clinic.booking.models import Appointment
from clinic.core.clinic_time import at_local
from clinic.core.models import ClinicSettings
from tests.billing.online_fixtures import stripe_on, through_stripe
from tests.booking.conftest import hours, room, service
from tests.booking.test_online import book_url, day
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db
__all__ = ["day", "hours", "room", "service", "stripe_on"]


@pytest.fixture
def card_required(db):
    clinic = ClinicSettings.load()
    clinic.require_card_for_online_booking = True
    clinic.save()


def start(http, service, therapist, day):
    """The client presses "Book this visit": billing asks for the card first."""
    response = http.post(book_url(service, therapist, day))
    assert response.status_code == 302 and response.url.startswith(f"/billing/book/{service.pk}/")
    return response.url


def test_booking_waits_for_a_card_then_books_the_chosen_time(
    client_as, a_client, therapist, service, hours, day, card_required, stripe_on
):
    http = client_as(Role.CLIENT)
    booking_page = http.get(book_url(service, therapist, day)).content.decode()
    assert "asks for a card on file to confirm an online booking" in booking_page
    ask = start(http, service, therapist, day)
    assert not Appointment.objects.exists()
    page = http.get(ask).content.decode()
    assert "Add a card with Stripe" in page and "Nothing is booked until" in page
    response = http.post("/billing/mine/card/", {"action": "add", "next": ask})
    back = http.get(through_stripe(stripe_on, response))
    assert back.url == ask  # the slot came back with the client
    assert "Visa •••• 4242" in http.get(ask).content.decode()
    done = http.post(ask)
    visit = Appointment.objects.get(client=a_client)
    assert done.url == f"/booking/online/visits/{visit.pk}/" and visit.self_booked


def test_a_client_who_leaves_stripes_page_books_nothing(
    client_as, a_client, therapist, service, hours, day, card_required, stripe_on
):
    http = client_as(Role.CLIENT)
    ask = start(http, service, therapist, day)
    http.post("/billing/mine/card/", {"action": "add", "next": ask})
    assert not Appointment.objects.exists()


def test_a_time_taken_while_the_client_was_at_stripe_is_said_plainly(
    client_as, a_client, therapist, service, hours, day, card_required, stripe_on
):
    http = client_as(Role.CLIENT)
    ask = start(http, service, therapist, day)
    http.get(through_stripe(stripe_on, http.post("/billing/mine/card/", {"action": "add"})))

    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(day, time(10)))
    response = http.post(ask, follow=True)
    assert "Sorry, that time cannot be booked" in response.content.decode()
    assert not Appointment.objects.filter(client=a_client).exists()


def test_a_client_with_a_card_confirms_in_one_step(
    client_as, a_client, therapist, service, hours, day, card_required, stripe_on
):
    http = client_as(Role.CLIENT)
    http.get(through_stripe(stripe_on, http.post("/billing/mine/card/", {"action": "add"})))
    ask = start(http, service, therapist, day)
    assert "Confirm the booking" in http.get(ask).content.decode()
    http.post(ask)
    assert Appointment.objects.filter(client=a_client).count() == 1


def test_without_a_gateway_the_setting_has_no_effect(
    client_as, a_client, therapist, service, hours, day, card_required, settings
):
    settings.PAYMENT_GATEWAY = "manual"
    client_as(Role.CLIENT).post(book_url(service, therapist, day))
    assert Appointment.objects.filter(client=a_client).exists()
