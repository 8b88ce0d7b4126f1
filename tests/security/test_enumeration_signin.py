"""What a stranger learns from the new public pages (sign-in, password reset, the staff
invitation link): the same answer whether the account exists, is active, or is still invited."""

import re

import pytest
from django.core import mail

from clinic.accounts.models import Role
from clinic.setup import staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Correct-horse-1"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


@pytest.fixture
def accounts(clinic_admin_user):
    """An active account, a deactivated one (right password), an invited one (no password)."""
    active = UserFactory(email="active@tranquil.test", role=Role.FRONT_DESK)
    gone = UserFactory(email="gone@tranquil.test", role=Role.FRONT_DESK, is_active=False)
    for user in (active, gone):
        user.set_password(PASSWORD)
        user.save()
    invited = staff.invite_staff(
        email="invited@tranquil.test",
        role=Role.FRONT_DESK,
        first_name="In",
        last_name="Vited",
        by=clinic_admin_user,
    )
    return active, gone, invited


def page(response):
    """The page without its per-request CSRF token and nonces."""
    body = CSRF.sub(b"", response.content)
    return response.status_code, re.sub(rb'nonce="[^"]+"', b"", body)


def test_a_wrong_sign_in_reads_the_same_for_any_account_or_none(client, accounts):
    tries = [
        ("active@tranquil.test", "wrong-password"),
        ("gone@tranquil.test", PASSWORD),  # deactivated: the right password opens nothing
        ("invited@tranquil.test", "wrong-password"),
        ("nobody@tranquil.test", "wrong-password"),
    ]
    answers = []
    for email, password in tries:
        response = client.post("/accounts/login/", {"username": email, "password": password})
        answers.append(page(response)[1].replace(email.encode(), b"EMAIL"))
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert len(set(answers)) == 1


def test_a_password_reset_answers_alike_and_mails_only_an_active_account(client, accounts):
    mail.outbox.clear()
    answers = [
        client.post("/accounts/password-reset/", {"email": email})
        for email in (
            "active@tranquil.test",
            "gone@tranquil.test",
            "invited@tranquil.test",
            "nobody@tranquil.test",
        )
    ]
    assert {(a.status_code, a.headers.get("Location")) for a in answers} == {
        (302, "/accounts/password-reset/sent/")
    }
    assert [m.to for m in mail.outbox] == [["active@tranquil.test"]]


def test_an_invitation_link_for_a_deactivated_or_client_account_reads_like_a_forged_one(
    client, accounts, a_client
):
    _active, gone, _invited = accounts
    links = [
        "not-a-token",
        staff.invite_token(gone),
        staff.invite_token(a_client.user),
        staff.make_token(10**9, salt=staff.INVITE_SALT),
    ]
    answers = [page(client.get(f"/welcome/{token}/")) for token in links]
    assert {status for status, _ in answers} == {400}
    assert len({body for _, body in answers}) == 1
