"""The day view, the week view, a visit's page and the 'Today' sections on the home pages."""

import re
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Client, Role, Therapist, User
from clinic.booking.models import Appointment, AppointmentStatus, Room, Service, TimeOff
from clinic.core.clinic_time import at_local
from tests.booking.conftest import at
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


def page(http, url):
    response = http.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def fill_day(day, therapists=30, visits=500):
    """`visits` visits spread over `therapists` therapists, each with their own room."""
    service = Service.objects.create(name="Short", duration_minutes=30, buffer_minutes=15)
    users = User.objects.bulk_create(
        User(email=f"t{n}@tranquil.test", first_name=f"T{n}", role=Role.THERAPIST)
        for n in range(therapists)
    )
    staff = Therapist.objects.bulk_create(
        Therapist(user=u, calendar_token=f"token-{u.pk:040d}") for u in users
    )
    rooms = Room.objects.bulk_create(Room(name=f"R{n}") for n in range(therapists))
    clients = Client.objects.bulk_create(
        Client(first_name=f"C{n}", last_name="Load", email=f"c{n}@example.com")
        for n in range(visits)
    )
    for client in clients[::3]:
        submit(client)
    rows = []
    for n, client in enumerate(clients):
        t = n % therapists
        starts_at = at_local(day, time(7)) + timedelta(minutes=45 * (n // therapists))
        rows.append(
            Appointment(
                client=client,
                therapist=staff[t],
                room=rooms[t],
                service=service,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=30),
                busy_until=starts_at + timedelta(minutes=45),
                self_booked=n % 7 == 0,
            )
        )
    Appointment.objects.bulk_create(rows)


def test_the_day_view_of_30_therapists_and_500_visits_shows_a_page_of_12_in_fixed_queries(
    client_as, django_assert_max_num_queries
):
    day = date(2026, 3, 10)
    fill_day(day)
    http = client_as(Role.FRONT_DESK)
    with django_assert_max_num_queries(9):
        html = page(http, f"/booking/day/?date={day}")
    shown = re.findall(r'class="cal-lane" data-therapist="(\d+)"', html)
    assert len(shown) == 12
    assert html.count('class="visit visit-booked placed') == (
        Appointment.objects.filter(therapist__in=shown).count()
    )
    assert "Therapists 1–12 of 31" in html  # the 30, and the fixtures' therapist


def test_the_last_page_of_therapists_shows_the_rest_and_every_visit_has_its_lane(client_as):
    day = date(2026, 3, 10)
    fill_day(day)
    http = client_as(Role.FRONT_DESK)
    pages = [page(http, f"/booking/day/?date={day}&page={n}") for n in (1, 2, 3)]
    assert [html.count('class="cal-lane"') for html in pages] == [12, 12, 7]
    assert sum(html.count('class="visit visit-booked placed') for html in pages) == 500
    assert sum(html.count('data-outcome="clear"') for html in pages) == 167
    assert "Therapists 25–31 of 31" in pages[2]
    assert "Next therapists" not in pages[2]


@pytest.mark.parametrize("number", ["0", "99", "x", "-1"])
def test_a_page_of_therapists_out_of_range_shows_the_nearest_page(client_as, number):
    day = date(2026, 3, 10)
    fill_day(day, therapists=13, visits=13)
    html = page(client_as(Role.FRONT_DESK), f"/booking/day/?date={day}&page={number}")
    assert html.count('class="cal-lane"') in (12, 2)


def test_the_day_view_shows_each_visit_with_its_screening_badge_and_online_mark(
    client_as, therapist, service
):
    clear = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00")
    )
    submit(clear.client)
    refer = AppointmentFactory(
        service=service,
        starts_at=at("2026-03-10", "10:00"),
        self_booked=True,
        refer_override_reason="GP letter",
    )
    submit(refer.client, saddle_numbness=True)
    AppointmentFactory(
        service=service, starts_at=at("2026-03-10", "12:00"), status=AppointmentStatus.CANCELLED
    )
    html = page(client_as(Role.FRONT_DESK), "/booking/day/?date=2026-03-10&show=active")
    assert 'data-outcome="clear"' in html and 'data-outcome="refer"' in html
    assert "booked despite refer" in html and ">online<" in html
    assert html.count('class="visit ') == 2  # the cancelled visit is filtered out
    assert "10:00–11:00" in html


def test_the_day_view_shows_hours_and_time_off(client_as, therapist, hours):
    TimeOff.objects.create(
        therapist=therapist,
        starts_at=at("2026-03-10", "13:00"),
        ends_at=at("2026-03-10", "15:00"),
        reason="Dentist",
    )
    html = page(client_as(Role.FRONT_DESK), "/booking/day/?date=2026-03-10")
    assert "09:00–17:00" in html and "(Dentist)" in html


def test_a_bad_date_shows_today(client_as):
    html = page(client_as(Role.FRONT_DESK), "/booking/day/?date=yesterday")
    assert timezone.localdate().strftime("%b %Y") in html


def test_the_week_view_opens_on_the_therapists_own_week(client_as, therapist, service):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at("2026-03-12", "10:00"))
    AppointmentFactory(service=service, starts_at=at("2026-03-12", "11:00"))
    html = page(client_as(Role.THERAPIST), "/booking/week/?date=2026-03-12")
    assert "week of 9 Mar 2026" in html
    assert html.count('class="visit ') == 1
    assert "Thu 12 Mar" in html


def test_the_week_view_across_the_fall_back_change_puts_visits_on_their_local_day(
    client_as, therapist, service
):
    late = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-11-01", "23:30")
    )
    html = page(
        client_as(Role.FRONT_DESK), f"/booking/week/?therapist={therapist.pk}&date=2026-11-01"
    )
    sunday = html.split('data-day="2026-11-01"')[1]
    assert f'data-visit="{late.pk}"' in sunday
    assert "23:30" in sunday


def test_the_visit_page_names_everything_the_front_desk_needs(client_as, service):
    visit = AppointmentFactory(service=service, cancellation_reason="")
    html = page(client_as(Role.FRONT_DESK), f"/booking/appointments/{visit.pk}/")
    assert visit.client.full_name in html and service.name in html
    assert "needs to fill in the form" in html
    assert "Move" in html and "Cancel" in html


def test_the_front_desk_home_lists_todays_visits_with_badges(client_as, service):
    visit = AppointmentFactory(service=service, starts_at=timezone.now())
    submit(visit.client, anticoagulants=True)
    AppointmentFactory(service=service, starts_at=timezone.now() + timedelta(days=2))
    html = page(client_as(Role.FRONT_DESK), "/desk/")
    today = html.split('id="today"')[1].split("</section>")[0]
    assert visit.client.full_name in today
    assert today.count("<tr>") == 2  # the header and one visit
    assert 'data-outcome="precautions"' in today
    assert "/booking/day/" in html


def test_the_therapist_home_lists_only_their_own_visits_today(client_as, therapist, service):
    mine = AppointmentFactory(therapist=therapist, service=service, starts_at=timezone.now())
    theirs = AppointmentFactory(service=service, starts_at=timezone.now())
    today = (
        page(client_as(Role.THERAPIST), "/therapist/").split('id="today"')[1].split("</section>")[0]
    )
    assert mine.client.full_name in today
    assert theirs.client.full_name not in today


def test_the_therapist_home_opens_the_note_of_a_checked_in_visit_in_one_tap(
    client_as, therapist, service
):
    visit = AppointmentFactory(therapist=therapist, service=service, starts_at=timezone.now())
    note_url = reverse("note-for-appointment", kwargs={"appointment_id": visit.pk})
    assert note_url not in page(client_as(Role.THERAPIST), "/therapist/")
    visit.status = AppointmentStatus.CHECKED_IN
    visit.save()
    assert note_url in page(client_as(Role.THERAPIST), "/therapist/")


def test_a_therapist_with_a_booked_visit_treats_the_client(therapist, service):
    client = ClientFactory()
    assert not client.is_treated_by(therapist.user)
    visit = AppointmentFactory(client=client, therapist=therapist, service=service)
    assert client.is_treated_by(therapist.user)
    assert list(client.therapists()) == [therapist]
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    assert not client.is_treated_by(therapist.user)
    assert list(client.therapists()) == []


def test_the_primary_therapist_and_visit_therapists_are_listed_once_each(therapist, service):
    other = TherapistFactory()
    client = ClientFactory(primary_therapist=therapist)
    AppointmentFactory(client=client, therapist=therapist, service=service)
    AppointmentFactory(
        client=client, therapist=other, service=service, starts_at=at("2026-03-10", "10:00")
    )
    assert sorted(t.pk for t in client.therapists()) == sorted([therapist.pk, other.pk])


@pytest.mark.parametrize(("role", "can_book"), [(Role.FRONT_DESK, True), (Role.THERAPIST, False)])
def test_the_client_page_lists_their_visits(client_as, a_client, service, role, can_book):
    coming = AppointmentFactory(client=a_client, service=service)
    past = AppointmentFactory(
        client=a_client,
        service=service,
        starts_at=timezone.now() - timedelta(days=9),
        status=AppointmentStatus.COMPLETED,
    )
    html = page(client_as(role), f"/clients/{a_client.pk}/")
    visits = html.split('id="visits"')[1].split("</section>")[0]
    assert f"/booking/appointments/{coming.pk}/" in visits
    assert f"/booking/appointments/{past.pk}/" in visits
    assert ("Book a visit" in visits) is can_book


def test_the_week_view_pages_through_therapists_six_at_a_time(client_as):
    day = date(2026, 3, 10)
    fill_day(day, therapists=13, visits=26)
    http = client_as(Role.FRONT_DESK)
    first = page(http, f"/booking/week/?date={day}&therapist=")
    last = page(http, f"/booking/week/?date={day}&therapist=&page=3")
    for html, per_day in [(first, 6), (last, 2)]:
        days = html.count('<section class="cal-day"')
        assert days >= 1
        assert html.count('class="cal-lane"') == per_day * days
    assert "Therapists 1–6 of 14" in first and "Therapists 13–14 of 14" in last
