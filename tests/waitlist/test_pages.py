"""The waitlist's pages and API: the desk's view, adding and joining, the offer page and its
API answer, and bad input refused with nothing changed."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import booking
from clinic.reminders.offers import send_offer
from clinic.waitlist import links, offering
from clinic.waitlist.models import FreedSlot, Offer, OfferKind, OfferStatus, WaitlistEntry
from intake.services import submit_intake
from tests.factories import AppointmentFactory, ClientFactory
from tests.intake.answers_fixtures import clear_answers

from .conftest import ten_am

pytestmark = pytest.mark.django_db


def offered(visit, waiting):
    booking.cancel(visit, notify=False)
    return offering.offer_next(FreedSlot.objects.get().pk)


def test_the_desk_sees_entries_with_their_offers_and_todays_freed_slots(client_as, visit, waiting):
    entry = waiting()
    offered(visit, waiting)
    page = client_as(Role.FRONT_DESK).get(reverse("waitlist-desk"))
    text = page.content.decode()
    assert page.status_code == 200
    assert entry.client.full_name in text and "Offered" in text and "Freed today" in text


def test_the_desk_page_reads_a_long_waitlist_in_a_fixed_number_of_queries(
    client_as, waiting, therapist, room, service, hours, django_assert_max_num_queries
):
    for hour in range(8):
        waiting()
        visit = AppointmentFactory(
            therapist=therapist,
            room=room,
            service=service,
            starts_at=ten_am() + timedelta(hours=hour),
        )
        booking.cancel(visit, notify=False)
    for slot in FreedSlot.objects.all():
        offering.offer_next(slot.pk)
    http = client_as(Role.FRONT_DESK)
    with django_assert_max_num_queries(20):
        assert http.get(reverse("waitlist-desk")).status_code == 200


def test_the_desk_adds_a_client_to_the_waitlist(client_as, service, therapist):
    client = ClientFactory()
    response = client_as(Role.FRONT_DESK).post(
        reverse("waitlist-add", args=[client.pk]),
        {
            "service": service.pk,
            "therapists": [therapist.pk],
            "weekdays": ["0", "2"],
            "earliest": "09:00",
            "latest": "13:00",
        },
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.weekdays == [0, 2] and list(entry.therapists.all()) == [therapist]


@pytest.mark.parametrize(
    "bad",
    [
        {"weekdays": ["9"]},
        {"earliest": "14:00", "latest": "09:00"},
        {"earliest": "not a time"},
        {"service": "999999"},
        {"ends_on": "2001-01-01"},
    ],
)
def test_bad_input_adds_nothing_and_says_why(client_as, service, bad):
    data = {"service": service.pk, "weekdays": ["1"], "earliest": "09:00", "latest": "12:00"}
    response = client_as(Role.FRONT_DESK).post(
        reverse("waitlist-add", args=[ClientFactory().pk]), {**data, **bad}
    )
    assert response.status_code == 400 and not WaitlistEntry.objects.exists()


def test_a_client_joins_from_the_portal_but_not_when_screened_refer(client_as, a_client, service):
    data = {"service": service.pk, "weekdays": ["1"], "earliest": "09:00", "latest": "12:00"}
    http = client_as(Role.CLIENT)
    submit_intake(a_client, clear_answers(saddle_numbness=True), None)
    refused = http.post(reverse("waitlist-join"), data)
    assert refused.status_code == 400 and "doctor" in refused.content.decode()
    submit_intake(a_client, clear_answers(), None)
    assert http.post(reverse("waitlist-join"), data).status_code == 302
    assert WaitlistEntry.objects.get().client == a_client


def test_the_offer_page_changes_nothing_on_get_and_declines_on_post(client, visit, waiting):
    waiting(created_at=timezone.now() - timedelta(days=1))
    second = waiting()
    offer = offered(visit, waiting)
    url = reverse("waitlist-offer", args=[links.make_token(offer)])
    assert "Book it" in client.get(url).content.decode()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.OFFERED
    assert "let this time go" in client.post(url, {"answer": "decline"}).content.decode()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DECLINED
    assert offering.offer_next(offer.slot_id).entry == second


def test_a_forged_offer_link_is_refused(client):
    response = client.get(reverse("waitlist-offer", args=["forged"]))
    assert response.status_code == 400 and "cannot be used" in response.content.decode()


def test_the_desk_offers_an_open_time_by_hand(client_as, visit, waiting):
    booking.cancel(visit, notify=False)
    slot = FreedSlot.objects.get()
    entry = waiting()
    response = client_as(Role.FRONT_DESK).post(
        reverse("waitlist-offer-by-hand"), {"slot": slot.pk, "entry": entry.pk}
    )
    assert response.status_code == 302
    assert Offer.objects.get().kind == OfferKind.DESK


def test_a_client_joins_through_the_api_for_themselves_only(client_as, a_client, service):
    other = ClientFactory()
    response = client_as(Role.CLIENT).post(
        reverse("api-waitlist"),
        {
            "client": other.pk,
            "service": service.pk,
            "weekdays": [1, 3],
            "earliest": "09:00",
            "latest": "12:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert WaitlistEntry.objects.get().client == a_client


def test_the_api_answer_books_and_a_second_answer_is_told_it_is_gone(client, visit, waiting):
    waiting()
    offer = offered(visit, waiting)
    send_offer(offer.pk)
    url = reverse("api-waitlist-answer")
    body = {"token": links.make_token(offer), "answer": "accept"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200 and first.json()["booked"]
    again = client.post(url, {**body, "answer": "decline"}, content_type="application/json")
    assert again.status_code == 409


@pytest.mark.parametrize(
    "body", [{}, {"token": "x", "answer": "maybe"}, {"token": "forged", "answer": "accept"}]
)
def test_the_api_answer_refuses_bad_input(client, body):
    response = client.post(reverse("api-waitlist-answer"), body, content_type="application/json")
    assert response.status_code == 400


def test_the_desk_lists_offers_through_the_api(client_as, visit, waiting):
    waiting()
    offered(visit, waiting)
    response = client_as(Role.FRONT_DESK).get(reverse("api-waitlist-offers"), {"status": "offered"})
    assert response.status_code == 200 and response.json()["count"] == 1
    bad = client_as(Role.FRONT_DESK).get(reverse("api-waitlist-offers"), {"status": "nope"})
    assert bad.status_code == 400


def test_an_entry_window_must_end_after_it_starts(client_as, service):
    response = client_as(Role.FRONT_DESK).post(
        reverse("api-waitlist"),
        {
            "client": ClientFactory().pk,
            "service": service.pk,
            "weekdays": [1],
            "earliest": time(12).isoformat(),
            "latest": "09:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and not WaitlistEntry.objects.exists()


def test_the_client_page_shows_their_waitlist_and_the_desk_can_add_them(client_as, waiting):
    entry = waiting()
    url = reverse("client-detail", args=[entry.client.pk])
    page = client_as(Role.FRONT_DESK).get(url).content.decode()
    assert "Waitlist" in page and reverse("waitlist-add", args=[entry.client.pk]) in page
