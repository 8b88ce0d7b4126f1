"""A client holds one intake link at a time: sending again sends the same one, and once the form
is in, every link the client was sent says so instead of opening a blank form."""

from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError
from django.urls import reverse

from clinic.accounts.models import Role
from intake.links import new_link, read_token
from intake.models import IntakeLink
from intake.services import send_intake_link, submit_intake
from tests.intake.answers_fixtures import clear_answers
from tests.intake.forms_fixtures import form_data

pytestmark = pytest.mark.django_db


def emailed_path(message):
    url = next(word for word in message.body.split() if "/intake/fill/" in word)
    return urlsplit(url).path


@pytest.fixture
def send(a_client, front_desk_user, mailoutbox, django_capture_on_commit_callbacks):
    """The desk sends the client their link; returns the path in the email."""

    def send_once():
        with django_capture_on_commit_callbacks(execute=True):
            send_intake_link(a_client, front_desk_user)
        return emailed_path(mailoutbox[-1])

    return send_once


def test_sending_the_link_again_sends_the_same_link(a_client, send):
    first, second = send(), send()
    assert read_token(first.split("/")[-2]) == read_token(second.split("/")[-2])
    assert IntakeLink.objects.filter(client=a_client).count() == 1


def test_the_database_refuses_a_second_live_link_for_a_client(a_client):
    new_link(a_client)
    with pytest.raises(IntegrityError):
        IntakeLink.objects.create(client=a_client)


def test_after_the_form_is_in_an_older_email_of_the_link_is_refused(client, send):
    older, newer = send(), send()
    assert client.post(newer, form_data()).status_code == 302
    response = client.get(older)
    assert response.status_code == 410
    assert "already been sent" in response.content.decode()


def test_a_form_filled_in_another_way_retires_the_emailed_link(client, a_client, client_as, send):
    emailed = send()
    client_as(Role.CLIENT).post(reverse("intake-my-form"), form_data())
    client.logout()
    response = client.get(emailed)
    assert response.status_code == 410
    assert "no longer needed" in response.content.decode()
    assert 'id="q-pain_score"' not in response.content.decode()


def test_a_new_link_is_made_once_the_last_one_was_used(a_client):
    used = new_link(a_client)
    submit_intake(a_client, clear_answers(), None, link=used)
    assert new_link(a_client) != used
