"""The client's own visits from their portal: cancel or move online up to the clinic's cut-off,
and online booking's minimum notice."""

from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking import self_service
from clinic.booking.availability import Slot
from clinic.booking.forms import slot_value
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.booking.self_service import OnlineCutoffPassed
from clinic.core.clinic_time import at_local, local_date, today
from clinic.core.models import CACHE_KEY, ClinicSettings
from tests.factories import AppointmentFactory, ClientWithLoginFactory

from .conftest import working_every_day
from .test_online import book_url

pytestmark = pytest.mark.django_db


def visit_in(a_client, therapist, service, room, hours_ahead):
    return AppointmentFactory(
        client=a_client,
        therapist=therapist,
        service=service,
        room=room,
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours_ahead),
    )


@pytest.fixture(autouse=True)
def fresh_settings():
    """The settings row as this test's database holds it, not a copy cached by another test."""
    cache.delete(CACHE_KEY)


def settings(**values):
    clinic, _ = ClinicSettings.objects.get_or_create(pk=1)
    for name, value in values.items():
        setattr(clinic, name, value)
    clinic.phone = "+1 416 555 0100"
    clinic.save()


def test_a_client_cancels_online_before_the_cut_off(client_as, a_client, therapist, service, room):
    visit = visit_in(a_client, therapist, service, room, hours_ahead=72)
    response = client_as(Role.CLIENT).post(f"/booking/my-visits/{visit.pk}/cancel/")
    assert response.status_code == 302 and response.url == "/me/"
    visit.refresh_from_db()
    assert (visit.status, visit.late_cancellation) == (AppointmentStatus.CANCELLED, False)
    assert visit.cancelled_by == a_client.user


def test_cancelling_inside_24_hours_but_before_a_shorter_cut_off_is_flagged_late(
    client_as, a_client, therapist, service, room
):
    settings(online_cancel_cutoff_hours=4)
    visit = visit_in(a_client, therapist, service, room, hours_ahead=6)
    page = client_as(Role.CLIENT).get(f"/booking/my-visits/{visit.pk}/cancel/").content.decode()
    assert "late cancellation" in page
    client_as(Role.CLIENT).post(f"/booking/my-visits/{visit.pk}/cancel/")
    visit.refresh_from_db()
    assert (visit.status, visit.late_cancellation) == (AppointmentStatus.CANCELLED, True)


def test_past_the_cut_off_the_portal_says_call_the_clinic_and_refuses_a_post(
    client_as, a_client, therapist, service, room
):
    settings()
    visit = visit_in(a_client, therapist, service, room, hours_ahead=10)
    http = client_as(Role.CLIENT)
    home = http.get("/me/").content.decode()
    assert visit.service.name in home
    assert f"/booking/my-visits/{visit.pk}/cancel/" not in home
    assert "please call the clinic" in home and "tel:+14165550100" in home
    for action in ("cancel", "reschedule"):
        later = visit.starts_at + timedelta(days=2)
        response = http.post(
            f"/booking/my-visits/{visit.pk}/{action}/",
            {"slot": slot_value(Slot(later, later, therapist.pk, room.pk))},
        )
        assert response.status_code == 409
        assert "call the clinic" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED and visit.cancelled_at is None


def test_the_api_holds_a_client_to_the_same_cut_off(client_as, a_client, therapist, service, room):
    visit = visit_in(a_client, therapist, service, room, hours_ahead=10)
    response = client_as(Role.CLIENT).post(
        f"/api/appointments/{visit.pk}/cancel/", {}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "ONLINE_CUTOFF_PASSED"
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


def test_a_client_moves_a_visit_to_a_free_time(
    client_as, a_client, therapist, service, room, hours
):
    day = today() + timedelta(days=3)
    visit = AppointmentFactory(
        client=a_client,
        therapist=therapist,
        service=service,
        room=room,
        starts_at=at_local(day, time(10)),
    )
    http = client_as(Role.CLIENT)
    new_day = today() + timedelta(days=4)
    page = http.get(f"/booking/my-visits/{visit.pk}/reschedule/?date={new_day}").content.decode()
    new_start = at_local(new_day, time(14))
    wanted = slot_value(Slot(new_start, new_start, therapist.pk, room.pk))
    assert f'value="{wanted}"' in page
    response = http.post(f"/booking/my-visits/{visit.pk}/reschedule/", {"slot": wanted})
    assert response.status_code == 302 and response.url == "/me/"
    visit.refresh_from_db()
    assert (visit.starts_at, visit.status) == (new_start, AppointmentStatus.BOOKED)


def test_moving_to_a_taken_time_answers_with_the_nearest_free_times(
    client_as, a_client, therapist, service, room, hours
):
    day = today() + timedelta(days=3)
    visit = AppointmentFactory(
        client=a_client,
        therapist=therapist,
        service=service,
        room=room,
        starts_at=at_local(day, time(10)),
    )
    taken = at_local(day + timedelta(days=1), time(14))
    AppointmentFactory(therapist=therapist, service=service, room=room, starts_at=taken)
    response = client_as(Role.CLIENT).post(
        f"/booking/my-visits/{visit.pk}/reschedule/",
        {"slot": slot_value(Slot(taken, taken, therapist.pk, room.pk))},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "just taken" in html and "nearest free times" in html and "15:15" in html
    visit.refresh_from_db()
    assert visit.starts_at == at_local(day, time(10))


def test_a_client_cannot_touch_another_clients_visit(client_as, a_client, therapist, service, room):
    theirs = visit_in(ClientWithLoginFactory(), therapist, service, room, hours_ahead=72)
    http = client_as(Role.CLIENT)
    assert http.get(f"/booking/my-visits/{theirs.pk}/cancel/").status_code == 404
    assert http.post(f"/booking/my-visits/{theirs.pk}/cancel/").status_code == 404
    assert http.get(f"/booking/my-visits/{theirs.pk}/reschedule/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.BOOKED


@pytest.fixture
def at_16_19(monkeypatch):
    """The clinic's clocks show 16:19, two days from now."""
    moment = at_local(today() + timedelta(days=2), time(16, 19))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def test_online_booking_at_16_19_offers_nothing_before_the_minimum_notice(
    client, therapist, service, room, at_16_19
):
    working_every_day(therapist, room, end=time(21))
    day = local_date(at_16_19)
    html = client.get(f"/booking/online/{service.pk}/?therapist=any&date={day}").content.decode()
    assert ">16:30<" not in html and ">18:00<" not in html
    assert ">18:30<" in html


def test_without_a_minimum_notice_16_30_is_offered(client, therapist, service, room, at_16_19):
    settings(online_min_notice_hours=0)
    working_every_day(therapist, room, end=time(21))
    html = client.get(
        f"/booking/online/{service.pk}/?therapist=any&date={local_date(at_16_19)}"
    ).content.decode()
    assert ">16:30<" in html


def test_a_posted_time_inside_the_notice_is_refused_in_plain_words(
    client_as, a_client, therapist, service, room, at_16_19
):
    working_every_day(therapist, room, end=time(21))
    url = book_url(service, therapist, local_date(at_16_19), "16:30")
    response = client_as(Role.CLIENT).post(url)
    assert "at least 2 hours ahead" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_service_refuses_a_late_online_change_with_its_rule_code(
    a_client, therapist, service, room
):
    visit = visit_in(a_client, therapist, service, room, hours_ahead=10)
    with pytest.raises(OnlineCutoffPassed) as refused:
        self_service.cancel_online(visit, by=a_client.user)
    assert refused.value.code == "ONLINE_CUTOFF_PASSED" and refused.value.status == 409
    assert Appointment.objects.get(pk=visit.pk).status == AppointmentStatus.BOOKED


def test_a_client_booking_through_the_api_keeps_the_minimum_notice(
    client_as, a_client, therapist, service, room, at_16_19
):
    working_every_day(therapist, room, end=time(21))
    start = at_local(local_date(at_16_19), time(17))
    response = client_as(Role.CLIENT).post(
        "/api/appointments/",
        {"therapist": therapist.pk, "service": service.pk, "start": start.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "ONLINE_MIN_NOTICE"
    assert not Appointment.objects.exists()
