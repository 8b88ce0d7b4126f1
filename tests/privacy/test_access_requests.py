"""Access requests: logged with their 30-day deadline, fulfilled with an export, due ones shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.core.errors import DomainError
from clinic.privacy import access_requests
from clinic.privacy.export import export_record
from clinic.privacy.models import AccessRequest, ExportFormat, RequestKind
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def log(client, admin, days_ago=0, kind=RequestKind.ACCESS):
    return access_requests.log_request(
        client=client,
        kind=kind,
        received_on=timezone.localdate() - timedelta(days=days_ago),
        by=admin,
    )


def test_a_request_is_due_thirty_days_after_it_was_received(a_client, clinic_admin_user):
    request = log(a_client, clinic_admin_user, days_ago=3)
    assert request.due_on == request.received_on + timedelta(days=30)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="access_request", client=a_client
    ).exists()


def test_a_request_received_in_the_future_is_refused(a_client, clinic_admin_user):
    with pytest.raises(DomainError) as refusal:
        log(a_client, clinic_admin_user, days_ago=-1)
    assert refusal.value.code == "RECEIVED_FUTURE"
    assert not AccessRequest.objects.exists()


def test_the_due_list_holds_overdue_and_due_within_a_week_only(a_client, clinic_admin_user):
    overdue = log(a_client, clinic_admin_user, days_ago=31)
    due_soon = log(a_client, clinic_admin_user, days_ago=25)
    log(a_client, clinic_admin_user, days_ago=1)  # due in 29 days
    done = log(a_client, clinic_admin_user, days_ago=30)
    access_requests.fulfil_request(access_request=done, by=clinic_admin_user)
    assert list(access_requests.due_requests()) == [overdue, due_soon]


def test_fulfilling_links_the_export_of_the_same_client(a_client, clinic_admin_user):
    request = log(a_client, clinic_admin_user, kind=RequestKind.EXPORT)
    export, _ = export_record(client=a_client, format=ExportFormat.FHIR, by=clinic_admin_user)
    done = access_requests.fulfil_request(
        access_request=request, export=export, by=clinic_admin_user
    )
    assert done.export == export and done.fulfilled_by == clinic_admin_user


def test_an_export_of_another_client_cannot_fulfil_a_request(a_client, clinic_admin_user):
    request = log(a_client, clinic_admin_user)
    other, _ = export_record(client=ClientFactory(), format=ExportFormat.PDF, by=clinic_admin_user)
    with pytest.raises(DomainError) as refusal:
        access_requests.fulfil_request(access_request=request, export=other, by=clinic_admin_user)
    assert refusal.value.code == "EXPORT_OTHER_CLIENT"
    request.refresh_from_db()
    assert request.is_open


def test_the_admin_home_shows_the_requests_due(client_as, a_client, clinic_admin_user):
    log(a_client, clinic_admin_user, days_ago=31)
    page = client_as(Role.CLINIC_ADMIN).get(reverse("admin-home")).content.decode()
    assert "1 access request</strong> overdue or due within a week, 1 overdue" in page
    assert a_client.full_name in page


def test_the_page_logs_a_request_and_refuses_notes_too_long(client_as, a_client):
    http = client_as(Role.CLINIC_ADMIN)
    today = timezone.localdate().isoformat()
    data = {"client": a_client.pk, "kind": "access", "received_on": today, "notes": "x" * 2001}
    assert http.post(reverse("privacy-requests"), data).status_code == 400
    assert not AccessRequest.objects.exists()
    data["notes"] = "By letter."
    assert http.post(reverse("privacy-requests"), data).status_code == 302
    assert AccessRequest.objects.get().notes == "By letter."


def test_the_requests_page_renders_in_a_fixed_number_of_queries(
    client_as, clinic_admin_user, django_assert_max_num_queries
):
    http = client_as(Role.CLINIC_ADMIN)
    for _ in range(30):
        log(ClientFactory(), clinic_admin_user, days_ago=20)
    with django_assert_max_num_queries(12):
        assert http.get(reverse("privacy-requests")).status_code == 200


def test_the_api_logs_a_request_and_lists_it_as_due(client_as, a_client):
    http = client_as(Role.CLINIC_ADMIN)
    received = (timezone.localdate() - timedelta(days=40)).isoformat()
    created = http.post(
        reverse("api-privacy-requests"),
        {"client": a_client.pk, "kind": "correction", "received_on": received},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["overdue"] is True
    listed = http.get(reverse("api-privacy-requests"), {"state": "due"}).json()
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]


def test_the_api_refuses_an_unknown_client(client_as):
    response = client_as(Role.CLINIC_ADMIN).post(
        reverse("api-privacy-requests"),
        {"client": 99999, "kind": "access", "received_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "UNKNOWN_CLIENT"
