"""Only the visit's own therapist writes and signs its note, through the API and the pages.

The client's primary therapist treats them too, so may read the note; they may not start,
change or sign the note of a visit booked with a colleague (the note would name one therapist
and carry another's signature).
"""

import json

import pytest

from clinic.audit.models import AuditEvent
from sessions import notes as note_service
from sessions.models import SessionNote
from tests.factories import TherapistFactory
from tests.treatment.conftest import visit

pytestmark = pytest.mark.django_db

READY = {"assessment": "Better", "pain_before": 5, "pain_after": 2}


@pytest.fixture
def colleague():
    return TherapistFactory(user__email="colleague@tranquil.test")


@pytest.fixture
def colleagues_visit(clear_client, colleague):
    """A visit of the therapist's own client, booked with a colleague and checked in."""
    return visit(clear_client, colleague)


@pytest.fixture
def colleagues_draft(colleagues_visit, colleague):
    note, _ = note_service.start_note(colleagues_visit, colleague.user)
    note_service.save_draft(note, READY, colleague.user)
    return note


def post_json(http, url, body=None):
    return http.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_api_refuses_to_start_a_colleagues_visit_note(client_as, colleagues_visit):
    response = post_json(
        client_as("therapist"), "/api/notes/", {"appointment": colleagues_visit.pk}
    )
    assert response.status_code == 403
    assert not SessionNote.objects.exists()


def test_the_api_refuses_to_change_or_sign_a_colleagues_note(client_as, colleagues_draft):
    http = client_as("therapist")
    before = AuditEvent.objects.count()
    patched = http.patch(
        f"/api/notes/{colleagues_draft.pk}/",
        json.dumps({"assessment": "Mine now"}),
        content_type="application/json",
    )
    signed = post_json(http, f"/api/notes/{colleagues_draft.pk}/sign/")
    assert (patched.status_code, signed.status_code) == (403, 403)
    colleagues_draft.refresh_from_db()
    assert colleagues_draft.assessment == "Better" and colleagues_draft.signed_at is None
    assert AuditEvent.objects.count() == before


def test_the_api_still_lets_the_colleague_read_the_note(client_as, colleagues_draft):
    assert client_as("therapist").get(f"/api/notes/{colleagues_draft.pk}/").status_code == 200


def test_the_visits_own_therapist_starts_and_signs_through_the_api(
    client, colleagues_visit, colleague
):
    client.force_login(colleague.user)
    started = post_json(client, "/api/notes/", {"appointment": colleagues_visit.pk, **READY})
    assert started.status_code == 201
    signed = post_json(client, f"/api/notes/{started.json()['id']}/sign/")
    assert signed.status_code == 200
    assert SessionNote.objects.get().signed_by == colleague.user


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/treatment/appointments/{visit}/note/"),
        ("get", "/treatment/notes/{note}/edit/"),
        ("post", "/treatment/notes/{note}/edit/"),
        ("get", "/treatment/notes/{note}/sign/"),
        ("post", "/treatment/notes/{note}/sign/"),
        ("post", "/treatment/notes/{note}/autosave/"),
    ],
)
def test_the_pages_refuse_to_write_or_sign_a_colleagues_note(
    client_as, colleagues_draft, method, path
):
    url = path.format(visit=colleagues_draft.appointment_id, note=colleagues_draft.pk)
    response = getattr(client_as("therapist"), method)(url, {"assessment": "Mine now"})
    assert response.status_code == 403
    colleagues_draft.refresh_from_db()
    assert colleagues_draft.assessment == "Better" and colleagues_draft.signed_at is None


def test_the_page_refuses_to_start_a_colleagues_visit_note(client_as, colleagues_visit):
    url = f"/treatment/appointments/{colleagues_visit.pk}/note/"
    assert client_as("therapist").get(url).status_code == 403
    assert not SessionNote.objects.exists()
