"""The desk offers any free time by hand, not only a freed slot: from the waitlist page or the
API, held, sent and answered like an automatic offer, and refused with a clear reason, changing
nothing, when the time is not free or the client could not book online."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import booking
from clinic.booking.models import Appointment, AppointmentStatus, Closure
from clinic.core.clinic_time import at_local, local
from clinic.reminders.offers import send_offer
from clinic.waitlist import offering
from clinic.waitlist.models import FreedReason, FreedSlot, Offer, OfferKind
from intake.services import submit_intake
from tests.factories import AppointmentFactory
from tests.intake.answers_fixtures import clear_answers

from .conftest import ten_am

pytestmark = pytest.mark.django_db


def form_time(moment):
    return local(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def offer_time(client_as, therapist):
    """Posts the desk's offer-a-time form for an entry, at a start (three days ahead at 10)."""

    def post(entry, starts_at=None, role=Role.FRONT_DESK):
        body = {
            "entry": entry.pk,
            "therapist": therapist.pk,
            "starts_at": form_time(starts_at or ten_am()),
        }
        return client_as(role).post(reverse("waitlist-offer-time"), body)

    return post


def test_the_desk_offers_a_free_time_and_it_is_sent_like_any_offer(
    offer_time, hours, waiting, therapist, mailoutbox, django_capture_on_commit_callbacks
):
    entry = waiting()
    with django_capture_on_commit_callbacks() as callbacks:
        response = offer_time(entry)
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.kind, offer.entry, offer.therapist, offer.starts_at) == (
        OfferKind.DESK,
        entry,
        therapist,
        ten_am(),
    )
    assert offer.slot.reason == FreedReason.DESK and offer.offered_by is not None
    assert len(callbacks) == 1  # the send task, once committed
    assert send_offer(offer.pk) == "sent" and len(mailoutbox) == 1


def test_the_client_books_the_desks_offer_from_its_link(offer_time, hours, waiting):
    entry = waiting()
    offer_time(entry)
    offer = Offer.objects.get()
    send_offer(offer.pk)
    answer = offering.accept(offer)
    assert answer.booked
    visit = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert (visit.client, visit.starts_at) == (entry.client, ten_am())
    assert FreedSlot.objects.get().filled_by == visit


def test_a_time_that_is_not_free_is_refused_with_the_reason(
    offer_time, hours, waiting, therapist, room, service
):
    entry = waiting()
    AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=ten_am())
    response = offer_time(entry, ten_am() + timedelta(minutes=30))
    assert response.status_code == 409
    assert "is already booked" in response.content.decode()
    assert not Offer.objects.exists() and not FreedSlot.objects.exists()


def test_a_time_outside_the_therapists_hours_is_refused(offer_time, hours, waiting):
    entry = waiting()
    response = offer_time(entry, at_local(timezone.localdate() + timedelta(days=3), time(21)))
    assert response.status_code == 409 and "does not work" in response.content.decode()
    assert not FreedSlot.objects.exists()


def test_a_closed_day_is_refused(offer_time, hours, waiting):
    entry = waiting()
    day = local(ten_am()).date()
    Closure.objects.create(first_day=day, last_day=day, reason="Civic")
    response = offer_time(entry)
    assert response.status_code == 409 and "closed that day" in response.content.decode()
    assert not FreedSlot.objects.exists()


def test_a_client_who_cannot_book_online_is_refused(offer_time, hours, waiting):
    entry = waiting()
    submit_intake(entry.client, clear_answers(saddle_numbness=True), None)  # now: refer
    response = offer_time(entry)
    assert response.status_code == 409 and "doctor should see" in response.content.decode()
    assert not Offer.objects.exists() and not FreedSlot.objects.exists()


def test_a_time_too_soon_to_hold_is_refused(offer_time, hours, waiting):
    entry = waiting()
    response = offer_time(entry, timezone.now() + timedelta(minutes=10))
    assert response.status_code == 400 and "minutes ahead" in response.content.decode()
    assert not Offer.objects.exists()


def test_an_open_freed_slot_at_that_time_is_offered_as_it_is(offer_time, visit, waiting):
    booking.cancel(visit, notify=False)
    entry = waiting()
    assert offer_time(entry).status_code == 302
    offer = Offer.objects.get()
    assert offer.slot == FreedSlot.objects.get() and offer.slot.reason == FreedReason.CANCELLED


def test_a_time_overlapping_an_open_freed_slot_is_refused(offer_time, visit, waiting):
    booking.cancel(visit, notify=False)
    entry = waiting()
    response = offer_time(entry, ten_am() + timedelta(minutes=30))
    assert response.status_code == 409 and "offer that time instead" in response.content.decode()
    assert FreedSlot.objects.count() == 1 and not Offer.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"entry": ""}, {"therapist": "999999"}, {"starts_at": "soon"}, {"starts_at": "9999-01-01"}],
)
def test_bad_input_offers_nothing(client_as, hours, waiting, therapist, change):
    entry = waiting()
    body = {"entry": entry.pk, "therapist": therapist.pk, "starts_at": form_time(ten_am())}
    response = client_as(Role.FRONT_DESK).post(reverse("waitlist-offer-time"), body | change)
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_a_free_time_from_the_day_view_fills_the_form(client_as, therapist, hours):
    start = ten_am()
    url = reverse("waitlist-desk")
    response = client_as(Role.FRONT_DESK).get(
        url, {"therapist": therapist.pk, "start": start.isoformat()}
    )
    page = response.content.decode()
    assert response.status_code == 200 and form_time(start) in page


def test_the_api_offers_a_free_time_and_refuses_a_taken_one(
    client_as, hours, waiting, therapist, room, service
):
    entry = waiting()
    http = client_as(Role.FRONT_DESK)
    url = reverse("api-waitlist-offer-time")
    body = {"entry": entry.pk, "therapist": therapist.pk, "starts_at": ten_am().isoformat()}
    response = http.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["kind"] == "desk"
    later = ten_am() + timedelta(hours=2)
    AppointmentFactory(therapist=therapist, room=room, service=service, starts_at=later)
    second = waiting()
    body = {"entry": second.pk, "therapist": therapist.pk, "starts_at": later.isoformat()}
    response = http.post(url, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "TIME_NOT_FREE"
    assert Offer.objects.count() == 1


def test_the_day_views_next_free_time_links_to_offering_it(client_as, therapist, hours, service):
    http = client_as(Role.FRONT_DESK)
    jump = http.get(reverse("booking-next-available"), {"service": service.pk})
    page = http.get(jump.url).content.decode()
    assert "Offer it from the waitlist" in page
    link = page.split('href="/waitlist/?')[1].split('"')[0].replace("&amp;", "&")
    desk = http.get(f"/waitlist/?{link}")
    assert desk.status_code == 200 and f'value="{therapist.pk}" selected' in desk.content.decode()
