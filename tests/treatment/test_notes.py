"""Session notes: started from a checked-in visit, pre-filled, saved safely, signed, amended."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from clinic.booking.models import AppointmentStatus
from sessions import notes as note_service
from sessions import signing
from sessions.models import Amendment, SessionNote
from sessions.safety import SafetyError
from tests.treatment.conftest import TECHNIQUE, clear, make_plan, screened, signed_note, visit

pytestmark = pytest.mark.django_db


def test_a_note_is_started_from_a_checked_in_visit_and_prefilled_from_the_plan(
    clear_client, therapist
):
    make_plan(clear_client, therapist)
    note, created = note_service.start_note(visit(clear_client, therapist), therapist.user)
    assert created
    assert note.techniques == [TECHNIQUE]
    assert "Kneading with a massage ball, 5 minutes, Monday, Wednesday, Friday" in note.home_care
    assert note.treatment_plan.client == clear_client


def test_a_second_note_starts_from_the_last_one(clear_client, therapist):
    make_plan(clear_client, therapist)
    deeper = {**TECHNIQUE, "pressure": "firm", "minutes": 15}
    signed_note(clear_client, therapist, timezone.now() - timedelta(days=7), techniques=[deeper])
    note, _ = note_service.start_note(visit(clear_client, therapist), therapist.user)
    assert note.techniques == [deeper]
    assert note.psfs == []  # not due at the second session


def test_the_fifth_session_asks_the_psfs_again_with_the_same_activities(clear_client, therapist):
    baseline = [{"activity": "Sitting at work", "score": 4}]
    for weeks in (4, 3, 2, 1):
        psfs = baseline if weeks == 4 else []
        signed_note(clear_client, therapist, timezone.now() - timedelta(weeks=weeks), psfs=psfs)
    note, _ = note_service.start_note(visit(clear_client, therapist), therapist.user)
    assert note_service.session_number(note) == 5
    assert note.psfs == [{"activity": "Sitting at work", "score": None}]


def test_opening_the_same_visit_again_opens_the_same_draft(draft, checked_in, therapist):
    again, created = note_service.start_note(checked_in, therapist.user)
    assert (again, created) == (draft, False)


@pytest.mark.parametrize("status", [AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED])
def test_a_visit_not_checked_in_gets_no_note(clear_client, therapist, status):
    with pytest.raises(note_service.NoteRefused, match="checked in"):
        note_service.start_note(visit(clear_client, therapist, status=status), therapist.user)
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [({"saddle_numbness": True}, "refer"), ({"osteoporosis": True}, "clearance")],
)
def test_a_blocked_client_gets_no_note(a_client, therapist, answers, outcome):
    screened(a_client, **answers)
    with pytest.raises(SafetyError, match=f"outcome is {outcome}"):
        note_service.start_note(visit(a_client, therapist), therapist.user)
    assert not SessionNote.objects.exists()


def test_a_clearance_on_file_allows_the_note(a_client, therapist):
    screened(a_client, osteoporosis=True)
    clear(a_client)
    note, created = note_service.start_note(visit(a_client, therapist), therapist.user)
    assert created


def test_a_draft_breaking_a_restriction_is_refused_and_unchanged(a_client, therapist):
    screened(a_client, anticoagulants=True)
    note, _ = note_service.start_note(visit(a_client, therapist), therapist.user)
    with pytest.raises(SafetyError) as refused:
        note_service.save_draft(
            note,
            {"subjective": "new", "techniques": [{**TECHNIQUE, "technique": "deep_tissue"}]},
            therapist.user,
        )
    assert refused.value.codes == ["PR_ANTICOAGULANTS"]
    note.refresh_from_db()
    assert note.subjective == "" and note.techniques == []


def test_a_malformed_draft_is_refused_with_the_entry_at_fault(draft, therapist):
    with pytest.raises(ValidationError) as refused:
        note_service.save_draft(
            draft, {"techniques": [{**TECHNIQUE, "pressure": "crushing"}]}, therapist.user
        )
    assert "Technique 1: pressure must be one of" in str(refused.value)


def test_signing_locks_the_note_with_who_when_and_its_hash(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    note.refresh_from_db()
    assert note.signed_by == therapist.user
    assert note.signed_at is not None
    assert note.content_hash == signing.note_hash(note)
    assert note.appointment.status == AppointmentStatus.COMPLETED


def test_signing_needs_the_pain_scores(draft, therapist):
    note_service.save_draft(draft, {"subjective": "ok"}, therapist.user)
    with pytest.raises(note_service.NoteRefused, match="pain before and pain after"):
        note_service.sign_note(draft, therapist.user)


def test_a_signed_note_refuses_a_draft_save(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    with pytest.raises(note_service.NoteLocked):
        note_service.save_draft(note, {"subjective": "changed"}, therapist.user)
    note.refresh_from_db()
    assert note.subjective == "Sore after gardening."


def test_amendments_are_kept_in_order_and_chained(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    first = note_service.add_amendment(note, therapist.user, "Typo", "Left, not right.")
    second = note_service.add_amendment(note, therapist.user, "Follow-up", "Called: better.")
    assert list(note.amendments.all()) == [first, second]
    assert signing.verify(note, note.amendments.all())


def test_an_amendment_needs_a_reason(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    with pytest.raises(ValidationError, match="why"):
        note_service.add_amendment(note, therapist.user, " ", "text")
    assert not Amendment.objects.exists()


def test_a_draft_cannot_be_amended(draft, therapist):
    with pytest.raises(note_service.NoteRefused, match="draft"):
        note_service.add_amendment(draft, therapist.user, "why", "what")


def test_the_database_refuses_to_change_a_signed_note_even_by_queryset_update(
    clear_client, therapist
):
    note = signed_note(clear_client, therapist)
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        SessionNote.objects.filter(pk=note.pk).update(subjective="rewritten")
    note.refresh_from_db()
    assert note.subjective == "Sore after gardening."


def test_the_database_refuses_raw_sql_on_a_signed_note(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    table = SessionNote._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET pain_after = 0 WHERE id = %s", [note.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [note.pk])
    assert SessionNote.objects.get(pk=note.pk).pain_after == 3


def test_a_draft_may_change_in_the_database_but_never_be_deleted(draft):
    SessionNote.objects.filter(pk=draft.pk).update(subjective="typing")
    with pytest.raises(DatabaseError, match="Cannot delete"), transaction.atomic():
        SessionNote.objects.filter(pk=draft.pk).delete()


def test_amendments_cannot_be_changed_or_deleted_in_the_database(clear_client, therapist):
    note = signed_note(clear_client, therapist)
    amendment = note_service.add_amendment(note, therapist.user, "Why", "What")
    with pytest.raises(DatabaseError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(text="other")
    with pytest.raises(DatabaseError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).delete()


@pytest.mark.parametrize(
    ("local_start", "day"),
    [
        # The evening DST ends (Nov 1, 2026 in Toronto): already Nov 2 in UTC.
        ("2026-11-01T23:30:00-05:00", "2026-11-01"),
        # Just after midnight on the day DST starts (Mar 8, 2026).
        ("2026-03-08T00:30:00-05:00", "2026-03-08"),
    ],
)
def test_a_note_is_dated_by_the_clinic_s_day_of_the_visit_across_dst(
    clear_client, therapist, local_start, day
):
    note, _ = note_service.start_note(
        visit(clear_client, therapist, datetime.fromisoformat(local_start)), therapist.user
    )
    assert note.session_on.isoformat() == day
