"""Requests racing each other through real PostgreSQL transactions: one wins, the others get a
clear answer (never a 500), and one row is stored."""

import json
import threading
from datetime import time, timedelta

import pytest
from django.db import connection, connections
from django.test import Client as HttpClient
from django.utils.http import urlencode

from clinic.accounts.models import Client, Role, User
from clinic.booking.availability import Slot
from clinic.booking.forms import slot_value
from clinic.core.clinic_time import at_local, today
from sessions.models import SessionNote
from tests.booking.conftest import working_every_day
from tests.factories import ClientFactory, RoomFactory, ServiceFactory, TherapistFactory
from tests.treatment.conftest import screened, visit

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need real transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(count, request):
    """Send `request(http)` from `count` threads at once, each with its own test client and
    database connection; the status codes, in no particular order."""
    barrier = threading.Barrier(count)
    statuses = []

    def attempt():
        try:
            http = HttpClient(raise_request_exception=False)  # a 500 is an answer here
            barrier.wait(timeout=30)
            statuses.append(request(http).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(statuses)


def test_twenty_notes_started_at_once_for_one_visit_store_one():
    therapist = TherapistFactory()
    client = ClientFactory(primary_therapist=therapist)
    screened(client)
    appointment = visit(client, therapist)
    body = json.dumps({"appointment": appointment.pk})

    def start(http):
        http.force_login(therapist.user)
        return http.post("/api/notes/", body, content_type="application/json")

    assert race(20, start) == [201] + [409] * 19
    assert SessionNote.objects.filter(appointment=appointment).count() == 1


def test_ten_registrations_with_one_email_make_one_account():
    therapist = TherapistFactory()
    service = ServiceFactory(duration_minutes=60)
    working_every_day(therapist, RoomFactory())
    starts_at = at_local(today() + timedelta(days=2), time(10))
    slot = slot_value(Slot(starts_at, starts_at, therapist.pk, 0))
    url = f"/booking/online/{service.pk}/register/?{urlencode({'slot': slot})}"
    person = {
        "first_name": "Rosa",
        "last_name": "Ng",
        "email": "rosa@example.com",
        "phone": "+1 647 555 0199",
        "password": "a long enough secret 42",
    }

    statuses = race(10, lambda http: http.post(url, person))
    # Every one answers with a redirect: the winner to the booked visit, the others to the
    # same "check your email" page an address with an account gets (no 500, nothing said).
    assert statuses == [302] * 10
    assert User.objects.filter(email="rosa@example.com").count() == 1
    assert Client.objects.filter(email="rosa@example.com").count() == 1


def test_ten_invitations_for_one_address_at_once_store_one_account():
    admin = User.objects.create_user(
        email="racer-admin@tranquil.test", password="x-Long-enough-9", role=Role.CLINIC_ADMIN
    )
    body = {"first_name": "Ann", "last_name": "Once", "email": "once@tranquil.test"}
    body["role"] = Role.FRONT_DESK

    def invite(http):
        http.force_login(admin)
        return http.post("/api/manage/staff/", body, content_type="application/json")

    statuses = race(10, invite)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 400}, statuses
    assert User.objects.filter(email="once@tranquil.test").count() == 1
