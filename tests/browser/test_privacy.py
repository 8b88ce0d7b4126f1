"""The clinic admin answers a client's request for their record: logs it, exports the record as
a PDF, and marks the request fulfilled with that export."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.privacy.models import AccessRequest, RecordExport
from tests.browser.conftest import DESKTOP, log_in
from tests.browser.journey import finish
from tests.privacy.test_export import pdf_text
from tests.treatment.conftest import screened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clinic_admin_answers_a_request_for_the_whole_record(
    open_page, clinic_admin_user, a_client, journey_screenshots, tmp_path
):
    screened(a_client, other_conditions="Stiff after long drives")
    page = open_page(DESKTOP)
    log_in(page, clinic_admin_user.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # From the client's page to their privacy page, and log the request received today.
    page.goto(a_client.get_absolute_url())
    page.get_by_role("link", name="Privacy: export the whole record, access requests").click()
    page.get_by_role("link", name="Log a new request").click()
    page.get_by_label("Client number").fill(str(a_client.pk))
    page.get_by_label("Kind").select_option("export")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Log the request").click()
    expect(page.get_by_text("Request logged.")).to_be_visible()
    request = AccessRequest.objects.get()
    assert request.due_on == request.received_on + timezone.timedelta(days=30)

    # The admin's home lists it as due... not yet: 30 days is more than a week away.
    page.goto("/manage/")
    expect(page.get_by_text("No access request is due within a week.")).to_be_visible()

    # Export the record as a PDF: it holds the intake's own words.
    page.goto(f"/privacy/clients/{a_client.pk}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF, for the client").click()
    pdf = Path(download.value.path()).read_bytes()
    assert "Stiff after long drives" in pdf_text(pdf, tmp_path)
    export = RecordExport.objects.get()

    # Mark the request fulfilled with that export.
    page.reload()
    page.get_by_label("Answered with export").select_option(str(export.pk))
    page.get_by_role("button", name="Mark fulfilled").click()
    expect(page.get_by_text("Request marked fulfilled.")).to_be_visible()
    expect(page.get_by_text(f"with export {export.pk}")).to_be_visible()
    request.refresh_from_db()
    assert request.export == export
    finish(page, journey_screenshots, "privacy-request-answered")
