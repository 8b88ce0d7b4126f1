"""The reports page in a browser: the charts draw under a strict CSP, the page passes axe, and
a table downloads as CSV."""

import pytest

from tests.browser.axe import serious_violations
from tests.browser.conftest import DESKTOP, TABLET, log_in
from tests.reports import scene as week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "?start=2026-11-02&end=2026-11-08"


@pytest.fixture
def scene(therapist):
    return week.build(therapist)


def test_the_admin_reads_every_chart_and_downloads_a_table(
    open_page, live_server, clinic_admin_user, scene
):
    page = open_page(DESKTOP)
    log_in(page, clinic_admin_user.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_role("link", name="Reports").first.click()
    page.goto(f"{live_server.url}/reports/{PERIOD}")
    charts = page.locator("canvas[data-chart]")
    assert charts.count() == 4  # utilisation, visits, reminders, home care
    page.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.points)"
    )
    utilisation = page.locator("canvas[data-chart=utilisation-chart]")
    assert utilisation.get_attribute("data-points") == "2"  # one bar per therapist
    caption = "Visits, no-shows and late cancellations per therapist"
    assert page.get_by_role("table", name=caption).is_visible()
    assert not serious_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Clients lapsed").click()
    assert download.value.suggested_filename == "lapsed-2026-11-02-2026-11-08.csv"


def test_a_therapist_reads_their_own_reports_on_a_tablet(open_page, live_server, therapist, scene):
    page = open_page(TABLET)
    log_in(page, therapist.user.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_role("link", name="My reports").click()
    page.wait_for_url("**/reports/")
    assert page.get_by_text("Your own figures only").is_visible()
    assert not serious_violations(page)
