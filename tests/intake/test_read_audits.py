"""Reading a client's screening outside the staff pages (the client's own page, the documents
on file) writes exactly one audit row, like every other read of the record."""

from datetime import date

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from intake import services
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import PDF, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_file(a_client, clinic_admin_user):
    """A pregnancy intake, the note the client uploaded, and the clearance staff recorded."""
    intake = services.submit_intake(
        a_client, clear_answers(pregnant=True, pregnancy_weeks=24), None
    )
    uploaded = services.upload_clearance_document(
        a_client, document=upload("note.png", PNG), by_user=a_client.user
    )
    clearance = services.record_clearance(
        a_client,
        provider_name="Dr Lee",
        cleared_on=date.today(),
        by_user=clinic_admin_user,
        document=upload("clearance.pdf", PDF),
    )
    return {"intake": intake, "upload": uploaded, "clearance": clearance}


def new_rows(before, user):
    rows = AuditEvent.objects.filter(id__gt=before, actor=user)
    return list(rows.values_list("action", "object_type", "object_id", "detail"))


def last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize(
    "route, key, object_type",
    [
        ("intake-clearance-document", "clearance", "clearance"),
        ("intake-upload-document", "upload", "intake.clearanceupload"),
    ],
)
def test_opening_a_document_on_file_is_audited_once(
    client_as, therapist_user, on_file, route, key, object_type
):
    before = last_id()

    response = client_as(Role.THERAPIST).get(reverse(route, args=[on_file[key].pk]))

    assert response.status_code == 200
    assert new_rows(before, therapist_user) == [
        ("view", object_type, str(on_file[key].pk), "document")
    ]


def test_the_client_seeing_their_own_answers_is_audited_once(client_as, client_user, on_file):
    before = last_id()

    page = client_as(Role.CLIENT).get(reverse("client-home"))

    assert page.status_code == 200
    assert new_rows(before, client_user) == [
        ("view", "intake", str(on_file["intake"].pk), "own page")
    ]


def test_the_client_seeing_their_documents_is_audited_once(
    client_as, client_user, a_client, on_file
):
    before = last_id()

    assert client_as(Role.CLIENT).get(reverse("client-documents")).status_code == 200

    assert new_rows(before, client_user) == [("view", "documents", str(a_client.pk), "own page")]
