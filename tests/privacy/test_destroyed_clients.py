"""A client whose record was destroyed at the end of retention leaves every list of clients:
search, the desk's and admin's home pages, the booking and waitlist pickers, the API's and the
reports' lapsed list. Their invoices and audit rows stay, found by the client's id."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Client, Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.booking.models import Appointment
from clinic.privacy import retention
from clinic.reports import retention as retention_report
from clinic.waitlist.models import WaitlistEntry
from tests.factories import ClientFactory, ServiceFactory
from tests.privacy.test_retention import age_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def destroyed(clinic_admin_user):
    """Wilhelmina Stroud, registered eleven years ago and never seen since, record destroyed."""
    client = ClientFactory(
        first_name="Wilhelmina",
        last_name="Stroud",
        created_at=timezone.now() - timedelta(days=11 * 366),
    )
    retention.destroy_record(client=client, by=clinic_admin_user)
    client.refresh_from_db()
    return client


def test_a_destroyed_client_is_not_found_by_the_desks_search(client_as, destroyed):
    desk = client_as(Role.FRONT_DESK)
    for query in ("Record destroyed", f"#{destroyed.pk}"):
        html = desk.get(reverse("booking-client-search"), {"q": query}).content.decode()
        assert f"No client matches “{query}”" in html


def test_home_pages_neither_list_nor_count_a_destroyed_client(client_as, a_client, destroyed):
    desk_page = client_as(Role.FRONT_DESK).get(reverse("front-desk-home")).content.decode()
    assert "Record destroyed" not in desk_page
    assert a_client.full_name in desk_page and "(1 in all)" in desk_page
    admin_page = client_as(Role.CLINIC_ADMIN).get(reverse("admin-home")).content.decode()
    assert "1 clients on file" in admin_page


def test_the_booking_api_refuses_a_destroyed_client(client_as, therapist, destroyed):
    response = client_as(Role.FRONT_DESK).post(
        "/api/appointments/",
        {
            "client": destroyed.pk,
            "therapist": therapist.pk,
            "service": ServiceFactory().pk,
            "start": (timezone.now() + timedelta(days=2)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["client"]
    assert not Appointment.objects.exists()


def test_the_booking_page_refuses_a_destroyed_client(client_as, destroyed):
    response = client_as(Role.FRONT_DESK).post(
        "/booking/book/", {"client": destroyed.pk, "repeat": "0", "count": "6"}
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_a_destroyed_client_cannot_be_put_on_the_waitlist(client_as, destroyed):
    desk = client_as(Role.FRONT_DESK)
    assert desk.get(reverse("waitlist-add", args=[destroyed.pk])).status_code == 404
    response = desk.post(
        reverse("api-waitlist"),
        {
            "client": destroyed.pk,
            "service": ServiceFactory().pk,
            "weekdays": [1],
            "earliest": "09:00",
            "latest": "12:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "client" in response.json()
    assert not WaitlistEntry.objects.exists()


def test_a_lapsed_client_leaves_the_lapsed_list_when_destroyed(full_record, clinic_admin_user):
    client = full_record["client"]
    age_record(client, 11)
    assert client.full_name in {row["client"] for row in retention_report.lapsed()}
    retention.destroy_record(client=client, by=clinic_admin_user)
    assert list(retention_report.lapsed()) == []


def test_the_emptied_row_stays_for_the_audit_log(destroyed):
    assert not Client.objects.current().filter(pk=destroyed.pk).exists()
    assert AuditEvent.objects.filter(client=destroyed, action=AuditAction.DESTROY).exists()
    assert destroyed.record_destroyed_at is not None
