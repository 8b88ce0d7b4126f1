"""Sessions end after the clinic's idle minutes (staff), a longer idle time (clients) and an
absolute cap, with a warning page-side and a keep-alive."""

import time

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.core.models import CACHE_KEY, ClinicSettings
from clinic.signin.sessions import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

MINUTE = 60


def age_session(http, *, idle=0, since_sign_in=None):
    """Pretend the last request was `idle` seconds ago and sign-in `since_sign_in` ago."""
    session = http.session
    now = time.time()
    session[LAST_SEEN] = now - idle
    session[SIGNED_IN_AT] = now - (idle if since_sign_in is None else since_sign_in)
    session.save()


def test_a_staff_member_idle_past_the_clinic_limit_is_sent_to_sign_in_with_a_message(client_as):
    desk = client_as(Role.FRONT_DESK)
    age_session(desk, idle=16 * MINUTE)

    response = desk.get(reverse("front-desk-home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in desk.session
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("signed out because nothing happened" in m for m in shown)


def test_activity_within_the_idle_limit_keeps_the_session_and_restarts_the_clock(client_as):
    desk = client_as(Role.FRONT_DESK)
    age_session(desk, idle=14 * MINUTE)

    assert desk.get(reverse("front-desk-home")).status_code == 200
    assert time.time() - desk.session[LAST_SEEN] < 5
    assert desk.get(reverse("front-desk-home")).status_code == 200


@pytest.fixture
def clinic_settings():
    """The clinic's row, its cached copy forgotten after the test (the cache outlives it)."""
    yield ClinicSettings.load()
    cache.delete(CACHE_KEY)


def test_the_idle_limit_is_the_clinics_setting(client_as, clinic_settings):
    clinic_settings.staff_idle_minutes = 5
    clinic_settings.save()
    therapist = client_as(Role.THERAPIST)
    age_session(therapist, idle=6 * MINUTE)

    response = therapist.get(reverse("therapist-home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_clients_portal_session_may_sit_idle_longer(client_as, settings):
    settings.CLIENT_SESSION_IDLE_MINUTES = 60
    client = client_as(Role.CLIENT)
    age_session(client, idle=30 * MINUTE)
    assert client.get(reverse("client-home")).status_code == 200

    age_session(client, idle=61 * MINUTE)
    assert client.get(reverse("client-home")).status_code == 302


@pytest.mark.parametrize("role", [Role.CLINIC_ADMIN, Role.CLIENT])
def test_the_absolute_cap_ends_a_session_even_while_it_is_busy(client_as, role, settings):
    settings.SESSION_MAX_HOURS = 12
    http = client_as(role)
    age_session(http, idle=10, since_sign_in=12 * 60 * MINUTE + 1)

    response = http.get(reverse("home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("limit of hours" in m for m in shown)


def test_an_ended_session_answers_the_api_with_401(client_as):
    desk = client_as(Role.FRONT_DESK)
    age_session(desk, idle=16 * MINUTE)

    response = desk.get(reverse("api-me"))

    assert response.status_code == 401
    assert response.json()["code"] == "SESSION_ENDED"


def test_keep_alive_restarts_the_idle_clock_and_says_how_long_is_left(client_as):
    desk = client_as(Role.FRONT_DESK)
    age_session(desk, idle=14 * MINUTE)

    response = desk.post(reverse("session-keep-alive"))

    assert response.status_code == 200
    assert 14 * MINUTE < int(response.content) <= 15 * MINUTE
    assert time.time() - desk.session[LAST_SEEN] < 5


def test_keep_alive_after_the_session_ended_signs_nobody_in(client_as):
    desk = client_as(Role.FRONT_DESK)
    age_session(desk, idle=16 * MINUTE)

    assert desk.post(reverse("session-keep-alive")).status_code == 302
    assert "_auth_user_id" not in desk.session


def test_pages_carry_the_warning_dialog_and_its_timer_for_signed_in_users_only(client_as):
    desk = client_as(Role.FRONT_DESK)
    page = desk.get(reverse("front-desk-home")).content.decode()
    assert 'data-session-seconds="' in page
    assert 'role="alertdialog"' in page
    assert "js/session-timeout.js" in page

    login_page = client_as(None).get(reverse("login")).content.decode()
    assert "data-session-seconds" not in login_page
    assert 'role="alertdialog"' not in login_page
