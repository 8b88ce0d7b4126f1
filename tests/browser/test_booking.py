"""Booking in a real browser: the front desk books a series around a clash; a client on a phone."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from clinic.booking.models import Appointment
from clinic.booking.series import series_starts
from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import working_every_day
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import AppointmentFactory, ClientFactory, RoomFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(therapist):
    """A service, and the therapist working every day 9 to 5 in their room."""
    service = ServiceFactory(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=15)
    working_every_day(therapist, RoomFactory(name="Willow"))
    return service


def test_the_front_desk_registers_a_client_and_books_a_weekly_series_around_a_clash(
    open_page, front_desk_user, therapist, scene
):
    day = today() + timedelta(days=2)
    third_week = series_starts(at_local(day, time(10)), 1, 6)[2]
    AppointmentFactory(therapist=therapist, service=scene, starts_at=third_week)
    page = open_page(DESKTOP)
    log_in(page, front_desk_user.email)

    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Register a new client").first.click()
    page.get_by_label("First name").fill("Hana")
    page.get_by_label("Last name").fill("Sato")
    page.get_by_label("Phone").fill("+1 416 555 4321")
    page.get_by_label("Email:", exact=True).fill("hana@example.com")
    page.get_by_role("button", name="Register and book").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book Hana Sato")

    page.get_by_label("Service").select_option(label=scene.name)
    page.get_by_label("Therapist").select_option(label=therapist.name)
    page.get_by_label("Date").fill(day.isoformat())
    # htmx swaps in the free times of the chosen day.
    expect(page.locator("#slots legend")).to_contain_text(f"{day.day} {day:%b %Y}")
    slots = page.locator(f'.slots[data-therapist="{therapist.pk}"]')
    slots.get_by_label("10:00", exact=True).check()
    page.get_by_label("Repeat").select_option(label="Every week")
    page.get_by_label("Number of visits in the series").fill("6")
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page.get_by_text("1 of them clashes")).to_be_visible()
    expect(page.locator("[data-occurrence]")).to_have_count(6)
    clash = page.locator('[data-occurrence="3"]')
    expect(clash).to_contain_text("Clash:")
    expect(clash).to_contain_text("is already booked")
    clash.get_by_label("Skip").check()
    page.get_by_role("button", name="Book the chosen visits").click()

    result = page.locator("section", has_text="Booked 5 visits")
    expect(result).to_contain_text("skipped visit 3")
    page.get_by_role("link", name="Open the day view").click()
    expect(page).to_have_url(re.compile(rf"/booking/day/\?date={day.isoformat()}&lane=\d+$"))
    visit = page.locator(".visit", has_text="Hana Sato")
    expect(visit).to_contain_text("10:00–11:00")
    expect(visit.locator('[data-outcome="missing"]')).to_be_visible()
    assert Appointment.objects.filter(client__email="hana@example.com").count() == 5


def test_a_new_client_books_a_slot_on_a_phone(open_page, therapist, scene):
    day = today() + timedelta(days=2)
    page = open_page(PHONE)
    page.goto("/booking/online/")
    page.get_by_role("link", name=re.compile(scene.name)).click()
    page.locator(f'a.day-chip[href*="date={day.isoformat()}"]').click()
    expect(page.get_by_role("heading", name=re.compile("Free times on"))).to_contain_text(
        f"{day.day} {day:%b %Y}"
    )
    page.get_by_role("link", name="10:00", exact=True).click()

    expect(page.get_by_text(therapist.name)).to_be_visible()
    page.get_by_label("First name").fill("Leo")
    page.get_by_label("Last name").fill("Park")
    page.get_by_label("Email").fill("leo@example.com")
    page.get_by_label("Phone").fill("+1 647 555 0111")
    page.get_by_label("Password").fill("a long enough secret 42")
    page.get_by_role("button", name="Register and book").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are booked")
    expect(page.get_by_role("status")).to_contain_text("at 10:00")
    expect(page.get_by_text("One more step: your health form")).to_be_visible()
    visit = Appointment.objects.get(client__email="leo@example.com")
    assert visit.self_booked and visit.starts_at == at_local(day, time(10))


def test_a_taken_time_on_a_phone_offers_the_nearest_free_times(open_page, therapist, scene):
    day = today() + timedelta(days=2)
    page = open_page(PHONE)
    page.goto(f"/booking/online/{scene.pk}/?therapist=any&date={day.isoformat()}")
    AppointmentFactory(
        therapist=therapist,
        service=scene,
        client=ClientFactory(),
        starts_at=at_local(day, time(10)),
    )
    page.get_by_role("link", name="10:00", exact=True).click()
    page.get_by_label("First name").fill("Mia")
    page.get_by_label("Last name").fill("Roy")
    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Phone").fill("+1 647 555 0112")
    page.get_by_label("Password").fill("a long enough secret 42")
    page.get_by_role("button", name="Register and book").click()
    expect(page.get_by_role("status")).to_contain_text("just taken")
    page.get_by_role("link", name=re.compile("11:15")).click()
    page.get_by_role("button", name="Book this visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are booked")


def test_the_plans_series_is_offered_and_one_press_fills_it_in_without_losing_the_time(
    open_page, front_desk_user, therapist, scene
):
    from tests.treatment.conftest import make_plan, screened

    client = ClientFactory(first_name="Ines", last_name="Roth")
    screened(client)
    make_plan(client, therapist, frequency_weeks=1, visits_planned=6)
    day = today() + timedelta(days=2)
    page = open_page(DESKTOP)
    log_in(page, front_desk_user.email)
    page.goto(
        f"/booking/book/?client={client.pk}&service={scene.pk}"
        f"&therapist={therapist.pk}&date={day.isoformat()}"
    )
    expect(page.get_by_label("Repeat")).to_have_value("0")
    slots = page.locator(f'.slots[data-therapist="{therapist.pk}"]')
    slots.get_by_label("10:00", exact=True).check()
    page.get_by_role("link", name="Book the plan's series: every week × 6").click()
    expect(page.get_by_label("Repeat")).to_have_value("1")
    expect(page.get_by_label("Number of visits in the series")).to_have_value("6")
    expect(slots.get_by_label("10:00", exact=True)).to_be_checked()
