"""Rate limits on sign-in, public registration, intake form posts and every signed-link page:
over the limit is a 429 with a clear message, and nothing changes."""

import pytest
from django.test import Client as Browser
from django.urls import reverse

from clinic.accounts.models import Client, Role, User
from intake.links import link_path
from intake.models import Intake, IntakeLink
from tests.booking.conftest import hours, room, service  # noqa: F401 (fixtures)
from tests.booking.test_online import NEW_CLIENT, day, register_url  # noqa: F401 (fixture)
from tests.factories import PASSWORD, ClientFactory, UserFactory
from tests.intake.answers_fixtures import clear_answers
from tests.intake.forms_fixtures import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    """Set one group's rate for the test."""

    def set_rate(group, rate):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: rate}

    return set_rate


def sign_in(browser, email, password=PASSWORD):
    return browser.post(reverse("login"), {"username": email, "password": password})


def test_sign_in_is_limited_per_address(limit):
    limit("login", "3/h")
    user = UserFactory(email="maya@tranquil.test", role=Role.THERAPIST)
    here = Browser(REMOTE_ADDR="10.1.1.1")
    for n in range(3):
        assert sign_in(here, f"nobody{n}@tranquil.test", "wrong").status_code == 200

    refused = sign_in(here, user.email)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert "_auth_user_id" not in here.session
    assert sign_in(Browser(REMOTE_ADDR="10.1.1.2"), user.email).status_code == 302


def test_sign_in_is_limited_per_account_name_from_any_address(limit):
    limit("login_username", "3/h")
    user = UserFactory(email="maya@tranquil.test", role=Role.THERAPIST)
    for n in range(3):
        sign_in(Browser(REMOTE_ADDR=f"10.2.0.{n}"), "MAYA@tranquil.test", "wrong")

    assert sign_in(Browser(REMOTE_ADDR="10.2.0.9"), user.email).status_code == 429
    assert sign_in(Browser(REMOTE_ADDR="10.2.0.9"), "omar@tranquil.test").status_code == 200


def test_public_registration_is_limited_and_registers_nobody_over_it(
    limit,
    client,
    therapist,
    service,  # noqa: F811
    hours,  # noqa: F811
    day,  # noqa: F811
):
    limit("register", "1/h")
    first = client.post(register_url(service, therapist, day), NEW_CLIENT)
    assert first.status_code == 302
    clients, users = Client.objects.count(), User.objects.count()

    again = {**NEW_CLIENT, "email": "someone.else@example.com"}
    response = client.post(register_url(service, therapist, day, "11:00"), again)

    assert response.status_code == 429
    assert (Client.objects.count(), User.objects.count()) == (clients, users)


def test_intake_form_posts_are_limited_and_store_nothing_over_it(limit, client, a_client):
    limit("intake", "1/h")
    first = IntakeLink.objects.create(client=a_client, sent_to=a_client.email)
    other = ClientFactory()
    second = IntakeLink.objects.create(client=other, sent_to="other@example.com")
    assert client.post(link_path(first), form_data()).status_code == 302

    response = client.post(link_path(second), form_data())

    assert response.status_code == 429
    assert Intake.objects.count() == 1


def test_a_clients_own_intake_form_posts_are_limited(limit, client_as):
    limit("intake", "1/h")
    http = client_as(Role.CLIENT)
    assert http.post(reverse("intake-my-form"), form_data()).status_code == 302

    assert http.post(reverse("intake-my-form"), form_data()).status_code == 429
    assert Intake.objects.count() == 1


def test_the_intake_api_is_limited_like_the_form(limit, client_as):
    limit("intake", "1/h")
    http = client_as(Role.CLIENT)
    body = {"answers": clear_answers()}
    assert http.post("/api/intakes/", body, content_type="application/json").status_code == 201

    response = http.post("/api/intakes/", body, content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"
    assert Intake.objects.count() == 1


def test_password_reset_emails_are_limited(limit, client, mailoutbox):
    limit("password_reset", "1/h")
    user = UserFactory(email="maya@tranquil.test", role=Role.THERAPIST)
    assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 429
    assert len(mailoutbox) == 1


def test_password_reset_links_are_limited(limit, client):
    limit("link", "1/h")
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "guess-token"})
    assert client.get(url).status_code != 429

    assert client.get(url).status_code == 429


LINK_PAGES = [
    ("reminder-confirm", "get"),
    ("reminder-cancel", "post"),
    ("reminder-done", "get"),
    ("reminder-opt-out", "post"),
    ("intake-link-form", "get"),
    ("intake-link-clearance", "get"),
    ("booking-calendar-feed", "get"),
]


@pytest.mark.parametrize(("name", "method"), LINK_PAGES)
def test_every_signed_link_page_is_limited(limit, client, name, method):
    limit("link", "2/h")
    url = reverse(name, args=["a-guessed-token-" + "x" * 40])
    for _ in range(2):
        assert getattr(client, method)(url).status_code != 429

    response = getattr(client, method)(url)

    assert response.status_code == 429
    assert "Nothing was changed" in response.content.decode()


def test_the_link_api_answers_429_in_json_over_the_limit(limit, client):
    limit("link", "1/h")
    url = reverse("api-reminder-link", args=["confirm"])
    client.post(url, {"token": "forged"}, content_type="application/json")

    response = client.post(url, {"token": "forged"}, content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"


def test_an_empty_rate_turns_a_group_off(limit, client):
    limit("link", "")
    url = reverse("reminder-confirm", args=["forged"])
    assert all(client.get(url).status_code != 429 for _ in range(5))
