"""The availability API's kept answers (clinic/booking/free_cache.py): a booking, time off, a
closure or a change of who offers the service shows in the next answer, and a slot whose
start has passed is never offered."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from clinic.booking import booking
from clinic.booking.models import Closure, TimeOff
from clinic.core.clinic_time import at_local, local_date, today
from tests.booking.conftest import working_every_day
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def start():
    return at_local(today() + timedelta(days=2), time(9))


@pytest.fixture
def ask(client, service, start):
    def ask(**extra):
        query = {
            "service": service.pk,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=8)).isoformat(),
            **extra,
        }
        response = client.get("/api/availability/", query)
        assert response.status_code == 200
        return {(s["start"], s["therapist"]) for s in response.json()}

    return ask


def iso(moment):
    return timezone.localtime(moment).isoformat()


def test_a_booking_and_its_cancellation_show_in_the_next_answer(
    ask, therapist, service, hours, start
):
    assert (iso(start), therapist.pk) in ask()  # kept
    visit = booking.book(
        client=ClientFactory(), therapist=therapist, service=service, starts_at=start
    )
    assert (iso(start), therapist.pk) not in ask()
    booking.cancel(visit, notify=False)
    assert (iso(start), therapist.pk) in ask()


def test_time_off_a_closure_and_who_offers_the_service_show_in_the_next_answer(
    ask, therapist, service, hours, start
):
    other = TherapistFactory()
    working_every_day(other)
    assert {t for _, t in ask()} == {therapist.pk, other.pk}
    TimeOff.objects.create(therapist=therapist, starts_at=start, ends_at=start + timedelta(hours=1))
    assert (iso(start), therapist.pk) not in ask()
    service.therapists.set([other])
    assert {t for _, t in ask()} == {other.pk}
    day = local_date(start)
    Closure.objects.create(first_day=day, last_day=day, reason="Holiday")
    assert ask() == set()


def test_a_kept_answer_never_offers_a_start_that_has_passed(
    ask, therapist, hours, start, monkeypatch
):
    assert (iso(start), therapist.pk) in ask()
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=1))
    found = ask()
    assert found and (iso(start), therapist.pk) not in found
    assert all(slot_start > iso(start) for slot_start, _ in found)
