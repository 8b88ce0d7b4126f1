"""Intakes, clearances and the documents clients upload are part of the health record: the
database refuses to delete them, whoever asks, and the admin only shows them, auditing each look."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from intake import services
from intake.models import Clearance, ClearanceUpload, Intake
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(a_client, clinic_admin_user):
    """An intake asking for a clearance, the note the client uploaded, and the clearance."""
    intake = services.submit_intake(
        a_client, clear_answers(pregnant=True, pregnancy_weeks=24), None
    )
    uploaded = services.upload_clearance_document(
        a_client, document=upload("note.png", PNG), by_user=a_client.user
    )
    clearance = services.record_clearance(
        a_client, provider_name="Dr Lee", cleared_on=date.today(), by_user=clinic_admin_user
    )
    return {"intake": intake, "clearanceupload": uploaded, "clearance": clearance}


@pytest.mark.parametrize("model", [Intake, Clearance, ClearanceUpload])
def test_the_database_refuses_to_delete_a_clinical_record(records, model):
    obj = records[model._meta.model_name]

    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=obj.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [obj.pk])

    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [Intake, Clearance, ClearanceUpload])
def test_the_admin_offers_no_delete_and_no_change_and_audits_each_look(
    client_as, superuser_admin, clinic_admin_user, records, model
):
    obj = records[model._meta.model_name]
    http = client_as(Role.CLINIC_ADMIN)
    name = f"admin:intake_{model._meta.model_name}"
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    page = http.get(reverse(f"{name}_change", args=[obj.pk]))

    assert page.status_code == 200
    assert "Save" not in page.content.decode() and "Delete" not in page.content.decode()
    rows = AuditEvent.objects.filter(id__gt=before, actor=clinic_admin_user)
    assert list(rows.values_list("action", "object_id", "detail")) == [
        ("view", str(obj.pk), "admin")
    ]
    assert http.get(reverse(f"{name}_delete", args=[obj.pk])).status_code == 403
    assert http.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_intake_links_cannot_be_deleted_from_the_admin(
    client_as, superuser_admin, a_client, clinic_admin_user
):
    link = services.send_intake_link(a_client, clinic_admin_user)
    http = client_as(Role.CLINIC_ADMIN)

    response = http.post(reverse("admin:intake_intakelink_delete", args=[link.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert type(link).objects.filter(pk=link.pk).exists()


def test_the_admin_page_of_a_check_in_is_read_only_and_audited(
    client_as, superuser_admin, a_client, clinic_admin_user
):
    services.submit_intake(a_client, clear_answers(), None)
    check_in = services.record_check_in(a_client, False, clinic_admin_user)
    http = client_as(Role.CLINIC_ADMIN)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    page = http.get(reverse("admin:intake_intakecheckin_change", args=[check_in.pk]))

    assert page.status_code == 200 and "Save" not in page.content.decode()
    rows = AuditEvent.objects.filter(id__gt=before, actor=clinic_admin_user)
    assert list(rows.values_list("action", "object_id", "detail")) == [
        ("view", str(check_in.pk), "admin")
    ]
