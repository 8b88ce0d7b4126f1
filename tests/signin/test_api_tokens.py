"""API tokens expire, and are revoked when the password changes, the account is locked out or
deactivated."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(email="desk@tranquil.test", role=Role.FRONT_DESK)


@pytest.fixture
def token(user):
    return Token.objects.create(user=user)


def call_api(token):
    return Client().get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")


def test_a_fresh_token_signs_in_to_the_api(token):
    response = call_api(token)
    assert response.status_code == 200
    assert response.json()["email"] == "desk@tranquil.test"


def test_a_token_older_than_its_lifetime_is_refused_and_removed(token, settings):
    settings.API_TOKEN_MAX_AGE_HOURS = 12
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(hours=12, minutes=1)
    )

    response = call_api(token)

    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]
    assert not Token.objects.filter(user=token.user).exists()


def test_a_password_change_revokes_the_token(user, token):
    user.set_password("a brand new passphrase 42")
    user.save()

    assert not Token.objects.filter(user=user).exists()
    assert call_api(token).status_code in (401, 403)


def test_deactivating_the_account_revokes_the_token(user, token):
    user.is_active = False
    user.save()

    assert not Token.objects.filter(user=user).exists()


def test_other_changes_to_the_account_keep_the_token(user, token):
    user.first_name = "Dana"
    user.save()
    user.refresh_from_db()
    user.check_password("correct horse battery staple")

    assert Token.objects.filter(user=user).exists()


def test_an_axes_lockout_revokes_the_token(user, token, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    browser = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(3):
        browser.post(reverse("login"), {"username": user.email, "password": "wrong"})

    assert not Token.objects.filter(user=user).exists()
