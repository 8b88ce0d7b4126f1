"""The frame every page shares works from the keyboard and on a phone, and one core journey
(the desk logs in, finds a client and books a visit) needs nothing but Tab, arrows and Enter."""

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from clinic.booking.models import Appointment
from clinic.core.clinic_time import local, today
from tests.booking.conftest import working_every_day
from tests.browser.conftest import DESKTOP, PHONE, TABLET, log_in
from tests.factories import ClientFactory, RoomFactory, ServiceFactory
from tests.treatment.conftest import screened, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a screen reader would call the focused element: its label, aria-label or text.
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return (label || el.getAttribute("aria-label") || el.textContent || el.value || "").trim();
}"""


def press_until(page, key, name, limit=60):
    """Press `key` until the focused element's name starts with `name`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_NAME).startswith(name):
            return
    raise AssertionError(f"{key} never reached {name!r}; stuck at {page.evaluate(FOCUSED_NAME)!r}")


def test_the_first_tab_offers_a_skip_link_that_jumps_to_the_content(open_page, front_desk_user):
    page = open_page(DESKTOP)
    log_in(page, front_desk_user.email)
    skip = page.get_by_role("link", name="Skip to content")
    # On a loaded machine the first Tab could land before the page has finished loading.
    expect(skip).to_be_attached()
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


def test_the_focus_ring_is_thick_and_the_current_page_is_marked(open_page, front_desk_user):
    page = open_page(DESKTOP)
    log_in(page, front_desk_user.email)
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Front desk")).to_have_attribute("aria-current", "page")
    expect(menu.locator("[aria-current]")).to_have_count(1)
    press_until(page, "Tab", "Clients")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline == ["solid", "3px"]


def test_the_phone_menu_is_a_button_that_opens_and_closes_the_links(open_page, front_desk_user):
    page = open_page(PHONE)
    log_in(page, front_desk_user.email)
    button = page.get_by_role("button", name="Menu")
    clients = page.get_by_role("link", name="Clients")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(clients).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(clients).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    assert page.get_by_role("checkbox").count() == 0


def test_without_javascript_the_phone_menu_stays_open(browser, live_server, front_desk_user):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, front_desk_user.email)
        expect(page.get_by_role("link", name="Clients")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    finally:
        context.close()


def test_a_tapped_body_map_region_is_named_on_the_picture(open_page, a_client, therapist):
    screened(a_client)
    appointment = visit(a_client, therapist)
    page = open_page(TABLET)
    log_in(page, therapist.user.email)
    page.goto(f"/treatment/appointments/{appointment.pk}/note/")
    region = page.locator('.body-map-svg .region[data-region="gluteus_maximus_left"]')
    region.click()
    name = page.locator(".body-map-svg .region-name")
    expect(name).to_be_visible()
    expect(name).to_have_text(region.locator("title").text_content())


def test_the_desk_books_a_visit_with_the_keyboard_alone(open_page, front_desk_user, therapist):
    service = ServiceFactory(name="Gluteal release", duration_minutes=60, buffer_minutes=15)
    working_every_day(therapist, RoomFactory(name="Willow"))
    client = ClientFactory(first_name="Keya", last_name="Marlow")
    day = today() + timedelta(days=3)
    page = open_page(DESKTOP)
    page.goto("/accounts/login/")

    press_until(page, "Tab", "Email")
    page.keyboard.type(front_desk_user.email)
    press_until(page, "Tab", "Password")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/desk/$"))

    press_until(page, "Tab", "Clients")
    page.keyboard.press("Enter")
    expect(page.get_by_role("searchbox")).to_be_focused()  # autofocus
    page.keyboard.type("Marlow")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Keya Marlow")).to_be_visible()
    press_until(page, "Tab", "Book")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book Keya Marlow")

    press_until(page, "Tab", "Service")
    page.keyboard.type(service.name)
    press_until(page, "Tab", "Therapist")
    page.keyboard.type(therapist.name)
    press_until(page, "Tab", "Date")
    page.keyboard.type(day.strftime("%m%d%Y"))
    press_until(page, "Tab", "Show free times")
    page.keyboard.press("Enter")
    expect(page.locator("#slots legend")).to_contain_text("Free times on")
    press_until(page, "Tab", "09:00")
    press_until(page, "ArrowRight", "10:00")
    press_until(page, "Tab", "Book")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("Booked Keya Marlow")
    booked = Appointment.objects.get(client=client)
    assert (booked.service, booked.therapist) == (service, therapist)
    assert local(booked.starts_at).replace(tzinfo=None) == datetime.combine(day, time(10))
