"""Front-desk pages: find and register clients, book once or as a series, move, cancel, check in."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Client, Role
from clinic.booking.availability import Slot
from clinic.booking.forms import slot_value
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.booking.series import series_starts
from clinic.core.clinic_time import at_local, local, today
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory
from tests.intake.test_status import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client_as):
    return client_as(Role.FRONT_DESK)


@pytest.fixture
def day():
    return today() + timedelta(days=2)


def slot(therapist, day, wall="10:00"):
    starts_at = at_local(day, time.fromisoformat(wall))
    return slot_value(Slot(starts_at, starts_at, therapist.pk, 0))


def book_form(client, service, therapist, day, wall="10:00", **extra):
    return {
        "client": client.pk,
        "service": service.pk,
        "date": day.isoformat(),
        "slot": slot(therapist, day, wall),
        "repeat": "0",
        "count": "6",
        **extra,
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("wilhel", True),
        ("Stroud Wil", True),
        ("416-555-7788", True),
        ("5557788", True),
        ("w.stroud@EXAMPLE", True),
        ("nobody", False),
    ],
)
def test_the_front_desk_finds_a_client_by_name_phone_or_email(desk, query, found):
    ClientFactory(
        first_name="Wilhelmina",
        last_name="Stroud",
        phone="+1 (416) 555 7788",
        email="w.stroud@example.com",
    )
    ClientFactory(first_name="Other", last_name="Person", phone="+1 416 555 0000")
    html = desk.get("/booking/clients/", {"q": query}).content.decode()
    assert ("Wilhelmina Stroud" in html) is found
    assert "Other Person" not in html


def test_search_results_show_the_screening_badge_and_the_next_visit(desk, service):
    visit = AppointmentFactory(service=service, client=ClientFactory(last_name="Quincey"))
    submit(visit.client, osteoporosis=True)
    html = desk.get("/booking/clients/", {"q": "Quincey"}).content.decode()
    assert 'data-outcome="clearance"' in html
    assert local(visit.starts_at).strftime("%-d %b %Y") in html


def test_registering_a_client_emails_the_intake_link_and_opens_booking(
    desk, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            "/booking/clients/new/",
            {
                "first_name": "Nora",
                "last_name": "Quill",
                "phone": "+1 416 555 1212",
                "email": "nora@example.com",
                "preferred_channel": "email",
                "send_intake_link": "on",
            },
        )
    client = Client.objects.get(email="nora@example.com")
    assert response.status_code == 302
    assert response.url == f"/booking/book/?client={client.pk}"
    assert client.created_by.role == Role.FRONT_DESK
    assert [m.to for m in mailoutbox] == [["nora@example.com"]]
    assert "/intake/fill/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "taken@example.com"}, "already registered"),
        ({"email": "", "phone": ""}, "phone number or an email"),
        ({"email": "", "send_intake_link": "on"}, "goes by email"),
        ({"first_name": ""}, "This field is required"),
    ],
)
def test_registration_refuses_bad_input_and_stores_nothing(desk, data, error):
    ClientFactory(email="taken@example.com")
    form = {
        "first_name": "Nora",
        "last_name": "Quill",
        "phone": "+1 416 555 1212",
        "email": "new@example.com",
        "preferred_channel": "email",
        **data,
    }
    before = Client.objects.count()
    response = desk.post("/booking/clients/new/", form)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Client.objects.count() == before


def test_the_booking_page_lists_free_times_for_the_chosen_day(desk, therapist, service, hours, day):
    client = ClientFactory()
    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(day, time(10)))
    html = desk.get(
        "/booking/book/",
        {
            "client": client.pk,
            "service": service.pk,
            "therapist": therapist.pk,
            "date": day.isoformat(),
        },
    ).content.decode()
    assert 'name="slot"' in html
    # The 10:00 visit keeps 10:00-11:15 busy: a new hour with its buffer must end by 10:00.
    assert ">09:00<" not in html and ">11:00<" not in html and ">11:15<" in html
    assert 'data-outcome="missing"' in html and "No intake that counts" in html


def test_the_booking_page_opened_for_a_client_asks_for_nothing_yet(desk, service):
    html = desk.get("/booking/book/", {"client": ClientFactory().pk}).content.decode()
    assert "This field is required" not in html and 'aria-invalid="true"' not in html


def test_booking_one_visit_goes_to_its_day_view(desk, therapist, service, hours, day):
    client = ClientFactory()
    response = desk.post("/booking/book/", book_form(client, service, therapist, day))
    assert response.status_code == 302
    assert response.url == f"/booking/day/?date={day.isoformat()}&lane={therapist.pk}"
    visit = Appointment.objects.get(client=client)
    assert (visit.therapist, visit.starts_at, visit.self_booked) == (
        therapist,
        at_local(day, time(10)),
        False,
    )


def test_a_clash_on_the_booking_page_names_it_and_books_nothing(
    desk, therapist, service, hours, day
):
    AppointmentFactory(therapist=therapist, service=service, starts_at=at_local(day, time(10, 30)))
    response = desk.post("/booking/book/", book_form(ClientFactory(), service, therapist, day))
    assert response.status_code == 409
    html = response.content.decode()
    assert "That time is not free" in html and "is already booked" in html
    assert Appointment.objects.count() == 1


def test_booking_a_refer_client_asks_for_the_reason_on_the_form(
    desk, therapist, service, hours, day
):
    client = ClientFactory()
    submit(client, fever_or_unwell=True)
    response = desk.post("/booking/book/", book_form(client, service, therapist, day))
    assert response.status_code == 400
    assert "type why the visit is booked anyway" in response.content.decode()
    desk.post(
        "/booking/book/",
        book_form(
            client, service, therapist, day, refer_override_reason="Physician cleared by phone"
        ),
    )
    assert (
        Appointment.objects.get(client=client).refer_override_reason == "Physician cleared by phone"
    )


def test_a_weekly_series_shows_every_visit_and_its_clash_before_booking(
    desk, therapist, service, hours, day
):
    client = ClientFactory()
    third = series_starts(at_local(day, time(10)), 1, 6)[2]
    AppointmentFactory(therapist=therapist, service=service, starts_at=third)
    response = desk.post("/booking/book/", book_form(client, service, therapist, day, repeat="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-occurrence=") == 6
    assert "1 of them clashes" in html and "Clash:" in html
    assert not Appointment.objects.filter(client=client).exists()


def series_post(client, service, therapist, day, **choices):
    first = at_local(day, time(10))
    return {
        "client": client.pk,
        "service": service.pk,
        "therapist": therapist.pk,
        "first": first.isoformat(),
        "every": "1",
        "count": "6",
        **choices,
    }


def test_the_front_desk_books_the_free_weeks_and_skips_the_clash(
    desk, therapist, service, hours, day
):
    client = ClientFactory()
    starts = series_starts(at_local(day, time(10)), 1, 6)
    AppointmentFactory(therapist=therapist, service=service, starts_at=starts[2])
    choices = {f"choice-{n}": "book" for n in (1, 2, 4, 5, 6)}
    moved = starts[2] + timedelta(hours=3)
    response = desk.post(
        "/booking/series/",
        series_post(client, service, therapist, day, **choices, **{"choice-3": moved.isoformat()}),
        follow=True,
    )
    assert response.status_code == 200
    assert "Booked 6 visits" in response.content.decode()
    booked = list(Appointment.objects.filter(client=client).values_list("starts_at", flat=True))
    assert moved in booked and starts[2] not in booked
    response = desk.post(
        "/booking/series/",
        series_post(
            ClientFactory(),
            service,
            TherapistFactory(),
            day,
            **{f"choice-{n}": "skip" for n in range(1, 7)},
        ),
        follow=True,
    )
    assert "Booked 0 visits" in response.content.decode()


def test_the_series_confirmation_is_a_page_of_its_own_so_a_refresh_books_nothing(
    desk, therapist, service, hours, day
):
    client = ClientFactory()
    choices = {f"choice-{n}": "book" for n in range(1, 7)}
    response = desk.post(
        "/booking/series/", series_post(client, service, therapist, day, **choices)
    )
    assert response.status_code == 302
    assert response.url == "/booking/series/done/"
    for _ in range(2):  # the confirmation, then a refresh of it
        page = desk.get(response.url)
        assert page.status_code == 200
        assert "Booked 6 visits" in page.content.decode()
    assert Appointment.objects.filter(client=client).count() == 6


def test_a_clash_left_undecided_is_asked_again_not_dropped(desk, therapist, service, hours, day):
    client = ClientFactory()
    starts = series_starts(at_local(day, time(10)), 1, 6)
    AppointmentFactory(therapist=therapist, service=service, starts_at=starts[2])
    choices = {f"choice-{n}": "book" for n in range(1, 7)}  # "book" is no answer for a clash
    response = desk.post(
        "/booking/series/", series_post(client, service, therapist, day, **choices)
    )
    assert response.status_code == 400
    assert "Choose what to do with visit 3" in response.content.decode()
    assert not Appointment.objects.filter(client=client).exists()


def test_moving_a_visit_from_its_page(desk, therapist, service, hours, day):
    visit = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at_local(day, time(10))
    )
    form = desk.get(f"/booking/appointments/{visit.pk}/reschedule/").content.decode()
    assert ">14:00<" in form
    response = desk.post(
        f"/booking/appointments/{visit.pk}/reschedule/", {"slot": slot(therapist, day, "14:00")}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.starts_at == at_local(day, time(14))


def test_cancelling_warns_and_flags_a_late_cancellation(desk, service):
    visit = AppointmentFactory(service=service, starts_at=timezone.now() + timedelta(hours=3))
    assert (
        "late cancellation"
        in desk.get(f"/booking/appointments/{visit.pk}/cancel/").content.decode()
    )
    desk.post(f"/booking/appointments/{visit.pk}/cancel/", {"reason": "Car broke down"})
    visit.refresh_from_db()
    assert (visit.status, visit.late_cancellation, visit.cancellation_reason) == (
        AppointmentStatus.CANCELLED,
        True,
        "Car broke down",
    )


def test_checking_in_and_no_show_from_the_day_view(desk, service):
    arriving = AppointmentFactory(service=service, starts_at=timezone.now())
    missing = AppointmentFactory(service=service, starts_at=timezone.now() - timedelta(minutes=5))
    desk.post(f"/booking/appointments/{arriving.pk}/check-in/", {"next": "/booking/day/"})
    response = desk.post(f"/booking/appointments/{missing.pk}/no-show/")
    arriving.refresh_from_db()
    missing.refresh_from_db()
    assert (arriving.status, missing.status) == (
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.NO_SHOW,
    )
    assert response.url.startswith("/booking/day/?date=")


def test_a_refused_change_is_told_on_the_page_and_changes_nothing(desk, service):
    visit = AppointmentFactory(service=service, starts_at=timezone.now() + timedelta(days=3))
    response = desk.post(f"/booking/appointments/{visit.pk}/check-in/", follow=True)
    assert "checked in on its day" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


def test_a_therapist_marks_their_own_visit_done_but_not_a_colleagues(client_as, therapist, service):
    http = client_as(Role.THERAPIST)
    mine = AppointmentFactory(
        therapist=therapist, service=service, status=AppointmentStatus.CHECKED_IN
    )
    theirs = AppointmentFactory(service=service, status=AppointmentStatus.CHECKED_IN)
    http.post(f"/booking/appointments/{mine.pk}/complete/")
    assert http.post(f"/booking/appointments/{theirs.pk}/complete/").status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (
        AppointmentStatus.COMPLETED,
        AppointmentStatus.CHECKED_IN,
    )


def test_an_unsafe_next_address_is_ignored(desk, service):
    visit = AppointmentFactory(service=service, starts_at=timezone.now())
    response = desk.post(
        f"/booking/appointments/{visit.pk}/check-in/", {"next": "https://evil.example/"}
    )
    assert response.url.startswith("/booking/day/")


def planned_client(therapist):
    from tests.treatment.conftest import make_plan, screened

    client = ClientFactory()
    screened(client)
    make_plan(client, therapist, frequency_weeks=2, visits_planned=8)
    return client


def test_the_booking_form_offers_the_plans_series_but_books_once_by_default(desk, therapist):
    client = planned_client(therapist)
    html = desk.get("/booking/book/", {"client": client.pk}).content.decode()
    assert "every 2 weeks, 8 visits" in html
    assert "Book the plan's series: every 2 weeks × 8" in html
    assert '<option value="0" selected>Just this visit</option>' in html
    assert '<option value="2" selected>' not in html


def test_taking_the_offer_fills_in_the_plans_series(desk, therapist):
    client = planned_client(therapist)
    html = desk.get("/booking/book/", {"client": client.pk, "series": "plan"}).content.decode()
    assert '<option value="2" selected>Every 2 weeks</option>' in html
    assert 'name="count" value="8"' in html
