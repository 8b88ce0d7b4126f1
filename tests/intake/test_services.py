from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from intake import services
from intake.models import Clearance, Intake, IntakeAlert, IntakeCheckIn
from intake.screening import RULES_VERSION
from intake.status import MISSING, screening_status
from tests.factories import ClientFactory, TherapistFactory, UserFactory
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def test_an_intake_is_stored_with_its_screening_and_rules_version(a_client, therapist_user):
    intake = services.submit_intake(a_client, clear_answers(osteoporosis=True), therapist_user)

    intake.refresh_from_db()
    assert intake.outcome == "clearance"
    assert [f["code"] for f in intake.findings] == ["CL_OSTEOPOROSIS"]
    assert intake.restrictions["max_pressure"] == "light"
    assert intake.rules_version == RULES_VERSION
    assert intake.signature == "Alex Example"
    assert intake.submitted_by == therapist_user
    assert intake.valid_until == intake.submitted_at + timedelta(days=90)
    assert intake.consented_at == intake.submitted_at


def test_bad_answers_raise_with_field_errors_and_store_nothing(a_client):
    with pytest.raises(services.InvalidInput) as raised:
        services.submit_intake(a_client, clear_answers(pain_score=11, consent=False), None)

    assert set(raised.value.errors) == {"pain_score", "consent"}
    assert not Intake.objects.exists()
    assert not AuditEvent.objects.exists()


def test_answers_that_are_not_an_object_are_refused(a_client):
    with pytest.raises(services.InvalidInput):
        services.submit_intake(a_client, ["pain_score", 3], None)
    assert not Intake.objects.exists()


def test_submitting_an_intake_writes_an_audit_row(a_client, client_user):
    intake = services.submit_intake(a_client, clear_answers(), client_user)

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_id) == (client_user, "create", str(intake.pk))
    assert event.client == a_client


def test_a_refer_intake_alerts_and_emails_the_therapist_and_active_admins(
    a_client, therapist_user, clinic_admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.CLINIC_ADMIN, email="gone@tranquil.test", is_active=False)
    UserFactory(role=Role.FRONT_DESK, email="desk2@tranquil.test")
    TherapistFactory(user__email="other@tranquil.test")

    with django_capture_on_commit_callbacks(execute=True):
        intake = services.submit_intake(a_client, clear_answers(saddle_numbness=True), None)

    told = {therapist_user.email, clinic_admin_user.email}
    assert {m.to[0] for m in mailoutbox} == told
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert a_client.full_name in mailoutbox[0].subject
    assert a_client.get_absolute_url() in mailoutbox[0].body
    # The email points at the app; the findings themselves stay there.
    assert "RF_CAUDA_EQUINA" not in mailoutbox[0].body
    assert {a.recipient.email for a in IntakeAlert.objects.filter(intake=intake)} == told


@pytest.mark.parametrize("overrides", [{}, {"anticoagulants": True}])
def test_a_clear_or_precautions_intake_alerts_no_one(
    a_client, clinic_admin_user, mailoutbox, django_capture_on_commit_callbacks, overrides
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_intake(a_client, clear_answers(**overrides), None)

    assert mailoutbox == []
    assert not IntakeAlert.objects.exists()


def test_a_link_is_emailed_to_the_client_with_its_url(
    a_client, front_desk_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = services.send_intake_link(a_client, front_desk_user, "https://clinic.example")

    (message,) = mailoutbox
    assert message.to == [a_client.email]
    assert "https://clinic.example/intake/fill/" in message.body
    assert "expires in 7 days" in message.body
    assert (link.client, link.created_by, link.used_at) == (a_client, front_desk_user, None)


def test_a_client_without_an_email_gets_no_link(front_desk_user, mailoutbox):
    client = ClientFactory(email="")
    with pytest.raises(services.InvalidInput) as raised:
        services.send_intake_link(client, front_desk_user)
    assert "no email address" in raised.value.errors["email"][0]
    assert not client.intake_links.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("note.pdf", PDF), ("scan.png", PNG), ("photo.jpg", JPEG), ("photo.JPEG", JPEG)],
)
def test_a_clearance_keeps_a_pdf_or_image_under_a_new_name(a_client, therapist_user, name, content):
    clearance = services.record_clearance(
        a_client,
        provider_name="  Dr Lee ",
        cleared_on=timezone.localdate(),
        by_user=therapist_user,
        document=upload(name, content),
    )

    clearance.refresh_from_db()
    assert clearance.provider_name == "Dr Lee"
    assert clearance.document.read() == content
    assert name not in clearance.document.name
    assert clearance.document.name.startswith(f"clearances/{a_client.pk}/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.pdf", b"MZ\x90\x00 not a pdf at all", "must be a PDF, PNG or JPEG"),
        ("scan.png", PDF, "must be a PDF, PNG or JPEG"),
        ("script.exe", PDF, "must be a PDF, PNG or JPEG"),
        ("note", PDF, "must be a PDF, PNG or JPEG"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
    ids=["wrong-content", "content-does-not-match-name", "exe", "no-extension", "over-10-mb"],
)
def test_a_clearance_document_of_the_wrong_type_or_size_is_refused(
    a_client, therapist_user, name, content, message
):
    with pytest.raises(services.InvalidInput) as raised:
        services.record_clearance(
            a_client,
            provider_name="Dr Lee",
            cleared_on=timezone.localdate(),
            by_user=therapist_user,
            document=upload(name, content),
        )
    assert message in raised.value.errors["document"][0]
    assert not Clearance.objects.exists()


def test_a_document_of_exactly_10_mb_is_accepted(a_client, therapist_user):
    content = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    clearance = services.record_clearance(
        a_client,
        provider_name="Dr Lee",
        cleared_on=timezone.localdate(),
        by_user=therapist_user,
        document=upload("note.pdf", content),
    )
    assert clearance.document.size == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"provider_name": "   "}, "provider_name"),
        ({"cleared_on": timezone.localdate() + timedelta(days=2)}, "cleared_on"),
        ({"cleared_on": None}, "cleared_on"),
    ],
)
def test_a_clearance_needs_a_provider_and_a_date_not_in_the_future(
    a_client, therapist_user, fields, field
):
    values = {"provider_name": "Dr Lee", "cleared_on": timezone.localdate()} | fields
    with pytest.raises(services.InvalidInput) as raised:
        services.record_clearance(a_client, by_user=therapist_user, **values)
    assert list(raised.value.errors) == [field]
    assert not Clearance.objects.exists()


def test_a_change_at_check_in_means_the_old_intakes_no_longer_count(a_client, therapist_user):
    services.submit_intake(a_client, clear_answers(), None)
    services.submit_intake(a_client, clear_answers(anticoagulants=True), None)

    check_in = services.record_check_in(a_client, True, therapist_user)

    assert check_in.changed and check_in.recorded_by == therapist_user
    assert screening_status(a_client).outcome == MISSING
    assert screening_status(a_client).needs_intake
    assert not Intake.objects.filter(superseded_at__isnull=True).exists()


def test_no_change_at_check_in_keeps_the_intake(a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)

    services.record_check_in(a_client, False, None)

    assert screening_status(a_client).intake == intake
    assert IntakeCheckIn.objects.get().changed is False


def test_a_check_in_answer_must_be_yes_or_no(a_client):
    with pytest.raises(services.InvalidInput):
        services.record_check_in(a_client, None, None)
    assert not IntakeCheckIn.objects.exists()


def test_marking_alerts_seen_touches_only_the_user_s_own(
    a_client, therapist_user, clinic_admin_user
):
    intake = services.submit_intake(a_client, clear_answers(fever_or_unwell=True), None)
    mine = IntakeAlert.objects.get(intake=intake, recipient=therapist_user)
    theirs = IntakeAlert.objects.get(intake=intake, recipient=clinic_admin_user)

    assert services.mark_alerts_seen(therapist_user, [mine.pk, theirs.pk]) == 1

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.seen_at is not None and theirs.seen_at is None
