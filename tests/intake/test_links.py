import time

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from clinic.accounts.models import Role
from intake.links import SALT, link_path, make_token
from intake.models import Intake, IntakeLink
from tests.intake.forms_fixtures import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(a_client):
    return IntakeLink.objects.create(client=a_client, sent_to=a_client.email)


def path_signed_ago(link, seconds):
    """The link's path as if it had been signed and emailed `seconds` ago."""
    then = int(time.time()) - seconds
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        return link_path(link)


def test_the_front_desk_sends_the_link_from_the_client_page_and_it_opens_the_form(
    client_as, a_client, mailoutbox, django_capture_on_commit_callbacks
):
    http = client_as(Role.FRONT_DESK)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(reverse("intake-send-link", args=[a_client.pk]), follow=True)

    assert f"Intake link sent to {a_client.email}" in response.content.decode()
    (message,) = mailoutbox
    url = next(word for word in message.body.split() if "/intake/fill/" in word)
    assert url.startswith("http://testserver/intake/fill/")
    http.logout()
    assert 'id="q-pain_score"' in http.get(url).content.decode()


def test_a_link_works_once(client, link):
    url = link_path(link)
    assert client.post(url, form_data()).status_code == 302

    for second_try in (client.get(url), client.post(url, form_data())):
        assert second_try.status_code == 410
        assert "already been sent" in second_try.content.decode()
    assert Intake.objects.count() == 1
    link.refresh_from_db()
    assert link.used_at is not None and link.intake == Intake.objects.get()


def test_an_invalid_submission_does_not_use_up_the_link(client, link):
    url = link_path(link)
    assert client.post(url, form_data(consent=None)).status_code == 400

    link.refresh_from_db()
    assert link.used_at is None
    assert client.post(url, form_data()).status_code == 302


def test_a_link_expires_after_the_configured_age(client, link):
    url = path_signed_ago(link, settings.INTAKE_LINK_MAX_AGE + 1)

    for attempt in (client.get(url), client.post(url, form_data())):
        assert attempt.status_code == 410
        assert "This link has expired" in attempt.content.decode()
    assert not Intake.objects.exists()


def test_a_link_still_works_just_before_it_expires(client, link):
    url = path_signed_ago(link, settings.INTAKE_LINK_MAX_AGE - 60)

    assert client.post(url, form_data()).status_code == 302


@pytest.mark.parametrize(
    "token",
    [
        lambda link: make_token(link)[:-2] + "xx",
        lambda link: signing.dumps({"link": link.pk, "nonce": link.nonce}),
        lambda link: signing.dumps({"link": link.pk, "nonce": "guessed"}, salt=SALT),
        lambda link: signing.dumps(["not", "a", "link"], salt=SALT),
    ],
    ids=["tampered", "other-salt", "wrong-nonce", "wrong-shape"],
)
def test_a_forged_link_opens_nothing(client, link, token):
    response = client.get(reverse("intake-link-form", args=[token(link)]))

    assert response.status_code == 404
    assert "not complete or not valid" in response.content.decode()
    assert 'id="q-pain_score"' not in response.content.decode()


def test_the_audit_log_names_the_client_who_sent_the_intake_through_their_link(
    client, client_as, link, a_client
):
    assert client.post(link_path(link), form_data()).status_code == 302

    log = client_as(Role.CLINIC_ADMIN).get(reverse("audit-log")).content.decode()
    assert f"{a_client.full_name} (client, via emailed link)" in log
    row = next(r for r in log.split("<tr>") if "intake" in r and "Created" in r)
    assert "system" not in row
