"""Charting after the desk pressed Done: a completed visit gets its note, late ones are marked,
and the therapist's home lists the visits still waiting for a signed note."""

from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.booking import booking
from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import at_local, today
from clinic.core.models import ClinicSettings
from sessions import notes as note_service
from sessions.models import SessionNote
from tests.factories import ClientFactory, TherapistFactory
from tests.treatment.conftest import screened, signed_note, visit

pytestmark = pytest.mark.django_db


def done_by_the_desk(client, therapist, days_ago=0):
    """A visit the client came to, which the desk marked Done before any note was started;
    `days_ago` counts clinic days (a visit at 10:00 that many days before today)."""
    if days_ago:
        starts_at = at_local(today() - timedelta(days=days_ago), time(10, 0))
    else:
        starts_at = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
    appointment = visit(client, therapist, starts_at)
    booking.complete(appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED
    return appointment


def test_the_therapist_opens_the_note_of_a_visit_the_desk_already_completed(
    client_as, clear_client, therapist
):
    appointment = done_by_the_desk(clear_client, therapist)
    http = client_as(Role.THERAPIST)
    response = http.get(
        reverse("note-for-appointment", kwargs={"appointment_id": appointment.pk}), follow=True
    )
    assert response.status_code == 200
    note = SessionNote.objects.get(appointment=appointment)
    assert response.redirect_chain[-1][0] == reverse("note-edit", args=[note.pk])
    assert not note.charted_late


def test_the_api_starts_the_note_of_a_completed_visit(client_as, clear_client, therapist):
    appointment = done_by_the_desk(clear_client, therapist)
    response = client_as(Role.THERAPIST).post(
        "/api/notes/",
        {"appointment": appointment.pk, "pain_before": 6},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["pain_before"] == 6
    assert response.json()["charted_late"] is False


def test_a_signed_note_of_a_completed_visit_leaves_the_visit_completed(clear_client, therapist):
    appointment = done_by_the_desk(clear_client, therapist)
    note, _ = note_service.start_note(appointment, therapist.user)
    note_service.save_draft(
        note, {"subjective": "Better.", "pain_before": 5, "pain_after": 3}, therapist.user
    )
    note_service.sign_note(note, therapist.user)
    appointment.refresh_from_db()
    assert note.is_signed and appointment.status == AppointmentStatus.COMPLETED


def test_a_note_started_four_days_after_the_visit_is_charted_late(
    client_as, clear_client, therapist
):
    appointment = done_by_the_desk(clear_client, therapist, days_ago=4)
    http = client_as(Role.THERAPIST)
    draft = http.get(
        reverse("note-for-appointment", kwargs={"appointment_id": appointment.pk}), follow=True
    )
    assert "Charted late" in draft.content.decode()
    note = SessionNote.objects.get(appointment=appointment)
    assert note.charted_late
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(note.pk))
    assert "charted late" in created.detail and "4 days" in created.detail
    page = http.get(reverse("note-detail", args=[note.pk])).content.decode()
    assert "Charted late" in page
    record = http.get(reverse("treatment-record", args=[clear_client.pk])).content.decode()
    assert "Charted late" in record


def test_the_clinic_sets_how_many_days_count_as_late(clear_client, therapist):
    on_time = done_by_the_desk(clear_client, therapist, days_ago=3)
    assert not note_service.start_note(on_time, therapist.user)[0].charted_late
    settings = ClinicSettings.load()
    settings.late_charting_days = 1
    settings.save()
    later = done_by_the_desk(clear_client, therapist, days_ago=2)
    note, _ = note_service.start_note(later, therapist.user)
    assert note.charted_late
    assert "charted late" in AuditEvent.objects.filter(object_id=str(note.pk)).get().detail


def test_a_booked_visit_still_gets_no_note(clear_client, therapist):
    booked = visit(clear_client, therapist, status=AppointmentStatus.BOOKED)
    with pytest.raises(note_service.NoteRefused, match="checked in"):
        note_service.start_note(booked, therapist.user)
    assert not SessionNote.objects.exists()


def charting_section(http):
    page = http.get(reverse("therapist-home")).content.decode()
    return page.split('id="charting"')[1].split("</section>")[0]


def test_the_therapist_home_lists_past_visits_without_a_signed_note_oldest_first(
    client_as, clear_client, therapist
):
    newer = done_by_the_desk(clear_client, therapist, days_ago=1)
    other = ClientFactory(first_name="Olive", last_name="Older", primary_therapist=therapist)
    screened(other)
    older = done_by_the_desk(other, therapist, days_ago=5)
    signed = signed_note(clear_client, therapist, timezone.now() - timedelta(days=2))
    section = charting_section(client_as(Role.THERAPIST))
    start_older = reverse("note-for-appointment", kwargs={"appointment_id": older.pk})
    start_newer = reverse("note-for-appointment", kwargs={"appointment_id": newer.pk})
    assert start_older in section and start_newer in section
    assert section.index(start_older) < section.index(start_newer)
    assert "Will be marked late" in section  # Olive's visit, five days ago
    signed_link = reverse("note-for-appointment", kwargs={"appointment_id": signed.appointment_id})
    assert signed_link not in section


def test_a_draft_stays_on_the_list_until_it_is_signed(client_as, clear_client, therapist):
    appointment = done_by_the_desk(clear_client, therapist)
    http = client_as(Role.THERAPIST)
    note, _ = note_service.start_note(appointment, therapist.user)
    link = reverse("note-for-appointment", kwargs={"appointment_id": appointment.pk})
    assert link in charting_section(http)
    assert "Continue note" in charting_section(http)
    note_service.save_draft(
        note, {"subjective": "Better.", "pain_before": 5, "pain_after": 3}, therapist.user
    )
    note_service.sign_note(note, therapist.user)
    assert link not in charting_section(http)


def test_another_therapist_s_visits_are_not_on_the_list(client_as, clear_client):
    theirs = done_by_the_desk(clear_client, TherapistFactory())
    link = reverse("note-for-appointment", kwargs={"appointment_id": theirs.pk})
    assert link not in charting_section(client_as(Role.THERAPIST))


def test_the_notes_to_write_take_a_fixed_number_of_queries(
    client_as, clear_client, therapist, django_assert_max_num_queries
):
    http = client_as(Role.THERAPIST)
    done_by_the_desk(clear_client, therapist, days_ago=1)
    http.get(reverse("therapist-home"))
    with django_assert_max_num_queries(40) as few:
        http.get(reverse("therapist-home"))
    for days in range(2, 12):
        appointment = done_by_the_desk(clear_client, therapist, days_ago=days)
        if days % 2:
            note_service.start_note(appointment, therapist.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        section = charting_section(http)
    assert section.count('class="unsigned-visit"') == 11


def test_the_demo_s_past_notes_were_charted_on_time():
    call_command("seed_demo")
    assert SessionNote.objects.exists()
    assert not SessionNote.objects.filter(charted_late=True).exists()
