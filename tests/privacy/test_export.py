"""A client's whole record on request: a PDF for people, a FHIR R4 bundle for systems."""

import json
import subprocess
from collections import Counter

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from clinic.accounts.models import Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.privacy.export import export_record
from clinic.privacy.fhir import record_bundle
from clinic.privacy.models import ExportFormat, RecordExport

pytestmark = pytest.mark.django_db


def pdf_text(content, tmp_path):
    path = tmp_path / "record.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return " ".join(done.stdout.split())


def test_the_pdf_export_holds_the_clients_name_intake_and_notes(client_as, full_record, tmp_path):
    client = full_record["client"]
    response = client_as(Role.CLINIC_ADMIN).post(reverse("privacy-export-pdf", args=[client.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    assert client.full_name in text
    assert "Tight hamstrings since spring" in text  # an intake answer
    assert "Sore after gardening." in text  # a signed note
    assert "Wrong side recorded" in text  # its amendment
    assert "Dr Rowe" in text  # the clearance


def test_each_export_writes_one_export_row_and_one_disclose_audit_row(client_as, full_record):
    client = full_record["client"]
    before = AuditEvent.objects.count()
    client_as(Role.CLINIC_ADMIN).post(reverse("privacy-export-fhir", args=[client.pk]))
    new = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
    assert [(e.action, e.client_id) for e in new] == [(AuditAction.DISCLOSE, client.pk)]
    assert RecordExport.objects.get().format == ExportFormat.FHIR


def test_the_fhir_bundle_validates_as_fhir_r4b_with_every_record_kind(
    full_record, clinic_admin_user
):
    export, record = export_record(
        client=full_record["client"], format=ExportFormat.FHIR, by=clinic_admin_user
    )
    data = record_bundle(record)
    Bundle.model_validate(data)  # raises on any invalid element
    kinds = Counter(entry["resource"]["resourceType"] for entry in data["entry"])
    assert kinds == {
        "Patient": 1,
        "Appointment": 2,
        "QuestionnaireResponse": 1,
        # the intake's pain score, and before and after each of the two sessions
        "Observation": 5,
        "CarePlan": 1,
        # two notes, one amendment, one clearance
        "DocumentReference": 4,
    }


def test_the_fhir_bundle_embeds_the_clearance_document(full_record, clinic_admin_user):
    _, record = export_record(
        client=full_record["client"], format=ExportFormat.FHIR, by=clinic_admin_user
    )
    data = record_bundle(record)
    clearance = next(
        e["resource"] for e in data["entry"] if e["resource"]["id"].startswith("clearance-")
    )
    assert [c["attachment"]["contentType"] for c in clearance["content"]] == [
        "text/plain; charset=utf-8",
        "application/pdf",
    ]


def test_the_api_answers_the_bundle_and_names_the_export(client_as, full_record):
    client = full_record["client"]
    response = client_as(Role.CLINIC_ADMIN).post(reverse("api-privacy-export", args=[client.pk]))
    assert response.status_code == 200
    assert response["X-Record-Export"] == str(RecordExport.objects.get().pk)
    Bundle.model_validate(json.loads(response.content))


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK, Role.CLIENT])
def test_no_other_role_may_export_a_whole_record(client_as, full_record, role):
    client = full_record["client"]
    response = client_as(role).post(reverse("privacy-export-fhir", args=[client.pk]))
    assert response.status_code == 403
    assert not RecordExport.objects.exists()


def test_the_export_reads_the_record_in_a_fixed_number_of_queries(
    full_record, clinic_admin_user, django_assert_max_num_queries, therapist
):
    from tests.treatment.conftest import signed_note

    with django_assert_max_num_queries(14):
        export_record(client=full_record["client"], format=ExportFormat.PDF, by=clinic_admin_user)
    signed_note(full_record["client"], therapist)
    with django_assert_max_num_queries(14):
        export_record(client=full_record["client"], format=ExportFormat.PDF, by=clinic_admin_user)


def test_an_export_that_fails_to_render_leaves_no_export_or_audit_row(
    client_as, full_record, monkeypatch
):
    def broken(record):
        raise RuntimeError("renderer down")

    monkeypatch.setattr("clinic.privacy.views.record_bundle", broken)
    http = client_as(Role.CLINIC_ADMIN)
    http.raise_request_exception = False
    before = AuditEvent.objects.count()
    response = http.post(reverse("privacy-export-fhir", args=[full_record["client"].pk]))
    assert response.status_code == 500
    assert not RecordExport.objects.exists()
    assert AuditEvent.objects.count() == before


def test_drafts_uploads_practice_and_cancelled_visits_are_in_the_bundle_too(
    full_record, clinic_admin_user, therapist
):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from clinic.booking.models import AppointmentStatus
    from intake.models import ClearanceUpload
    from sessions import homecare
    from sessions import notes as note_service
    from tests.treatment.conftest import visit

    client = full_record["client"]
    draft, _ = note_service.start_note(visit(client, therapist), therapist.user)
    ClearanceUpload.objects.create(client=client, document=ContentFile(b"\x89PNG", name="x.png"))
    homecare.record_practice(client, full_record["plan"], timezone.localdate(), pain_now=2)
    visit(
        client, therapist, timezone.now() + timezone.timedelta(days=3), AppointmentStatus.CANCELLED
    )
    _, record = export_record(client=client, format=ExportFormat.FHIR, by=clinic_admin_user)
    data = record_bundle(record)
    Bundle.model_validate(data)
    resources = {entry["resource"]["id"]: entry["resource"] for entry in data["entry"]}
    assert resources[f"note-{draft.pk}"]["docStatus"] == "preliminary"
    assert any(key.startswith("upload-") for key in resources)
    assert any(key.startswith("practice-") for key in resources)
    assert "cancelled" in {r.get("status") for r in resources.values()}
