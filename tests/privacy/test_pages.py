"""The privacy pages and API as the clinic admin uses them: fixed queries, bad input refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.privacy import access_requests
from clinic.privacy.export import export_record
from clinic.privacy.models import AccessRequest, Breach, BreachKind, ExportFormat, RequestKind
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db
YEAR = timedelta(days=366)


@pytest.fixture
def admin_http(client_as):
    return client_as(Role.CLINIC_ADMIN)


def test_the_client_page_links_the_privacy_page_for_the_clinic_admin_only(client_as, a_client):
    link = reverse("privacy-client", args=[a_client.pk])
    assert link in client_as(Role.CLINIC_ADMIN).get(a_client.get_absolute_url()).content.decode()
    assert link not in client_as(Role.FRONT_DESK).get(a_client.get_absolute_url()).content.decode()


def test_fulfilling_from_the_client_page_links_the_export(admin_http, a_client, clinic_admin_user):
    request = access_requests.log_request(
        client=a_client,
        kind=RequestKind.EXPORT,
        received_on=timezone.localdate(),
        by=clinic_admin_user,
    )
    export, _ = export_record(client=a_client, format=ExportFormat.PDF, by=clinic_admin_user)
    page = admin_http.get(reverse("privacy-client", args=[a_client.pk])).content.decode()
    assert f'<option value="{export.pk}">' in page
    response = admin_http.post(
        reverse("privacy-request-fulfil", args=[request.pk]), {"export": export.pk}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.export == export


def test_a_fulfil_naming_no_export_that_exists_changes_nothing(
    admin_http, a_client, clinic_admin_user
):
    request = access_requests.log_request(
        client=a_client,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        by=clinic_admin_user,
    )
    response = admin_http.post(
        reverse("privacy-request-fulfil", args=[request.pk]), {"export": 999}
    )
    assert response.status_code == 400
    assert "No export has that number." in response.content.decode()
    request.refresh_from_db()
    assert request.is_open


def test_the_retention_page_lists_many_clients_in_a_fixed_number_of_queries(
    admin_http, django_assert_max_num_queries
):
    for _ in range(30):
        client = ClientFactory(created_at=timezone.now() - 12 * YEAR)
        AppointmentFactory(client=client, starts_at=timezone.now() - 11 * YEAR)
    with django_assert_max_num_queries(12):
        page = admin_http.get(reverse("privacy-retention"))
    assert page.content.decode().count("Destroy record #") == 30


def test_the_privacy_pages_render_in_a_fixed_number_of_queries(
    admin_http, a_client, clinic_admin_user, django_assert_max_num_queries
):
    for _ in range(20):
        access_requests.log_request(
            client=ClientFactory(),
            kind=RequestKind.ACCESS,
            received_on=timezone.localdate() - timedelta(days=28),
            by=clinic_admin_user,
        )
        export_record(client=a_client, format=ExportFormat.FHIR, by=clinic_admin_user)
    for name, args in [
        ("privacy-home", []),
        ("admin-home", []),
        ("privacy-client", [a_client.pk]),
    ]:
        with django_assert_max_num_queries(14):
            assert admin_http.get(reverse(name, args=args)).status_code == 200


def test_noting_the_report_to_the_regulator(admin_http):
    breach = Breach.objects.create(
        discovered_at=timezone.now(), kind=BreachKind.OTHER, description="x"
    )
    url = reverse("privacy-breach-reported", args=[breach.pk])
    assert admin_http.post(url, {"reported_on": "9999-12-31"}).status_code == 400
    today = timezone.localdate().isoformat()
    assert admin_http.post(url, {"reported_on": today}).status_code == 302
    breach.refresh_from_db()
    assert breach.reported_to_regulator and breach.reported_on.isoformat() == today


@pytest.mark.parametrize(
    "body",
    [
        {"client": 1, "kind": "access", "received_on": "9999-12-31"},
        {"client": 1, "kind": "access", "received_on": "0001-01-01"},
        {"client": 9223372036854775808, "kind": "access", "received_on": "2026-01-01"},
        {"client": "²", "kind": "access", "received_on": "2026-01-01"},
        {"client": 1, "kind": "gossip", "received_on": "2026-01-01"},
        {"client": 1, "kind": "access", "received_on": "2026-01-01", "notes": "x" * 2001},
        [],
    ],
)
def test_bad_access_request_input_is_a_400_and_stores_nothing(admin_http, a_client, body):
    if isinstance(body, dict) and body.get("client") == 1:
        body = {**body, "client": a_client.pk}
    response = admin_http.post(
        reverse("api-privacy-requests"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"discovered_at": "9999-12-31T23:59:59Z"},
        {"discovered_at": "0001-01-01T00:00:00Z"},
        {"reported_to_regulator": True},
        {"affected_clients": [987654]},
        {"accessed_by": 1},
        {
            "accessed_by": 1,
            "accessed_from": "2026-01-02T00:00:00Z",
            "accessed_until": "2026-01-01T00:00:00Z",
        },
        {
            "accessed_by": 987654,
            "accessed_from": "2026-01-01T00:00:00Z",
            "accessed_until": "2026-01-02T00:00:00Z",
        },
    ],
)
def test_bad_breach_input_is_a_400_and_stores_nothing(admin_http, clinic_admin_user, extra):
    body = {
        "discovered_at": timezone.now().isoformat(),
        "kind": "other",
        "description": "x",
        **extra,
    }
    if body.get("accessed_by") == 1:
        body["accessed_by"] = clinic_admin_user.pk
    response = admin_http.post(
        reverse("api-privacy-breaches"), body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert not Breach.objects.exists()


def test_the_api_fulfils_a_request_and_refuses_a_second_time(
    admin_http, a_client, clinic_admin_user
):
    request = access_requests.log_request(
        client=a_client,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        by=clinic_admin_user,
    )
    url = reverse("api-privacy-request-fulfil", args=[request.pk])
    first = admin_http.post(url, {}, content_type="application/json")
    assert first.status_code == 200 and first.json()["fulfilled_at"]
    again = admin_http.post(url, {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "ALREADY_FULFILLED"


def test_the_api_lists_records_past_retention_by_id_and_dates(admin_http):
    client = ClientFactory(created_at=timezone.now() - 12 * YEAR)
    rows = admin_http.get(reverse("api-privacy-retention")).json()["results"]
    assert [row["client_id"] for row in rows] == [client.pk]
    assert set(rows[0]) == {"client_id", "last_seen_on", "adult_on", "kept_until"}


def test_the_privacy_home_opens_a_client_by_number(admin_http, a_client):
    found = admin_http.get(reverse("privacy-home"), {"client": a_client.pk})
    assert found.url == reverse("privacy-client", args=[a_client.pk])
    for bad in ("²", "99999999", "9223372036854775808"):
        page = admin_http.get(reverse("privacy-home"), {"client": bad})
        assert page.status_code == 200 and "No client has that number." in page.content.decode()


def test_a_report_date_in_the_future_is_shown_on_the_breach_page(admin_http):
    breach = Breach.objects.create(
        discovered_at=timezone.now(), kind=BreachKind.OTHER, description="x"
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = admin_http.post(
        reverse("privacy-breach-reported", args=[breach.pk]), {"reported_on": tomorrow}
    )
    assert response.status_code == 400
    assert "The report date cannot be in the future." in response.content.decode()
    breach.refresh_from_db()
    assert not breach.reported_to_regulator
