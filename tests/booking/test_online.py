"""Clients booking themselves online, and therapists' private calendar feeds."""

from datetime import time, timedelta

import pytest
from django.utils.http import urlencode

from clinic.accounts.models import Client, Role, User
from clinic.booking.availability import Slot
from clinic.booking.forms import slot_value
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import at_local, today
from intake.models import Clearance
from tests.factories import AppointmentFactory, ClientFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return today() + timedelta(days=2)


def book_url(service, therapist, day, wall="10:00"):
    starts_at = at_local(day, time.fromisoformat(wall))
    value = slot_value(Slot(starts_at, starts_at, therapist.pk, 0))
    return f"/booking/online/{service.pk}/book/?{urlencode({'slot': value})}"


def register_url(service, therapist, day, wall="10:00"):
    return book_url(service, therapist, day, wall).replace("/book/", "/register/")


NEW_CLIENT = {
    "first_name": "Rosa",
    "last_name": "Ng",
    "email": "rosa@example.com",
    "phone": "+1 647 555 0199",
    "password": "a long enough secret 42",
}


def test_the_public_page_lists_services_and_free_times(client, therapist, service, hours, day):
    assert service.name in client.get("/booking/online/").content.decode()
    html = client.get(f"/booking/online/{service.pk}/?therapist=any&date={day}").content.decode()
    assert ">10:00<" in html and ">10:15<" not in html  # every half hour online
    assert therapist.name in html


def test_a_new_client_registers_gets_the_intake_link_and_is_booked(
    client, therapist, service, hours, day, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(service, therapist, day), NEW_CLIENT)
    visit = Appointment.objects.get()
    assert response.status_code == 302 and response.url == f"/booking/online/visits/{visit.pk}/"
    person = Client.objects.get(email="rosa@example.com")
    assert (visit.client, visit.self_booked, visit.booked_by) == (person, True, person.user)
    assert person.user.role == Role.CLIENT
    subjects = sorted(m.subject for m in mailoutbox)
    assert any("health form" in s for s in subjects) and any("is booked" in s for s in subjects)
    done = client.get(response.url).content.decode()
    assert "You are booked" in done and "health form" in done


def test_registration_with_bad_input_books_nothing(client, therapist, service, hours, day):
    response = client.post(register_url(service, therapist, day), {**NEW_CLIENT, "password": "123"})
    assert response.status_code == 400
    assert not User.objects.filter(email="rosa@example.com").exists()
    assert not Appointment.objects.exists()


def test_an_email_with_an_account_is_told_to_check_their_email_and_its_owner_gets_one(
    client, therapist, service, hours, day, client_user, mailoutbox
):
    # The same answer as for a client on file: the form never says an account exists.
    response = client.post(
        register_url(service, therapist, day), {**NEW_CLIENT, "email": client_user.email}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Check your email" in page and f"We have emailed {client_user.email}" in page
    assert "already have an account" not in page
    assert [m.to for m in mailoutbox] == [[client_user.email]]
    assert User.objects.filter(email__iexact=client_user.email).count() == 1
    assert not Appointment.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_client_the_clinic_already_has_proves_their_email_before_getting_a_login(
    client, therapist, service, hours, day, mailoutbox
):
    known = ClientFactory(email="rosa@example.com")
    response = client.post(register_url(service, therapist, day), NEW_CLIENT)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Check your email" in page and "We have emailed rosa@example.com" in page
    known.refresh_from_db()
    assert known.user is not None and not known.user.check_password(NEW_CLIENT["password"])
    assert "/accounts/reset/" in mailoutbox[0].body
    assert not Appointment.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_returning_client_is_asked_to_log_in_then_books(
    client_as, therapist, service, hours, day, a_client
):
    url = book_url(service, therapist, day)
    anonymous = client_as(None).get(url).content.decode()
    assert "Log in to book" in anonymous and "Register and book" in anonymous
    http = client_as(Role.CLIENT)
    assert "Book this visit" in http.get(url).content.decode()
    http.post(url)
    assert Appointment.objects.get(client=a_client).self_booked


@pytest.mark.parametrize(
    ("answers", "cleared", "told_to_call"),
    [
        ({"saddle_numbness": True}, False, True),
        ({"pregnant": True, "pregnancy_weeks": 20}, False, True),
        ({"pregnant": True, "pregnancy_weeks": 20}, True, False),
        ({}, False, False),
    ],
    ids=["refer", "uncleared-clearance", "cleared", "clear"],
)
def test_refer_and_uncleared_clearance_are_told_to_call_the_clinic(
    client_as, therapist, service, hours, day, a_client, answers, cleared, told_to_call
):
    submit(a_client, **answers)
    if cleared:
        Clearance.objects.create(client=a_client, provider_name="Dr Lee", cleared_on=today())
    http = client_as(Role.CLIENT)
    url = book_url(service, therapist, day)
    html = http.get(url).content.decode()
    assert ("Please call us to book" in html) is told_to_call
    http.post(url)
    assert Appointment.objects.filter(client=a_client).exists() is not told_to_call


def test_a_time_taken_a_moment_earlier_offers_the_nearest_free_times(
    client_as, therapist, service, hours, day, a_client
):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(day, time(10)))
    response = client_as(Role.CLIENT).post(book_url(service, therapist, day))
    html = response.content.decode()
    assert response.status_code == 200
    assert "just taken" in html and "nearest free times" in html
    assert "11:15" in html and "08:45" not in html
    assert not Appointment.objects.filter(client=a_client).exists()


def test_an_unreadable_slot_goes_back_to_the_list(client, service):
    response = client.get(f"/booking/online/{service.pk}/book/?slot=yesterday")
    assert response.status_code == 302 and f"/booking/online/{service.pk}/" in response.url


def test_the_client_sees_only_their_own_booked_visit(client_as, service):
    visit = AppointmentFactory(service=service)
    assert client_as(Role.CLIENT).get(f"/booking/online/visits/{visit.pk}/").status_code == 404


def test_the_calendar_feed_lists_the_therapists_visits_with_first_names_only(
    client, therapist, service
):
    visit = AppointmentFactory(
        therapist=therapist,
        service=service,
        client=ClientFactory(first_name="Ivy", last_name="Moss"),
    )
    AppointmentFactory(service=service, starts_at=visit.starts_at)
    AppointmentFactory(
        therapist=therapist,
        service=service,
        status=AppointmentStatus.CANCELLED,
        starts_at=visit.starts_at + timedelta(hours=2),
    )
    response = client.get(f"/booking/calendar/{therapist.calendar_token}.ics")
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar"
    assert body.count("BEGIN:VEVENT") == 2
    assert "Ivy M." in body and "Moss" not in body
    assert "STATUS:CANCELLED" in body


def test_a_new_feed_address_revokes_the_old_one(client_as, therapist):
    old = f"/booking/calendar/{therapist.calendar_token}.ics"
    http = client_as(Role.THERAPIST)
    assert http.get(old).status_code == 200
    http.post(f"/booking/therapists/{therapist.pk}/calendar/regenerate/")
    therapist.refresh_from_db()
    assert http.get(old).status_code == 404
    assert http.get(f"/booking/calendar/{therapist.calendar_token}.ics").status_code == 200
    assert therapist.calendar_token in http.get("/booking/calendar/").content.decode()


def test_a_therapist_cannot_revoke_a_colleagues_feed(client_as, therapist):
    from tests.factories import TherapistFactory

    other = TherapistFactory()
    token = other.calendar_token
    assert (
        client_as(Role.THERAPIST)
        .post(f"/booking/therapists/{other.pk}/calendar/regenerate/")
        .status_code
        == 403
    )
    other.refresh_from_db()
    assert other.calendar_token == token


@pytest.mark.parametrize(("chose", "first"), [("any", "09:30"), ("therapist", "11:15")])
def test_the_nearest_times_keep_to_the_therapist_the_client_chose(
    client_as, therapist, service, hours, day, a_client, chose, first
):
    from tests.booking.conftest import working_every_day
    from tests.factories import RoomFactory, TherapistFactory

    working_every_day(TherapistFactory(), RoomFactory(name="Cedar"))
    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(day, time(10)))
    chosen = "any" if chose == "any" else therapist.pk
    url = f"{book_url(service, therapist, day)}&with={chosen}"
    html = client_as(Role.CLIENT).post(url).content.decode()
    options = html.split('class="slots"')[1].split("</div>")[0]
    # Another therapist is free around 10:00 itself; the chosen one only from 11:15.
    assert f", {first} ·" in options.split("</a>")[0]
    assert (", 10:00 ·" in options) is (chose == "any")
