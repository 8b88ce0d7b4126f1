import pytest
from django.contrib.auth.models import AnonymousUser

from clinic.accounts import roles
from clinic.accounts.models import Role
from tests.factories import ClientFactory, TherapistFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "clinical", "manage", "staff"),
    [
        (Role.CLIENT, False, False, False),
        (Role.FRONT_DESK, False, False, True),
        (Role.THERAPIST, True, False, True),
        (Role.CLINIC_ADMIN, True, True, True),
    ],
)
def test_each_role_gets_only_its_own_powers(role, clinical, manage, staff):
    user = UserFactory(role=role)
    assert roles.can_see_clinical_details(user) is clinical
    assert roles.can_manage_clinic(user) is manage
    assert roles.is_staff_member(user) is staff


def test_anonymous_and_inactive_users_have_no_role():
    assert roles.role_of(AnonymousUser()) is None
    assert roles.role_of(UserFactory(role=Role.CLINIC_ADMIN, is_active=False)) is None
    assert not roles.can_see_clinical_details(AnonymousUser())


def test_a_therapist_sees_the_record_of_their_own_client_only():
    mine, theirs = TherapistFactory(), TherapistFactory()
    client = ClientFactory(primary_therapist=mine)
    assert roles.can_view_client_record(mine.user, client)
    assert not roles.can_view_client_record(theirs.user, client)


def test_the_front_desk_sees_contact_details_but_never_the_clinical_record():
    desk = UserFactory(role=Role.FRONT_DESK)
    client = ClientFactory()
    assert roles.can_view_client_contact(desk, client)
    assert not roles.can_view_client_record(desk, client)


def test_a_client_sees_only_their_own_record():
    me = UserFactory(role=Role.CLIENT)
    mine, other = ClientFactory(user=me), ClientFactory()
    assert roles.can_view_client_record(me, mine)
    assert roles.can_view_client_contact(me, mine)
    assert not roles.can_view_client_record(me, other)
    assert not roles.can_view_client_contact(me, other)


def test_admins_see_every_record():
    admin = UserFactory(role=Role.CLINIC_ADMIN)
    assert roles.can_view_client_record(admin, ClientFactory())


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.CLIENT, "client-home"),
        (Role.FRONT_DESK, "front-desk-home"),
        (Role.THERAPIST, "therapist-home"),
        (Role.CLINIC_ADMIN, "admin-home"),
    ],
)
def test_each_role_has_its_home_page(role, url_name):
    assert roles.home_url_name(UserFactory(role=role)) == url_name


def test_only_admins_and_the_client_s_own_therapists_manage_their_screening():
    mine, theirs = TherapistFactory(), TherapistFactory()
    client = ClientFactory(primary_therapist=mine, user=UserFactory(role=Role.CLIENT))
    assert roles.can_manage_screening(mine.user, client)
    assert roles.can_manage_screening(UserFactory(role=Role.CLINIC_ADMIN), client)
    assert not roles.can_manage_screening(theirs.user, client)
    assert not roles.can_manage_screening(UserFactory(role=Role.FRONT_DESK), client)
    assert not roles.can_manage_screening(client.user, client)


def test_only_the_client_s_own_therapists_write_treatment_and_admins_only_read_it():
    mine, theirs = TherapistFactory(), TherapistFactory()
    client = ClientFactory(primary_therapist=mine, user=UserFactory(role=Role.CLIENT))
    admin = UserFactory(role=Role.CLINIC_ADMIN)
    assert roles.can_write_treatment(mine.user, client)
    assert roles.can_read_treatment(mine.user, client) and roles.can_read_treatment(admin, client)
    assert not roles.can_write_treatment(admin, client)
    for user in (theirs.user, UserFactory(role=Role.FRONT_DESK), client.user):
        assert not roles.can_read_treatment(user, client)
        assert not roles.can_write_treatment(user, client)
