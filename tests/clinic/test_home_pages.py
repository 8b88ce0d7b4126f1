import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from tests.conftest import ROLES
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

HOME = {
    Role.CLIENT: "client-home",
    Role.FRONT_DESK: "front-desk-home",
    Role.THERAPIST: "therapist-home",
    Role.CLINIC_ADMIN: "admin-home",
}


@pytest.mark.parametrize("role", ROLES)
def test_the_root_sends_each_role_to_its_home(client_as, role):
    response = client_as(role).get("/")
    assert response.status_code == 302
    assert response.url == reverse(HOME[role])


@pytest.mark.parametrize("owner", ROLES)
@pytest.mark.parametrize("visitor", [None, *ROLES])
def test_a_home_page_opens_only_for_its_role(client_as, owner, visitor):
    response = client_as(visitor).get(reverse(HOME[owner]))
    if visitor == owner:
        assert response.status_code == 200
    elif visitor is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403


def test_the_client_home_shows_their_own_details(client_as, a_client):
    page = client_as(Role.CLIENT).get(reverse("client-home")).content.decode()
    assert a_client.full_name in page
    assert str(a_client.phone) in page


def test_the_front_desk_home_lists_recently_registered_clients(client_as):
    ClientFactory(first_name="Wilhelmina", last_name="Stroud")
    page = client_as(Role.FRONT_DESK).get(reverse("front-desk-home")).content.decode()
    assert "Wilhelmina Stroud" in page


def test_the_therapist_home_lists_their_clients(client_as, a_client):
    ClientFactory(first_name="Someone", last_name="Elses")
    page = client_as(Role.THERAPIST).get(reverse("therapist-home")).content.decode()
    assert a_client.full_name in page
    assert "Someone Elses" not in page


def test_the_admin_home_lists_staff_and_warns_when_no_worker_reported(client_as, therapist):
    page = client_as(Role.CLINIC_ADMIN).get(reverse("admin-home")).content.decode()
    assert therapist.user.email in page
    assert "has not reported yet" in page


def test_each_role_sees_its_own_menu(client_as):
    assert "API" in client_as(Role.CLINIC_ADMIN).get(reverse("admin-home")).content.decode()
    assert "API" not in client_as(Role.FRONT_DESK).get(reverse("front-desk-home")).content.decode()
