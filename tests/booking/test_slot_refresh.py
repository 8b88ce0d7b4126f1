"""The free times refresh in place: htmx gets only them, a plain request the whole page."""

from datetime import time, timedelta

import pytest

from clinic.accounts.models import Role
from clinic.core.clinic_time import at_local, today
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def desk(client_as):
    return client_as(Role.FRONT_DESK)


@pytest.fixture
def day():
    return today() + timedelta(days=2)


@pytest.fixture
def booking_url(therapist, service, hours, day):
    query = f"client={ClientFactory().pk}&service={service.pk}&date={day.isoformat()}"
    return f"/booking/book/?{query}&therapist={therapist.pk}"


@pytest.fixture
def moving_url(therapist, service, hours, day):
    visit = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at_local(day, time(10))
    )
    return f"/booking/appointments/{visit.pk}/reschedule/?date={day.isoformat()}"


def is_only_the_free_times(html):
    return html.lstrip().startswith('<div id="slots">') and "<html" not in html


@pytest.mark.parametrize("page", ["booking_url", "moving_url"])
def test_htmx_gets_only_the_free_times(desk, page, request):
    response = desk.get(request.getfixturevalue(page), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert is_only_the_free_times(html) and ">14:00<" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("page", ["booking_url", "moving_url"])
def test_a_plain_request_gets_the_whole_page(desk, page, request):
    response = desk.get(request.getfixturevalue(page))
    html = response.content.decode()
    assert not is_only_the_free_times(html) and "<html" in html and ">14:00<" in html
    assert "HX-Request" in response["Vary"]


def test_the_back_button_restoring_history_gets_the_whole_page(desk, booking_url):
    response = desk.get(booking_url, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
