"""The client's record: intake, plan, notes and progress in one page, in a fixed number of queries;
its PDF and the signed note's PDF; and the audit rows every view and change leaves."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import AuditEvent
from clinic.booking.models import Appointment, AppointmentStatus
from sessions import notes as note_service
from sessions.models import Amendment, SessionNote
from sessions.views import NOTES_PER_PAGE
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory
from tests.treatment.conftest import formset, make_plan, signed_note

pytestmark = pytest.mark.django_db


def many_sessions(client, therapist, count):
    """`count` signed notes on past weekly visits, each with an amendment (bulk, for speed)."""
    room, service = RoomFactory(name="Room 1"), ServiceFactory(name="Gluteal release")
    earlier = client.appointments.count()
    start = timezone.now().replace(microsecond=0) - timedelta(days=7 * (count + earlier + 1))
    visits = Appointment.objects.bulk_create(
        AppointmentFactory.build(
            client=client,
            therapist=therapist,
            room=room,
            service=service,
            starts_at=start + timedelta(days=7 * n),
            status=AppointmentStatus.COMPLETED,
        )
        for n in range(count)
    )
    signed_at = timezone.now()
    notes = SessionNote.objects.bulk_create(
        SessionNote(
            appointment=visit,
            client=client,
            therapist=therapist,
            session_on=visit.starts_at.date(),
            subjective="Sore",
            pain_before=6 - n % 3,
            pain_after=3,
            signed_at=signed_at,
            signed_by=therapist.user,
            content_hash="0" * 64,
        )
        for n, visit in enumerate(visits)
    )
    Amendment.objects.bulk_create(
        Amendment(note=note, author=therapist.user, reason="r", text="t", content_hash="0" * 64)
        for note in notes
    )


def test_the_record_shows_intake_plan_notes_and_progress(client_as, clear_client, therapist):
    make_plan(clear_client, therapist)
    signed_note(clear_client, therapist, pain=(6, 3))
    body = client_as("therapist").get(reverse("treatment-record", args=[clear_client.pk]))
    text = body.content.decode()
    for section in ('id="screening"', 'id="plans"', 'id="notes"', 'id="progress"'):
        assert section in text
    assert "6 → 3" in text


def test_the_record_page_takes_a_fixed_number_of_queries_with_200_sessions(
    client_as, clear_client, therapist, django_assert_max_num_queries
):
    make_plan(clear_client, therapist)
    http = client_as("therapist")
    url = reverse("treatment-record", args=[clear_client.pk])
    many_sessions(clear_client, therapist, 2)
    with django_assert_max_num_queries(40) as few:
        http.get(url)
    many_sessions(clear_client, therapist, 198)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = http.get(url)
    assert response.content.decode().count("/treatment/notes/") == NOTES_PER_PAGE
    assert len(many.captured_queries) == len(few.captured_queries)


def note_links(html):
    return re.findall(r"/treatment/notes/(\d+)/", html)


def test_the_record_shows_the_newest_notes_and_older_ones_a_page_at_a_time(
    client_as, clear_client, therapist
):
    many_sessions(clear_client, therapist, NOTES_PER_PAGE + 5)
    http = client_as("therapist")
    url = reverse("treatment-record", args=[clear_client.pk])
    first, second = http.get(url).content.decode(), http.get(f"{url}?notes=2").content.decode()
    newest_first = [
        str(pk)
        for pk in SessionNote.objects.filter(client=clear_client)
        .order_by("-appointment__starts_at")
        .values_list("pk", flat=True)
    ]
    assert note_links(first) + note_links(second) == newest_first
    assert "Show older notes" in first and 'href="?notes=2#notes"' in first
    assert "Show older notes" not in second and "Newer notes" in second
    assert f"down to note {NOTES_PER_PAGE + 5} of {NOTES_PER_PAGE + 5}" in second


@pytest.mark.parametrize("page", ["0", "-3", "x", "99"])
def test_a_page_of_notes_out_of_range_shows_a_page_without_an_error(
    client_as, clear_client, therapist, page
):
    many_sessions(clear_client, therapist, 3)
    url = reverse("treatment-record", args=[clear_client.pk])
    response = client_as("therapist").get(f"{url}?notes={page}")
    assert response.status_code == 200
    assert len(note_links(response.content.decode())) == 3


def test_a_signed_note_and_the_whole_record_download_as_pdf(client_as, clear_client, therapist):
    note = signed_note(clear_client, therapist)
    http = client_as("therapist")
    for url in (
        reverse("note-pdf", args=[note.pk]),
        reverse("treatment-record-pdf", args=[clear_client.pk]),
    ):
        response = http.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_a_draft_has_no_pdf_yet(client_as, draft):
    response = client_as("therapist").get(reverse("note-pdf", args=[draft.pk]))
    assert response.url == reverse("note-edit", args=[draft.pk])


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).values_list("action", "object_type"))


def test_viewing_and_changing_plans_and_notes_writes_audit_rows(
    client_as, clear_client, therapist, checked_in
):
    http = client_as("therapist")
    plan = make_plan(clear_client, therapist)
    http.get(reverse("plan-detail", args=[plan.pk]))
    http.get(reverse("note-for-appointment", kwargs={"appointment_id": checked_in.pk}))
    note = SessionNote.objects.get()
    http.get(reverse("note-edit", args=[note.pk]))
    http.post(reverse("note-autosave", args=[note.pk]), {"subjective": "x"})
    note_service.save_draft(note, {"pain_before": 5, "pain_after": 3}, therapist.user)
    http.post(
        reverse("note-edit", args=[note.pk]),
        {
            "subjective": "x",
            "pain_before": "5",
            "pain_after": "3",
            "action": "review",
            **formset("techniques"),
            **formset("trigger_points"),
            **formset("psfs"),
        },
    )
    http.post(reverse("note-sign", args=[note.pk]))
    http.post(reverse("note-amend", args=[note.pk]), {"reason": "r", "text": "t"})
    http.get(reverse("note-pdf", args=[note.pk]))
    http.get(reverse("treatment-record", args=[clear_client.pk]))
    assert events(client=clear_client, actor=therapist.user) == [
        ("view", "intake"),
        ("view", "record"),
        ("export", "note"),
        ("amend", "note"),
        ("sign", "note"),
        ("update", "note"),
        ("update", "note"),
        ("update", "note"),
        ("view", "note"),
        ("create", "note"),
        ("view", "plan"),
        ("create", "plan"),
    ]
    row = AuditEvent.objects.filter(action="view", object_type="plan").get()
    assert row.ip_address == "127.0.0.1" and row.object_id == str(plan.pk)


def test_the_admin_filters_the_audit_log_by_client_and_action(client_as, clear_client, therapist):
    signed_note(clear_client, therapist)
    page = client_as("clinic_admin").get(
        reverse("audit-log"), {"client": clear_client.pk, "action": "sign"}
    )
    text = page.content.decode()
    assert "1 event." in text and "Signed" in text
