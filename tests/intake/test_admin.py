import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from intake import services
from tests.factories import ClientFactory
from tests.intake.answers_fixtures import clear_answers

pytestmark = pytest.mark.django_db


def test_admins_find_intakes_by_client_name_and_filter_by_outcome(client_as, superuser_admin):
    wanted = ClientFactory(first_name="Wilhelmina", last_name="Stroud")
    services.submit_intake(wanted, clear_answers(osteoporosis=True), None)
    services.submit_intake(ClientFactory(first_name="Bartholomew"), clear_answers(), None)
    http = client_as(Role.CLINIC_ADMIN)
    url = reverse("admin:intake_intake_changelist")

    found = http.get(url, {"q": "Stroud"}).content.decode()
    filtered = http.get(url, {"outcome__exact": "clear"}).content.decode()

    assert "Wilhelmina" in found and "Bartholomew" not in found
    assert "Bartholomew" in filtered and "Wilhelmina" not in filtered


def test_an_intake_cannot_be_added_or_edited_in_the_admin(client_as, superuser_admin, a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)
    http = client_as(Role.CLINIC_ADMIN)

    assert http.get(reverse("admin:intake_intake_add")).status_code == 403
    page = http.get(reverse("admin:intake_intake_change", args=[intake.pk]))
    assert page.status_code == 200
    assert "Save" not in page.content.decode()
