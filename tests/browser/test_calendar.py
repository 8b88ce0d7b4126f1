"""The desk's calendar in a real browser at 1366×768: the week of six therapists fits without
sideways scrolling, a visit dragged to another therapist's time moves, and a drag onto a taken
time is refused in words with the card back where it was."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from clinic.booking.models import Appointment
from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import working_every_day
from tests.browser.conftest import log_in
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory, TherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK_SCREEN = {"width": 1366, "height": 768}
PPM = 1.2  # the day view's pixels per minute (calendar.css)


@pytest.fixture
def clinic():
    """Six therapists working 9 to 5 every day, each in their own room, and a service."""
    therapists = [TherapistFactory(user__first_name=f"Therapist{n}") for n in range(6)]
    for n, t in enumerate(therapists):
        working_every_day(t, RoomFactory(name=f"Room {n}"))
    return therapists, ServiceFactory(name="Gluteal release 60 min", duration_minutes=60)


def test_the_week_fits_the_desk_screen_and_a_drag_moves_a_visit_or_is_refused(
    open_page, front_desk_user, clinic
):
    therapists, service = clinic
    day = today() + timedelta(days=2)
    first, second = therapists[0], therapists[1]
    moving = AppointmentFactory(therapist=first, service=service, starts_at=at_local(day, time(10)))
    staying = AppointmentFactory(
        therapist=first, service=service, starts_at=at_local(day, time(13))
    )
    for t in therapists:
        AppointmentFactory(therapist=t, service=service, starts_at=at_local(day, time(15)))
    page = open_page(DESK_SCREEN)
    log_in(page, front_desk_user.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("week of")
    expect(page.locator(".cal-day")).to_have_count(7)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1366

    page.goto(f"/booking/day/?date={day.isoformat()}")
    target = page.locator(f'.cal-lane[data-therapist="{second.pk}"] .cal-body')
    eleven = (11 - 9) * 60 * PPM  # the grid starts at 09:00
    # Both ends of the drag in view, so the page does not scroll under the dragged card.
    target.evaluate("body => window.scrollTo(0, body.getBoundingClientRect().top + scrollY - 8)")
    page.locator(f'[data-visit="{moving.pk}"]').drag_to(
        target, source_position={"x": 5, "y": 5}, target_position={"x": 10, "y": eleven + 5}
    )
    expect(page.get_by_text(f"Moved {moving.client.full_name}")).to_be_visible()
    moved = page.locator(f'.cal-lane[data-therapist="{second.pk}"] [data-visit="{moving.pk}"]')
    expect(moved).to_contain_text("11:00")
    moving.refresh_from_db()
    assert moving.therapist_id == second.pk
    assert moving.starts_at == at_local(day, time(11))

    target.evaluate("body => window.scrollTo(0, body.getBoundingClientRect().top + scrollY - 8)")
    page.locator(f'[data-visit="{staying.pk}"]').drag_to(
        target, source_position={"x": 5, "y": 5}, target_position={"x": 10, "y": eleven + 5}
    )
    expect(page.locator("#move-status")).to_contain_text("Not moved: That time is not free.")
    expect(page.locator("#move-status")).to_contain_text("is already booked")
    expect(
        page.locator(f'.cal-lane[data-therapist="{first.pk}"] [data-visit="{staying.pk}"]')
    ).to_contain_text("13:00")
    assert Appointment.objects.get(pk=staying.pk).starts_at == at_local(day, time(13))
