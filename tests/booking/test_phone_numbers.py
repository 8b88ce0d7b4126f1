"""Phone numbers typed at the front desk or online: checked, and stored in E.164."""

from datetime import timedelta

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from clinic.accounts.models import Client, Role
from clinic.core.clinic_time import today
from tests.booking.test_online import NEW_CLIENT, register_url

pytestmark = pytest.mark.django_db

NEW_AT_THE_DESK = {
    "first_name": "Nora",
    "last_name": "Quill",
    "email": "nora@example.com",
    "preferred_channel": "email",
}


@pytest.fixture
def day():
    return today() + timedelta(days=2)


def stored_phone(email):
    """The text in the database's phone column."""
    return (
        Client.objects.filter(email=email).values_list(Cast("phone", TextField()), flat=True).get()
    )


def test_the_front_desk_form_stores_a_local_number_in_e164(client_as):
    desk = client_as(Role.FRONT_DESK)
    response = desk.post("/booking/clients/new/", {**NEW_AT_THE_DESK, "phone": "416-555-0199"})
    assert response.status_code == 302
    assert stored_phone("nora@example.com") == "+14165550199"


def test_the_front_desk_form_refuses_what_is_not_a_phone_number(client_as):
    desk = client_as(Role.FRONT_DESK)
    response = desk.post("/booking/clients/new/", {**NEW_AT_THE_DESK, "phone": "not a phone"})
    assert response.status_code == 400
    assert "Enter a valid phone number" in response.content.decode()
    assert not Client.objects.filter(email="nora@example.com").exists()


def test_the_form_shows_a_typed_number_back_in_the_national_format(client_as):
    desk = client_as(Role.FRONT_DESK)
    response = desk.post(
        "/booking/clients/new/", {**NEW_AT_THE_DESK, "phone": "4165550199", "first_name": ""}
    )
    assert response.status_code == 400
    assert 'type="tel"' in response.content.decode()
    assert 'value="(416) 555-0199"' in response.content.decode()


def test_registering_online_refuses_what_is_not_a_phone_number(
    client, therapist, service, hours, day
):
    response = client.post(
        register_url(service, therapist, day), {**NEW_CLIENT, "phone": "not a phone"}
    )
    assert response.status_code == 400
    assert "Enter a valid phone number" in response.content.decode()
    assert not Client.objects.filter(email=NEW_CLIENT["email"]).exists()


def test_registering_online_stores_the_number_in_e164(
    client, therapist, service, hours, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(service, therapist, day), {**NEW_CLIENT, "phone": "647 555 0199"})
    assert stored_phone(NEW_CLIENT["email"]) == "+16475550199"
