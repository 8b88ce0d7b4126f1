"""A `clearance` screening is acted on: the client is told what to bring and uploads it from
their page; the therapist, the desk and the admins are alerted; only staff lift the block."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.core.clinic_time import at_local, today
from intake import services
from intake.clearance import ANY_NOTE, what_to_bring
from intake.links import link_path
from intake.models import AlertKind, ClearanceUpload, IntakeAlert, IntakeLink
from intake.status import screening_status
from tests.factories import AppointmentFactory, ClientWithLoginFactory
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import JPEG, PDF, PNG, upload
from tests.intake.forms_fixtures import form_data

pytestmark = pytest.mark.django_db

MIDWIFE = "A note from your midwife or doctor saying massage is OK during your pregnancy."
PREGNANT_24_WEEKS = {"pregnant": True, "pregnancy_weeks": 24}


@pytest.fixture
def pregnant(a_client):
    return services.submit_intake(a_client, clear_answers(**PREGNANT_24_WEEKS), None)


def my_page(http):
    return http.get(reverse("client-home")).content.decode()


def send_note(http, content=PNG, name="note.png"):
    return http.post(reverse("intake-my-clearance"), {"document": upload(name, content)})


def test_the_notes_to_bring_come_from_the_findings_each_named_once():
    findings = [
        {"code": "CL_PREGNANCY", "outcome": "clearance"},
        {"code": "CL_HIGH_RISK_PREGNANCY", "outcome": "clearance"},
        {"code": "PR_ANTICOAGULANTS", "outcome": "precautions"},
        {"code": "CL_SOMETHING_NEW", "outcome": "clearance"},
    ]
    assert what_to_bring(findings) == [MIDWIFE[0].lower() + MIDWIFE[1:-1], ANY_NOTE]


def test_after_a_pregnancy_intake_the_thanks_page_says_what_to_bring_and_offers_the_upload(
    client_as, a_client
):
    http = client_as(Role.CLIENT)
    http.post(
        reverse("intake-my-form"), form_data(pregnant="yes", pregnancy_weeks="24"), follow=True
    )

    page = http.get(reverse("intake-thanks")).content.decode()
    assert MIDWIFE in page
    assert reverse("intake-my-clearance") in page
    assert "CL_PREGNANCY" not in page


def test_the_client_page_says_what_to_bring_and_offers_the_upload(client_as, pregnant):
    page = my_page(client_as(Role.CLIENT))

    assert MIDWIFE in page
    assert f'href="{reverse("intake-my-clearance")}"' in page


def test_a_clear_intake_asks_the_client_for_nothing(client_as, a_client):
    services.submit_intake(a_client, clear_answers(), None)

    page = my_page(client_as(Role.CLIENT))
    assert "provider" not in page and reverse("intake-my-clearance") not in page


def test_a_clearance_intake_alerts_and_emails_the_therapist_the_desk_and_admins(
    a_client, therapist_user, clinic_admin_user, front_desk_user, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        intake = services.submit_intake(a_client, clear_answers(**PREGNANT_24_WEEKS), None)

    told = {therapist_user.email, clinic_admin_user.email, front_desk_user.email}
    alerts = IntakeAlert.objects.filter(intake=intake, kind=AlertKind.CLEARANCE)
    assert {alert.recipient.email for alert in alerts} == told
    assert {m.to[0] for m in mailoutbox} == told
    assert "Clearance needed" in mailoutbox[0].subject
    assert "CL_PREGNANCY" not in mailoutbox[0].body and "ressure" not in mailoutbox[0].body


def test_a_client_uploads_their_note_and_it_waits_for_review_without_lifting_the_block(
    client_as, a_client, pregnant, therapist_user, front_desk_user, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    http = client_as(Role.CLIENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_note(http)

    assert response.status_code == 302 and response.url == reverse("client-home")
    stored = ClearanceUpload.objects.get()
    assert (stored.client, stored.uploaded_by, stored.reviewed_at) == (
        a_client,
        a_client.user,
        None,
    )
    assert stored.document.read().startswith(PNG[:8])
    assert "note" not in stored.document.name  # the phone's file name is not kept
    assert screening_status(a_client).blocks_treatment
    assert not screening_status(a_client).clearance_on_file
    documents = IntakeAlert.objects.filter(intake=pregnant, kind=AlertKind.DOCUMENT)
    assert {alert.recipient for alert in documents} >= {therapist_user, front_desk_user}
    assert any("uploaded a note" in m.subject for m in mailoutbox)
    assert AuditEvent.objects.filter(object_type="intake.clearanceupload").exists()
    assert "You sent a note on" in my_page(http)


@pytest.mark.parametrize(
    ("name", "content"),
    [("note.png", b"GIF89a not a png at all"), ("note.pdf", PNG), ("note.txt", b"hello")],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_by_its_content_is_refused(
    client_as, pregnant, name, content
):
    response = send_note(client_as(Role.CLIENT), content, name)

    assert response.status_code == 400
    assert "must be a PDF, PNG or JPEG" in response.content.decode()
    assert not ClearanceUpload.objects.exists()
    assert not IntakeAlert.objects.filter(kind=AlertKind.DOCUMENT).exists()


def test_a_pdf_note_is_accepted(client_as, pregnant):
    assert send_note(client_as(Role.CLIENT), PDF, "Note from Dr Lee.PDF").status_code == 302
    assert ClearanceUpload.objects.get().document.name.endswith(".pdf")


def test_a_client_whose_form_asks_no_clearance_cannot_upload(client_as, a_client):
    services.submit_intake(a_client, clear_answers(), None)

    response = send_note(client_as(Role.CLIENT))
    assert response.status_code == 400
    assert "does not ask for a clearance" in response.content.decode()
    assert not ClearanceUpload.objects.exists()


def test_a_client_s_upload_lands_on_their_own_record_only(client, pregnant, a_client):
    other = ClientWithLoginFactory()
    services.submit_intake(other, clear_answers(**PREGNANT_24_WEEKS), None)
    client.force_login(other.user)

    send_note(client)

    assert list(ClearanceUpload.objects.values_list("client", flat=True)) == [other.pk]


def test_the_therapist_reads_the_upload_and_recording_the_clearance_marks_it_reviewed(
    client_as, a_client, pregnant, therapist_user
):
    send_note(client_as(Role.CLIENT))
    stored = ClearanceUpload.objects.get()
    http = client_as(Role.THERAPIST)
    page = http.get(a_client.get_absolute_url()).content.decode()
    document_url = reverse("intake-upload-document", args=[stored.pk])
    assert "awaiting review" in page and document_url in page
    assert b"".join(http.get(document_url).streaming_content).startswith(PNG[:8])

    clearance = services.record_clearance(
        a_client,
        provider_name="Midwife Ana",
        cleared_on=timezone.localdate(),
        by_user=therapist_user,
    )

    stored.refresh_from_db()
    assert stored.clearance == clearance and stored.reviewed_at is not None
    assert not screening_status(a_client).blocks_treatment
    assert not IntakeAlert.objects.filter(seen_at__isnull=True, kind=AlertKind.DOCUMENT).exists()


def test_the_front_desk_sees_that_a_document_came_but_never_the_document_or_the_findings(
    client_as, a_client, pregnant
):
    send_note(client_as(Role.CLIENT))
    http = client_as(Role.FRONT_DESK)

    page = http.get(a_client.get_absolute_url()).content.decode()
    assert "Clearance needed" in page and "1 document awaiting" in page
    assert "CL_PREGNANCY" not in page and "side-lying" not in page and "Pregnan" not in page
    document_url = reverse("intake-upload-document", args=[ClearanceUpload.objects.get().pk])
    assert document_url not in page
    assert http.get(document_url).status_code == 403


def test_the_desk_sees_the_alerts_on_its_home_and_marks_them_seen(
    client_as, a_client, pregnant, front_desk_user
):
    http = client_as(Role.FRONT_DESK)
    home = http.get(reverse("home"), follow=True).content.decode()
    assert 'data-alert="clearance"' in home and a_client.full_name in home

    alert = IntakeAlert.objects.get(recipient=front_desk_user)
    http.post(reverse("intake-alerts-seen"), {"alert": alert.pk})

    alert.refresh_from_db()
    assert alert.seen_at is not None


@pytest.mark.parametrize("path", ["/booking/day/", "/booking/week/"])
def test_the_desk_s_badge_tells_clearance_needed_from_cleared(
    client_as, a_client, pregnant, therapist, path
):
    day = today() + timedelta(days=1)
    AppointmentFactory(client=a_client, therapist=therapist, starts_at=at_local(day, time(10)))
    http = client_as(Role.FRONT_DESK)
    url = f"{path}?date={day.isoformat()}&therapist={therapist.pk}"

    needed = http.get(url).content.decode()
    assert 'class="badge badge-clearance" data-outcome="clearance">Clearance needed<' in needed

    services.record_clearance(
        a_client, provider_name="Midwife Ana", cleared_on=timezone.localdate(), by_user=None
    )
    cleared = http.get(url).content.decode()
    assert 'badge-cleared" data-outcome="clearance">Cleared: restrictions apply<' in cleared
    assert "Clearance needed" not in cleared


def test_a_client_who_filled_the_form_from_an_email_uploads_through_the_thanks_page_link(
    client, a_client, front_desk_user
):
    link = IntakeLink.objects.create(client=a_client, sent_to=a_client.email)
    client.post(link_path(link), form_data(pregnant="yes", pregnancy_weeks="24"))
    thanks = client.get(reverse("intake-thanks")).content.decode()
    assert MIDWIFE in thanks
    upload_url = re.search(r'href="(/intake/clearance/[^"]+/)"', thanks).group(1)

    client.cookies.clear()  # the link works on its own, in another browser too
    assert MIDWIFE in client.get(upload_url).content.decode()
    response = client.post(upload_url, {"document": upload("note.jpg", JPEG)})

    assert response.status_code == 302
    stored = ClearanceUpload.objects.get()
    assert (stored.client, stored.uploaded_by) == (a_client, None)
    assert IntakeAlert.objects.filter(recipient=front_desk_user, kind=AlertKind.DOCUMENT).exists()
    assert screening_status(a_client).blocks_treatment


@pytest.mark.parametrize("token", ["forged", "make-from-the-form-link"])
def test_an_upload_link_that_is_forged_or_made_for_another_purpose_is_refused(
    client, a_client, pregnant, token
):
    if token == "make-from-the-form-link":
        link = IntakeLink.objects.create(client=a_client)
        token = link_path(link).rstrip("/").rsplit("/", 1)[1]
    url = reverse("intake-link-clearance", args=[token])

    response = client.post(url, {"document": upload("note.png", PNG)})
    assert response.status_code == 404
    assert not ClearanceUpload.objects.exists()


def test_a_second_note_opens_the_same_alert_again_rather_than_adding_one(
    client_as, pregnant, front_desk_user
):
    http = client_as(Role.CLIENT)
    send_note(http)
    IntakeAlert.objects.filter(kind=AlertKind.DOCUMENT).update(seen_at=timezone.now())

    send_note(http, PDF, "page2.pdf")

    alert = IntakeAlert.objects.get(recipient=front_desk_user, kind=AlertKind.DOCUMENT)
    assert alert.seen_at is None
    assert ClearanceUpload.objects.count() == 2
