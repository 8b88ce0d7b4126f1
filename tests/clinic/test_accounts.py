import pytest
from django.urls import reverse

from clinic.accounts.models import Role, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_by_email_lands_on_the_role_home_page(client):
    UserFactory(email="desk@tranquil.test", role=Role.FRONT_DESK)
    response = client.post(
        reverse("login"), {"username": "desk@tranquil.test", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("front-desk-home")
    assert response.context["user"].email == "desk@tranquil.test"


def test_login_email_is_not_case_sensitive(client):
    UserFactory(email="maya@tranquil.test", role=Role.THERAPIST)
    response = client.post(
        reverse("login"), {"username": "Maya@Tranquil.TEST", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_shows_an_error_and_logs_nobody_in(client):
    UserFactory(email="desk@tranquil.test", role=Role.FRONT_DESK)
    response = client.post(
        reverse("login"), {"username": "desk@tranquil.test", "password": "wrong password"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_to_the_account_email(client, mailoutbox):
    UserFactory(email="desk@tranquil.test", role=Role.FRONT_DESK)
    client.post(reverse("password_reset"), {"email": "desk@tranquil.test"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["desk@tranquil.test"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_users_are_stored_with_a_lowercase_email():
    user = User.objects.create_user("Sam@Example.COM", "pw-12345678")
    assert user.email == "sam@example.com"
    assert user.role == Role.CLIENT


def test_clinic_admins_get_django_admin_access():
    user = UserFactory(role=Role.CLINIC_ADMIN)
    assert user.is_staff
    assert not UserFactory(role=Role.FRONT_DESK).is_staff
