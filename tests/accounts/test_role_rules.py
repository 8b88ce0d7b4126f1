"""The roles.py functions that replaced checks written inline in views, APIs and tags."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from clinic.accounts import roles
from clinic.accounts.models import Role
from clinic.accounts.permissions import ManagesScreening, RecordsPractice, TreatmentAccess
from clinic.booking.models import Appointment
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    ClientWithLoginFactory,
    TherapistFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTIONS = {"check_in", "no_show", "complete", "cancel"}


@pytest.mark.parametrize(
    ("who", "actions", "may_change"),
    [
        ("front desk", ACTIONS, True),
        ("clinic admin", ACTIONS, True),
        ("the visit's therapist", {"complete"}, True),
        ("another therapist", set(), False),
        ("client", set(), False),
        ("anonymous", set(), False),
    ],
)
def test_who_may_act_on_a_visit(who, actions, may_change):
    visit = AppointmentFactory()
    user = {
        "front desk": lambda: UserFactory(role=Role.FRONT_DESK),
        "clinic admin": lambda: UserFactory(role=Role.CLINIC_ADMIN),
        "the visit's therapist": lambda: visit.therapist.user,
        "another therapist": lambda: TherapistFactory().user,
        "client": lambda: UserFactory(role=Role.CLIENT),
        "anonymous": AnonymousUser,
    }[who]()
    assert roles.permitted_visit_actions(user, visit, ACTIONS) == actions
    assert roles.can_change_visit(user, visit) is may_change


def test_a_client_sees_only_their_own_visits_and_staff_see_all():
    mine = AppointmentFactory(client=ClientWithLoginFactory())
    AppointmentFactory()
    visits = Appointment.objects.all()
    assert list(roles.visible_visits(mine.client.user, visits)) == [mine]
    assert roles.visible_visits(UserFactory(role=Role.FRONT_DESK), visits).count() == 2
    assert not roles.visible_visits(AnonymousUser(), visits).exists()


def test_a_calendar_feed_is_renewed_by_its_therapist_or_an_admin():
    therapist = TherapistFactory()
    assert roles.can_regenerate_feed(therapist.user, therapist)
    assert roles.can_regenerate_feed(UserFactory(role=Role.CLINIC_ADMIN), therapist)
    assert not roles.can_regenerate_feed(TherapistFactory().user, therapist)
    assert not roles.can_regenerate_feed(UserFactory(role=Role.FRONT_DESK), therapist)


def test_only_a_therapist_user_has_an_own_therapist_profile():
    therapist = TherapistFactory()
    assert roles.own_therapist(therapist.user) == therapist
    assert roles.own_therapist(UserFactory(role=Role.CLINIC_ADMIN)) is None
    assert roles.own_therapist(AnonymousUser()) is None


def test_home_care_is_for_the_client_and_their_clinicians():
    therapist = TherapistFactory()
    client = ClientWithLoginFactory(primary_therapist=therapist)
    admin = UserFactory(role=Role.CLINIC_ADMIN)
    stranger = ClientWithLoginFactory().user
    assert roles.is_the_client(client.user, client)
    assert not roles.is_the_client(stranger, client)
    readers = (client.user, therapist.user, admin)
    assert all(roles.can_view_client_record(u, client) for u in readers)
    assert not roles.can_view_client_record(stranger, client)
    # Recording practice writes: the client or their therapist, never an admin.
    assert roles.can_record_practice(client.user, client)
    assert roles.can_record_practice(therapist.user, client)
    assert not roles.can_record_practice(admin, client)


def _request(user, method):
    return SimpleNamespace(user=user, method=method)


def test_treatment_access_reads_with_a_safe_method_and_writes_with_any_other():
    therapist = TherapistFactory()
    client = ClientFactory(primary_therapist=therapist)
    admin = UserFactory(role=Role.CLINIC_ADMIN)
    plan_like = SimpleNamespace(client=client)
    check = TreatmentAccess().has_object_permission
    assert check(_request(admin, "GET"), None, plan_like)
    assert not check(_request(admin, "PATCH"), None, plan_like)
    assert check(_request(therapist.user, "POST"), None, client)
    assert not check(_request(TherapistFactory().user, "POST"), None, client)
    assert not check(_request(UserFactory(role=Role.FRONT_DESK), "GET"), None, client)


def test_a_therapist_reading_a_client_they_do_not_treat_is_told_they_may_break_the_glass():
    client = ClientFactory(primary_therapist=TherapistFactory())
    stranger = _request(TherapistFactory().user, "GET")
    for permission in (TreatmentAccess(), ManagesScreening()):
        with pytest.raises(roles.NotTreating) as refused:
            permission.has_object_permission(stranger, None, SimpleNamespace(client=client))
        assert refused.value.client == client


def test_screening_and_practice_permissions_ask_their_roles_rule():
    therapist = TherapistFactory()
    client = ClientWithLoginFactory(primary_therapist=therapist)
    intake_like = SimpleNamespace(client=client)
    other = TherapistFactory().user
    assert ManagesScreening().has_object_permission(_request(therapist.user, "GET"), None, client)
    assert not ManagesScreening().has_object_permission(_request(other, "POST"), None, intake_like)
    assert RecordsPractice().has_object_permission(_request(client.user, "POST"), None, client)
    assert not RecordsPractice().has_object_permission(_request(other, "POST"), None, client)
