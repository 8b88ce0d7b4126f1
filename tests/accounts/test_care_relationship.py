"""Who treats a client: a visit today or before, one booked within the clinic's care window,
or being their primary therapist. A booking far ahead opens nothing (issue 12, finding 4)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from clinic.accounts import roles
from clinic.accounts.models import Client, Therapist
from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import at_local, care_horizon, today
from clinic.core.models import CACHE_KEY, ClinicSettings
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_clinic_settings():
    """The settings row is cached for a minute: a window set here must not outlive the test."""
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


@pytest.fixture
def therapist_and_client():
    return TherapistFactory(), ClientFactory()


def book(client, therapist, starts_at, status=AppointmentStatus.BOOKED):
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        starts_at=starts_at.replace(microsecond=0),
        status=status,
        booked_at=timezone.now() - timedelta(minutes=1),
    )


def set_window(days):
    clinic = ClinicSettings.load()
    clinic.care_window_days = days
    clinic.save()


def treats(therapist, client):
    """Every side of the rule, which must agree: the detail checks, the lists, the reverse."""
    user = therapist.user
    answers = {
        roles.can_read_treatment(user, client),
        roles.can_write_treatment(user, client),
        client.is_treated_by(user),
        Client.objects.readable_by(user).filter(pk=client.pk).exists(),
        Therapist.objects.treating(client).filter(pk=therapist.pk).exists(),
    }
    assert len(answers) == 1, "the list rule and the detail checks disagree"
    return answers.pop()


def test_a_booking_made_a_minute_ago_for_next_month_gives_no_access(therapist_and_client):
    therapist, client = therapist_and_client
    book(client, therapist, timezone.now() + timedelta(days=30))

    assert not treats(therapist, client)


def test_a_visit_booked_within_seven_days_gives_access(therapist_and_client):
    therapist, client = therapist_and_client
    book(client, therapist, timezone.now() + timedelta(days=6))

    assert treats(therapist, client)


@pytest.mark.parametrize(
    "status", [AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED]
)
def test_a_past_visit_gives_access(therapist_and_client, status):
    therapist, client = therapist_and_client
    book(client, therapist, timezone.now() - timedelta(days=400), status)

    assert treats(therapist, client)


def test_a_visit_later_today_gives_access_even_with_no_window(therapist_and_client):
    therapist, client = therapist_and_client
    set_window(0)
    book(client, therapist, at_local(today(), datetime.max.time()) - timedelta(minutes=1))

    assert treats(therapist, client)


def test_a_cancelled_visit_gives_nothing_even_today(therapist_and_client):
    therapist, client = therapist_and_client
    book(client, therapist, timezone.now(), AppointmentStatus.CANCELLED)

    assert not treats(therapist, client)


@pytest.mark.parametrize(("window", "opens"), [(0, False), (3, False), (12, True), (60, True)])
def test_the_clinic_s_care_window_decides_how_far_ahead_a_booking_counts(
    therapist_and_client, window, opens
):
    therapist, client = therapist_and_client
    set_window(window)
    book(client, therapist, timezone.now() + timedelta(days=10))

    assert treats(therapist, client) is opens


def test_the_window_ends_with_the_clinic_day_not_the_hour(therapist_and_client):
    therapist, client = therapist_and_client
    last_day = today() + timedelta(days=7)
    book(client, therapist, at_local(last_day, datetime.max.time()) - timedelta(minutes=5))
    colleague, other = TherapistFactory(), ClientFactory()
    book(other, colleague, at_local(last_day + timedelta(days=1), datetime.min.time()))

    assert treats(therapist, client)
    assert not treats(colleague, other)


def test_today_is_the_clinic_s_day_not_utc_s():
    clinic = ClinicSettings.load()
    clinic.time_zone = "America/Toronto"
    clinic.care_window_days = 0
    clinic.save()
    # 23:00 on 9 March in Toronto is already 10 March in UTC.
    late_evening = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)

    assert care_horizon(late_evening) == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)


def test_the_primary_therapist_treats_their_client_without_a_visit():
    therapist = TherapistFactory()
    client = ClientFactory(primary_therapist=therapist)

    assert treats(therapist, client)


def test_a_therapist_booked_next_month_is_offered_to_break_the_glass(client, therapist_and_client):
    therapist, stranger = therapist_and_client
    book(stranger, therapist, timezone.now() + timedelta(days=30))
    client.force_login(therapist.user)

    page = client.get(reverse("treatment-record", args=[stranger.pk]))
    api = client.get(f"/api/clients/{stranger.pk}/progress/")

    assert page.status_code == 403
    assert reverse("break-glass", args=[stranger.pk]) in page.content.decode()
    assert api.status_code == 403
    assert api.json()["code"] == "not_treating"
    assert api.json()["break_glass"] == f"/api/clients/{stranger.pk}/break-glass/"


def test_the_readable_list_costs_the_same_queries_for_many_clients(
    django_assert_max_num_queries, therapist_and_client
):
    therapist, _ = therapist_and_client
    for days in range(-20, 20):
        book(ClientFactory(), therapist, timezone.now() + timedelta(days=days))
    ClinicSettings.load()

    with django_assert_max_num_queries(1):
        readable = list(Client.objects.readable_by(therapist.user))

    assert len(readable) == 28  # 20 past, today's and the 7 days ahead
