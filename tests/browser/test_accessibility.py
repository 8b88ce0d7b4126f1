"""Every page a user reaches, as each role, has no serious or critical axe-core violation.

The pages come from the permission matrix (tests/access): every GET route a role may open is
visited with the matrix's world of rows, so a new page is checked the day it gets its row.
Run alone with `bin/test tests/browser/test_accessibility.py`.
"""

from datetime import time
from types import SimpleNamespace

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import at_local, today
from tests.access import PUBLIC, all_routes, build_world
from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, PHONE, TABLET, log_in
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory
from tests.treatment.conftest import screened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Routes that answer with something other than a page: files, feeds, probes.
NOT_PAGES = {
    "favicon",
    "billing-client-statement",
    "billing-export",
    "billing-my-statement",
    "billing-receipt",
    "billing-superbill",
    "booking-appointment-ics",
    "booking-calendar-feed",
    "health",
    "intake-clearance-document",
    "intake-upload-document",
    "note-pdf",
    "report-csv",
    "setup-therapist-photo",
    "treatment-record-pdf",
}
# Where each role works: the client on a phone, the therapist on a tablet, the desk at a desk.
VIEWPORTS = {
    None: PHONE,
    Role.CLIENT: PHONE,
    Role.FRONT_DESK: DESKTOP,
    Role.THERAPIST: TABLET,
    Role.CLINIC_ADMIN: DESKTOP,
}
# Pages the matrix reaches only through a query or an error.
EXTRA_PAGES = {
    None: lambda w: ["/no-such-page/"],
    Role.FRONT_DESK: lambda w: [
        reverse("booking-client-search") + f"?q={w.client.last_name}",
        reverse("booking-book") + f"?client={w.client.pk}",
    ],
}


def page_urls(role, world):
    """The GET pages `role` (None: anonymous) may open, with their URL arguments filled in."""
    urls = []
    for name, route in sorted(all_routes().items()):
        if route.method != "get" or name.startswith("api-") or name in NOT_PAGES:
            continue
        if role is None and route.allowed != PUBLIC:
            continue
        if role is not None and (route.allowed == PUBLIC or role not in route.allowed):
            continue
        urls.append(reverse(name, kwargs=route.kwargs(world)))
    return urls + EXTRA_PAGES.get(role, lambda w: [])(world)


# A day at the desk: one visit of each screening outcome and status the schedule draws.
TODAY = [
    (time(8), {"anticoagulants": True}, AppointmentStatus.COMPLETED),
    (time(10), {"pregnant": True, "pregnancy_weeks": 24}, AppointmentStatus.CHECKED_IN),
    (time(12), {"saddle_numbness": True}, AppointmentStatus.CONFIRMED),
    (time(14), None, AppointmentStatus.CANCELLED),
    (time(16), {}, AppointmentStatus.NO_SHOW),
    (time(18), {}, AppointmentStatus.BOOKED),
]


@pytest.fixture
def world(a_client, therapist, front_desk_user, clinic_admin_user):
    world = build_world(SimpleNamespace(client=a_client, therapist=therapist))
    colleague = TherapistFactory()  # the world's own visits are the therapist's, at any hour
    for wall, answers, status in TODAY:
        client = ClientFactory(primary_therapist=therapist)
        if answers is not None:
            screened(client, **answers)
        AppointmentFactory(
            client=client, therapist=colleague, starts_at=at_local(today(), wall), status=status
        )
    return world


@pytest.mark.parametrize("role", list(VIEWPORTS), ids=lambda role: role or "anonymous")
def test_every_page_a_role_reaches_has_no_serious_axe_violation(open_page, user_of, world, role):
    page = open_page(VIEWPORTS[role])
    if role is not None:
        log_in(page, user_of(role).email)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    found = {}
    for url in page_urls(role, world):
        page.goto(url)
        if violations := serious_violations(page):
            found[url] = violations
    report = "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())
    assert not found, f"axe-core, serious or critical, as {role or 'anonymous'}:\n{report}"
