"""The breach register: incidents with the clients affected, found from the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.core.errors import DomainError
from clinic.privacy import breaches
from clinic.privacy.models import Breach, BreachKind
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def snooping(therapist_user):
    """The therapist read three clients' records: two yesterday, one a month ago."""
    now = timezone.now()
    inside = [ClientFactory(), ClientFactory()]
    outside = ClientFactory()
    for client in inside:
        AuditEvent.objects.create(
            actor=therapist_user,
            action="view",
            object_type="client",
            object_id=str(client.pk),
            client=client,
            at=now - timedelta(days=1),
        )
    AuditEvent.objects.create(
        actor=therapist_user,
        action="view",
        object_type="client",
        object_id=str(outside.pk),
        client=outside,
        at=now - timedelta(days=30),
    )
    AuditEvent.objects.create(
        actor=UserFactory(role=Role.FRONT_DESK),
        action="view",
        object_type="client",
        object_id=str(outside.pk),
        client=outside,
        at=now - timedelta(days=1),
    )
    return inside


def test_the_selector_finds_the_clients_a_user_read_in_the_window(therapist_user, snooping):
    now = timezone.now()
    found = breaches.clients_read_by(user=therapist_user, start=now - timedelta(days=2), end=now)
    assert list(found) == sorted(snooping, key=lambda c: c.pk)


def test_a_window_ending_before_it_starts_is_refused(therapist_user):
    now = timezone.now()
    with pytest.raises(DomainError):
        breaches.clients_read_by(user=therapist_user, start=now, end=now - timedelta(days=1))


def test_a_breach_is_recorded_with_its_affected_clients_and_audited(clinic_admin_user, snooping):
    breach = breaches.record_breach(
        discovered_at=timezone.now(),
        kind=BreachKind.UNAUTHORISED_ACCESS,
        description="Therapist browsed records of clients not in their care.",
        affected=snooping,
        by=clinic_admin_user,
    )
    assert set(breach.affected_clients.all()) == set(snooping)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="breach", object_id=str(breach.pk)
    ).exists()


def test_reported_to_the_regulator_needs_a_date(clinic_admin_user):
    with pytest.raises(DomainError) as refusal:
        breaches.record_breach(
            discovered_at=timezone.now(),
            kind=BreachKind.OTHER,
            description="x",
            reported_to_regulator=True,
            by=clinic_admin_user,
        )
    assert refusal.value.code == "REPORT_DATE"
    assert not Breach.objects.exists()


def test_an_entry_younger_than_24_months_is_not_removed(clinic_admin_user):
    breach = breaches.record_breach(
        discovered_at=timezone.now() - timedelta(days=700),
        kind=BreachKind.OTHER,
        description="x",
        by=clinic_admin_user,
    )
    with pytest.raises(DomainError) as refusal:
        breaches.remove_breach(breach=breach, by=clinic_admin_user)
    assert refusal.value.code == "BREACH_KEPT_24_MONTHS"
    assert Breach.objects.filter(pk=breach.pk).exists()
    breaches.remove_breach(
        breach=breach, by=clinic_admin_user, today=timezone.localdate() + timedelta(days=40)
    )
    assert not Breach.objects.exists()


def test_the_page_adds_the_clients_found_in_the_audit_log(client_as, therapist_user, snooping):
    http = client_as(Role.CLINIC_ADMIN)
    breach = Breach.objects.create(
        discovered_at=timezone.now(), kind=BreachKind.OTHER, description="x"
    )
    now = timezone.localtime()
    response = http.post(
        reverse("privacy-breach", args=[breach.pk]),
        {
            "user": therapist_user.pk,
            "start": (now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "end": (now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert set(breach.affected_clients.all()) == set(snooping)


def test_the_api_records_a_breach_from_an_audit_window(client_as, therapist_user, snooping):
    now = timezone.now()
    response = client_as(Role.CLINIC_ADMIN).post(
        reverse("api-privacy-breaches"),
        {
            "discovered_at": now.isoformat(),
            "kind": "unauthorised_access",
            "description": "Snooping.",
            "accessed_by": therapist_user.pk,
            "accessed_from": (now - timedelta(days=2)).isoformat(),
            "accessed_until": now.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert sorted(response.json()["affected_clients"]) == sorted(c.pk for c in snooping)


def test_the_register_renders_in_a_fixed_number_of_queries(
    client_as, django_assert_max_num_queries
):
    http = client_as(Role.CLINIC_ADMIN)
    for _ in range(25):
        Breach.objects.create(discovered_at=timezone.now(), kind=BreachKind.OTHER, description="x")
    with django_assert_max_num_queries(12):
        assert http.get(reverse("privacy-breaches")).status_code == 200
    with django_assert_max_num_queries(12):
        assert http.get(reverse("api-privacy-breaches")).status_code == 200
