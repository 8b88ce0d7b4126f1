"""The day and week grids are kept in the cache (clinic/booking/grid_cache.py): every change to
the schedule shows in the next render, and no viewer is shown another's copy."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking.booking import book, cancel, reschedule
from clinic.booking.grid_cache import CSRF_PLACEHOLDER
from clinic.booking.models import TimeOff
from clinic.core.clinic_time import local_date
from tests.booking.conftest import NOW, at, working_every_day
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db

DAY = "2026-03-10"
URL = f"/booking/day/?date={DAY}"


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def page(http, url=URL):
    response = http.get(url)
    assert response.status_code == 200
    return response.content.decode()


def card(html, visit):
    return html.split(f'data-visit="{visit.pk}"')[1].split("</article>")[0]


@pytest.fixture
def working(therapist, room):
    working_every_day(therapist, room, start=time(8), end=time(18))


def test_a_booking_a_move_and_a_cancellation_show_in_the_next_render(
    client_as, therapist, service, working
):
    desk = client_as(Role.FRONT_DESK)
    page(desk)  # kept
    visit = book(
        client=ClientFactory(last_name="Okafor"),
        therapist=therapist,
        service=service,
        starts_at=at(DAY, "10:00"),
        now=NOW,
    )
    html = page(desk)
    assert f'data-visit="{visit.pk}"' in html and "Okafor" in html
    reschedule(visit, starts_at=at(DAY, "14:00"), now=NOW)
    assert f'data-starts-at="{at(DAY, "14:00").isoformat()}"' in page(desk)
    cancel(visit, now=NOW)
    assert 'status-label">Cancelled' in card(page(desk), visit)
    assert f'data-visit="{visit.pk}"' not in page(desk, URL + "&show=active")


def test_a_changed_client_name_time_off_and_week_show_in_the_next_render(
    client_as, therapist, service, working
):
    desk = client_as(Role.FRONT_DESK)
    visit = AppointmentFactory(therapist=therapist, service=service, starts_at=at(DAY, "10:00"))
    week = f"/booking/week/?date={DAY}"
    page(desk), page(desk, week)
    visit.client.last_name = "Renamed"
    visit.client.save()
    assert "Renamed" in page(desk) and "Renamed" in page(desk, week)
    TimeOff.objects.create(
        therapist=therapist, starts_at=at(DAY, "15:00"), ends_at=at(DAY, "16:00"), reason="Dentist"
    )
    assert "Dentist" in page(desk)


def test_the_desk_and_a_therapist_never_share_a_copy(client_as, therapist, service, working):
    other = TherapistFactory(user__first_name="Ola")
    working_every_day(other, start=time(8), end=time(18))
    theirs = AppointmentFactory(therapist=other, service=service, starts_at=at(DAY, "10:00"))
    desk_card = card(page(client_as(Role.FRONT_DESK)), theirs)
    assert "Cancel" in desk_card and "Move" in desk_card
    # The therapist asks for the very same address: their copy has none of the desk's buttons.
    therapist_card = card(page(client_as(Role.THERAPIST)), theirs)
    assert "Cancel" not in therapist_card and "Move" not in therapist_card
    # And the desk's copy is still the desk's.
    assert "Cancel" in card(page(client_as(Role.FRONT_DESK)), theirs)


def test_each_viewer_gets_their_own_csrf_token(client_as, therapist, service, working):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at(DAY, "13:00"))
    html = page(client_as(Role.FRONT_DESK))
    assert 'name="csrfmiddlewaretoken"' in html and CSRF_PLACEHOLDER not in html
    again = page(client_as(Role.CLINIC_ADMIN))
    assert 'name="csrfmiddlewaretoken"' in again and CSRF_PLACEHOLDER not in again


def test_a_kept_grid_is_drawn_again_when_a_visit_starts(
    client_as, therapist, service, working, monkeypatch
):
    soon = NOW + timedelta(minutes=5)  # within the idle limit of the session
    visit = AppointmentFactory(therapist=therapist, service=service, starts_at=soon)
    desk, url = client_as(Role.FRONT_DESK), f"/booking/day/?date={local_date(NOW)}"
    assert "No-show" not in card(page(desk, url), visit)
    monkeypatch.setattr(timezone, "now", lambda: soon + timedelta(minutes=1))
    assert "No-show" in card(page(desk, url), visit)


def test_a_kept_grid_costs_fewer_queries_than_a_drawn_one(
    client_as, therapist, service, working, django_assert_max_num_queries
):
    for hour in (9, 11, 13):
        AppointmentFactory(
            therapist=therapist, service=service, starts_at=at(DAY, f"{hour:02d}:00")
        )
    desk = client_as(Role.FRONT_DESK)
    page(desk)
    with django_assert_max_num_queries(4):
        page(desk)
