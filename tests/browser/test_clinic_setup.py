"""Issue 14's "done when": a new clinic set up from an empty database through Tranquil's own
screens alone. The first admin (from `bootstrap_clinic`) sets their password from the printed
link, names the clinic, adds a room and a service with a price, invites a therapist and a front
desk colleague (each sets a password from the emailed link), gives the therapist split hours
with a break, and the desk books the clinic's first visit."""

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from clinic.accounts.models import Role, User
from clinic.booking.models import Appointment, Service, WorkingHours
from clinic.core.clinic_time import local, today
from clinic.core.models import ClinicSettings
from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, TABLET
from tests.browser.journey import finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WELCOME = re.compile(r"https?://[^/\s]+(/welcome/\S+/)")


def flash(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def set_password(page, path, password):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Set my password").click()
    flash(page, "Your password is set")


def invite(page, first, last, email, role):
    page.goto("/manage/")
    page.get_by_role("link", name="Staff", exact=True).first.click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Role").select_option(label=role)
    page.get_by_role("button", name="Send the invitation").click()
    flash(page, f"Invitation sent to {email}")
    [message] = [m for m in mail.outbox if m.to == [email]]
    return WELCOME.search(message.body).group(1)


def test_a_new_clinic_is_set_up_from_its_own_screens_and_books_its_first_visit(
    open_page, journey_screenshots
):
    assert not User.objects.exists()
    printed = StringIO()
    call_command("bootstrap_clinic", "owner@riverside.test", "--first-name", "Ana", stdout=printed)
    admin = open_page(DESKTOP)
    set_password(admin, WELCOME.search(printed.getvalue()).group(1), "owner-sets-up-2026")
    expect(admin).to_have_url(re.compile("/manage/$"))

    # The clinic's name and tax, on the settings screen (24-hour times, plain inputs).
    admin.get_by_role("link", name="Clinic settings").click()
    admin.get_by_label("Name:", exact=True).fill("Riverside Massage")
    admin.get_by_label("Tax number:", exact=True).fill("12345 6789 RT0001")
    expect(admin.get_by_label("Quiet hours start")).to_have_attribute("type", "time")
    assert serious_violations(admin) == []
    admin.get_by_role("button", name="Save the settings").click()
    flash(admin, "Saved: name, tax number")

    # A room, and a service with its price.
    admin.goto("/manage/")
    admin.get_by_role("link", name="Rooms", exact=True).first.click()
    admin.get_by_role("link", name="Add a room").click()
    admin.get_by_label("Name:", exact=True).fill("Willow")
    admin.get_by_role("button", name="Save").click()
    flash(admin, "Room “Willow” saved")
    admin.goto("/manage/")
    admin.get_by_role("link", name="Services", exact=True).first.click()
    admin.get_by_role("link", name="Add a service").click()
    admin.get_by_label("Name:", exact=True).fill("Gluteal release 60")
    admin.get_by_label("Description for online booking").fill("Deep work for low back pain.")
    admin.get_by_label("Duration (minutes)").fill("60")
    admin.get_by_label("Buffer after (minutes)").fill("15")
    admin.get_by_label("Price:", exact=True).fill("110.00")
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("table")).to_contain_text("110.00")

    # A therapist is invited and sets her own password from the emailed link.
    therapist_link = invite(admin, "Maya", "Lin", "maya@riverside.test", "Therapist")
    tablet = open_page(TABLET)
    set_password(tablet, therapist_link, "maya-treats-backs-9")
    expect(tablet).to_have_url(re.compile("/therapist/$"))

    # Her hours on the day of the first visit: two blocks with a lunch break, in Willow.
    day = today() + timedelta(days=2)
    admin.get_by_role("link", name="Weekly hours and time off").click()
    weekday = day.strftime("%A")
    for row, (start, end) in enumerate([("09:00", "12:00"), ("13:00", "17:00")], start=1):
        admin.get_by_label(f"Weekday, row {row}").select_option(label=weekday)
        admin.get_by_label(f"From, row {row}").fill(start)
        admin.get_by_label(f"Until, row {row}").fill(end)
        admin.get_by_label(f"Room, row {row}").select_option(label="Willow")
    admin.get_by_role("button", name="Save the hours").click()
    flash(admin, "Weekly hours saved")
    assert WorkingHours.objects.filter(therapist__user__email="maya@riverside.test").count() == 2

    # A front desk colleague is invited too, and books the clinic's first visit.
    desk_link = invite(admin, "Dana", "Reyes", "dana@riverside.test", "Front desk")
    finish(admin, journey_screenshots, "setup-1-admin")
    desk = open_page(DESKTOP)
    set_password(desk, desk_link, "dana-runs-the-desk-3")
    expect(desk).to_have_url(re.compile("/desk/$"))
    desk.get_by_role("link", name="Clients").click()
    desk.get_by_role("link", name="Register a new client").first.click()
    desk.get_by_label("First name").fill("Hana")
    desk.get_by_label("Last name").fill("Sato")
    desk.get_by_label("Phone").fill("+1 416 555 4321")
    desk.get_by_label("Email:", exact=True).fill("hana@example.com")
    desk.get_by_role("button", name="Register and book").click()
    # The free times refresh through htmx, a deferred script: choosing before it has run (a
    # slow machine) would change nothing, as no person could.
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Book Hana Sato")
    desk.wait_for_load_state("load")
    desk.get_by_label("Service").select_option(label="Gluteal release 60")
    desk.get_by_label("Therapist").select_option(label="Maya Lin")
    desk.get_by_label("Date").fill(day.isoformat())
    slots = desk.locator(".slots").first
    expect(slots.get_by_label("13:00", exact=True)).to_be_visible()
    expect(slots.get_by_label("12:00", exact=True)).to_have_count(0)  # her lunch break
    slots.get_by_label("10:00", exact=True).check()
    desk.get_by_role("button", name="Book", exact=True).click()
    flash(desk, "Booked Hana Sato with Maya Lin")

    visit = Appointment.objects.get()
    assert (visit.therapist.user.email, visit.room.name) == ("maya@riverside.test", "Willow")
    assert f"{local(visit.starts_at):%Y-%m-%d %H:%M}" == f"{day.isoformat()} 10:00"
    assert Service.objects.get().price == Decimal("110.00")
    assert ClinicSettings.load().name == "Riverside Massage"
    staff_roles = set(User.objects.exclude(role=Role.CLIENT).values_list("role", flat=True))
    assert staff_roles == {Role.CLINIC_ADMIN, Role.THERAPIST, Role.FRONT_DESK}
    finish(desk, journey_screenshots, "setup-2-first-visit")
