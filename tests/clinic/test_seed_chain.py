"""seed_chain: a chain's data bulk-loaded at a tiny scale, under the database's own rules."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from clinic.accounts.models import Client, Therapist
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.models import ClinicSettings
from clinic.front.chain.seed import ChainSize
from clinic.reminders.models import Reminder, ReminderStatus
from intake.models import Intake
from sessions.models import PlanStatus, SessionNote, TreatmentPlan
from sessions.signing import verify
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db

# 300 clients, 3,000 appointments over about five months, 915 signed notes, for 2 therapists.
SCALE, THERAPISTS = 0.003, 2


@pytest.fixture
def chain(capsys):
    call_command("seed_chain", scale=SCALE, therapists=THERAPISTS)
    return capsys.readouterr().out


def overlapping(column, end):
    """Pairs of live visits sharing `column` whose [starts_at, end) overlap."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM booking_appointment a JOIN booking_appointment b
              ON a.{column} = b.{column} AND a.id < b.id
             AND a.starts_at < b.{end} AND b.starts_at < a.{end}
             WHERE a.status NOT IN ('cancelled', 'no_show')
               AND b.status NOT IN ('cancelled', 'no_show')
            """
        )
        return cursor.fetchone()[0]


def test_a_chain_at_a_scale_has_that_share_of_each_count(chain):
    size = ChainSize.at(SCALE, THERAPISTS)
    assert (size.clients, size.appointments) == (300, 3000)
    assert Therapist.objects.count() == size.therapists
    assert Client.objects.count() == size.clients
    assert Appointment.objects.count() == size.appointments
    assert SessionNote.objects.filter(signed_at__isnull=False).count() == size.signed_notes
    assert "Chain ready in" in chain


def test_a_full_chain_spans_three_years_and_a_tenth_as_busy_days_over_a_tenth_of_the_time():
    full, tenth = ChainSize.at(1.0), ChainSize.at(0.1)
    assert (full.therapists, full.clients, full.appointments) == (100, 100_000, 1_000_000)
    assert 3 * 365 - 7 <= full.history_days <= 3 * 365 + 7
    assert tenth.therapists == 100
    assert tenth.history_days == pytest.approx(full.history_days / 10, abs=2)


def test_a_tiny_chain_of_100_therapists_still_has_a_past_with_signed_notes_and_visits_ahead():
    call_command("seed_chain", scale=0.002)
    assert Therapist.objects.count() == 100
    assert SessionNote.objects.count() == ChainSize.at(0.002).signed_notes
    assert Appointment.objects.filter(starts_at__gt=timezone.now()).exists()


def test_no_therapist_room_or_client_is_booked_twice_at_once(chain):
    assert overlapping("therapist_id", "busy_until") == 0
    assert overlapping("room_id", "busy_until") == 0
    assert overlapping("client_id", "ends_at") == 0


def test_signed_notes_verify_against_their_stored_hash(chain):
    notes = SessionNote.objects.order_by("?")[:200]
    assert all(verify(note, []) for note in notes)
    assert all(note.appointment.status == AppointmentStatus.COMPLETED for note in notes)


def test_a_signed_seeded_note_is_locked_like_any_other(chain):
    from django.db import DatabaseError, transaction

    note = SessionNote.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionNote.objects.filter(pk=note.pk).update(subjective="changed")


def test_every_client_seen_has_a_screened_intake_and_one_plan(chain):
    seen = Client.objects.filter(appointments__isnull=False).distinct()
    assert seen.count() > 0
    assert not seen.filter(intakes__isnull=True).exists()
    assert set(Intake.objects.values_list("outcome", flat=True)) >= {"clear", "refer"}
    assert TreatmentPlan.objects.count() == seen.count()
    assert TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE).exists()


def test_every_visit_has_its_reminders_sent_before_now_and_pending_after(chain):
    leads = len(ClinicSettings.load().reminder_lead_hours)
    assert Reminder.objects.count() == Appointment.objects.count() * leads
    upcoming = Reminder.objects.filter(appointment__status=AppointmentStatus.BOOKED)
    assert upcoming.filter(status=ReminderStatus.PENDING).exists()
    assert not Reminder.objects.filter(status=ReminderStatus.SENT, sent_at__isnull=True).exists()


def test_seeded_rows_write_no_history_events(chain):
    assert not Appointment.pgh_event_model.objects.exists()
    assert not Client.pgh_event_model.objects.exists()


def test_rows_the_app_adds_later_take_ids_after_the_seeded_ones(chain):
    seeded_client = Client.objects.aggregate(highest=Max("pk"))["highest"]
    seeded_visit = Appointment.objects.aggregate(highest=Max("pk"))["highest"]
    visit = AppointmentFactory(starts_at=timezone.now() + timedelta(days=400))
    assert visit.pk > seeded_visit and visit.client_id > seeded_client


def test_a_database_holding_clients_is_refused_unless_forced():
    ClientFactory()
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_chain", scale=0.001, therapists=2)
    call_command("seed_chain", scale=0.001, therapists=2, force=True)
    assert Client.objects.count() == 1 + ChainSize.at(0.001, 2).clients


def test_sqlite_is_refused(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_chain", scale=0.001)
