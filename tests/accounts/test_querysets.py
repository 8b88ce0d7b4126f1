"""Client.objects.readable_by / writable_by / treated_by are the rules roles.py checks one
client against: over a table of people and relations they always agree."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clinic.accounts import roles
from clinic.accounts.models import Client, Role, Therapist
from clinic.booking.models import AppointmentStatus
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    ClientWithLoginFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# (who asks, how they relate to the client, may read the treatment, may write it)
CASES = [
    ("clinic admin", "none", True, False),
    ("front desk", "none", False, False),
    ("therapist", "primary", True, True),
    ("therapist", "booked visit", True, True),
    ("therapist", "visit booked next month", False, False),
    ("therapist", "completed visit", True, True),
    ("therapist", "cancelled visit only", False, False),
    ("therapist", "none", False, False),
    ("inactive therapist", "primary", False, False),
    ("front desk with a therapist profile", "primary", False, False),
    ("the client", "self", False, False),
    ("another client", "none", False, False),
    ("anonymous", "none", False, False),
]


def _asker(who):
    if who == "anonymous":
        return AnonymousUser(), None
    if who == "clinic admin":
        return UserFactory(role=Role.CLINIC_ADMIN), None
    if who in ("front desk", "the client", "another client"):
        role = Role.FRONT_DESK if who == "front desk" else Role.CLIENT
        return UserFactory(role=role), None
    therapist = TherapistFactory(user__is_active=who != "inactive therapist")
    if who == "front desk with a therapist profile":
        therapist.user.role = Role.FRONT_DESK
        therapist.user.save()
    return therapist.user, therapist


def _client_related(user, therapist, relation):
    client = ClientWithLoginFactory(user=user) if relation == "self" else ClientFactory()
    if relation == "primary":
        client.primary_therapist = therapist
        client.save()
    statuses = {
        "booked visit": AppointmentStatus.BOOKED,
        "completed visit": AppointmentStatus.COMPLETED,
        "cancelled visit only": AppointmentStatus.CANCELLED,
    }
    if relation in statuses:
        AppointmentFactory(client=client, therapist=therapist, status=statuses[relation])
    if relation == "visit booked next month":
        next_month = timezone.now() + timedelta(days=30)
        AppointmentFactory(client=client, therapist=therapist, starts_at=next_month)
    return client


@pytest.mark.parametrize(("who", "relation", "reads", "writes"), CASES)
def test_the_list_rule_and_the_detail_check_agree(who, relation, reads, writes):
    user, therapist = _asker(who)
    client = _client_related(user, therapist, relation)
    ClientFactory()  # a stranger, never in anyone's list here
    readable = set(Client.objects.readable_by(user))
    writable = set(Client.objects.writable_by(user))
    assert roles.can_read_treatment(user, client) is reads
    assert roles.can_write_treatment(user, client) is writes
    expected = {client} if reads else set()
    assert readable == (set(Client.objects.all()) if who == "clinic admin" else expected)
    assert writable == ({client} if writes else set())


@pytest.mark.parametrize(
    ("relation", "treats"),
    [
        ("primary", True),
        ("booked visit", True),
        ("visit booked next month", False),
        ("completed visit", True),
        ("cancelled visit only", False),
        ("none", False),
    ],
)
def test_treating_reads_the_same_from_both_sides(relation, treats):
    therapist = TherapistFactory()
    client = _client_related(None, therapist, relation)
    assert client.is_treated_by(therapist.user) is treats
    assert (client in Client.objects.treated_by(therapist.user)) is treats
    assert (therapist in Therapist.objects.treating(client)) is treats
    assert (therapist in client.therapists()) is treats


def test_a_client_seen_by_several_therapists_is_listed_once():
    therapist = TherapistFactory()
    client = ClientFactory(primary_therapist=therapist)
    for day in (1, 2):
        starts_at = timezone.now() + timedelta(days=day)
        AppointmentFactory(client=client, therapist=therapist, starts_at=starts_at)
    assert list(Client.objects.readable_by(therapist.user)) == [client]


def test_a_user_without_a_therapist_profile_treats_nobody():
    ClientFactory(primary_therapist=TherapistFactory())
    assert not Client.objects.treated_by(UserFactory(role=Role.THERAPIST)).exists()
    assert not Client.objects.treated_by(AnonymousUser()).exists()
