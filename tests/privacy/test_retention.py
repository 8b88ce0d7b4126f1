"""Retention: which records are past it, and their destruction (logged, audit rows kept)."""

from datetime import date, timedelta
from io import StringIO

import pghistory.models
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from clinic.accounts.models import Client, ClientEvent, Role
from clinic.audit.models import AuditAction, AuditEvent
from clinic.billing import invoices
from clinic.booking.models import Appointment, AppointmentEvent, AppointmentStatus
from clinic.core.errors import DomainError
from clinic.core.models import CACHE_KEY, ClinicSettings
from clinic.privacy import retention
from clinic.privacy.models import DestructionLog
from intake.models import Clearance, ClearanceEvent, Intake
from sessions.models import Amendment, SessionNote, TreatmentPlan, TreatmentPlanEvent
from tests.factories import AppointmentFactory, ClientFactory

pytestmark = pytest.mark.django_db
YEAR = timedelta(days=366)


def years_ago(n):
    return timezone.now() - n * YEAR


def client_seen(years, born=None, status=AppointmentStatus.COMPLETED):
    """A client registered and last seen `years` ago."""
    client = ClientFactory(created_at=years_ago(years + 1), date_of_birth=born)
    AppointmentFactory(client=client, starts_at=years_ago(years), status=status)
    return client


def age_record(client, years):
    """Move everything the client's record holds `years` into the past."""
    shift = years * YEAR
    Client.objects.filter(pk=client.pk).update(created_at=F("created_at") - shift)
    Appointment.objects.filter(client=client).update(
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        busy_until=F("busy_until") - shift,
    )
    Intake.objects.filter(client=client).update(submitted_at=F("submitted_at") - shift)


def due_ids():
    return [row.client_id for row in retention.retention_due()]


def test_an_adult_last_seen_more_than_ten_years_ago_is_due():
    client = client_seen(11, born=date(1970, 5, 1))
    assert due_ids() == [client.pk]


def test_a_recent_visit_keeps_the_record():
    client = client_seen(11)
    AppointmentFactory(client=client, starts_at=years_ago(2))
    assert due_ids() == []


def test_an_upcoming_visit_keeps_the_record():
    client = client_seen(11)
    AppointmentFactory(client=client, starts_at=timezone.now() + timedelta(days=3))
    assert due_ids() == []


def test_a_cancelled_visit_does_not_count_as_a_visit():
    client = client_seen(11)
    AppointmentFactory(client=client, starts_at=years_ago(1), status=AppointmentStatus.CANCELLED)
    assert due_ids() == [client.pk]


def test_a_minor_is_kept_ten_years_after_turning_eighteen():
    today = timezone.localdate()
    client_seen(11, born=today.replace(year=today.year - 20))  # adult at 18, two years ago
    assert due_ids() == []


def test_a_client_who_turned_eighteen_more_than_ten_years_ago_is_due():
    today = timezone.localdate()
    client = client_seen(12, born=today.replace(year=today.year - 30))
    assert due_ids() == [client.pk]


@pytest.fixture
def five_year_retention():
    """The clinic keeps records five years; the cached settings row is dropped after."""
    settings_row = ClinicSettings.load()
    settings_row.retention_years = 5
    settings_row.save()
    yield
    cache.delete(CACHE_KEY)


def test_the_period_is_the_clinics_setting(five_year_retention):
    client = client_seen(6)
    client_seen(4)
    assert due_ids() == [client.pk]


def test_the_command_lists_ids_and_dates_and_no_names():
    due = client_seen(11)
    kept = client_seen(1)
    out = StringIO()
    call_command("retention_due", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines[1:]] == [str(due.pk)]
    assert due.last_name not in out.getvalue() and str(kept.pk) not in lines[1:]


@pytest.fixture
def past_retention(full_record):
    age_record(full_record["client"], 11)
    return full_record


def test_destruction_removes_the_clinical_record_and_its_history(
    past_retention, clinic_admin_user, django_capture_on_commit_callbacks
):
    client = past_retention["client"]
    plan, clearance = past_retention["plan"], past_retention["clearance"]
    visit_ids = list(client.appointments.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        retention.destroy_record(client=client, by=clinic_admin_user)
    for model in (Intake, Clearance, TreatmentPlan, SessionNote, Appointment):
        assert not model.objects.filter(client=client).exists(), model
    assert not Amendment.objects.filter(note__client=client).exists()
    assert not TreatmentPlanEvent.objects.filter(pgh_obj_id=plan.pk).exists()
    assert not ClearanceEvent.objects.filter(pgh_obj_id=clearance.pk).exists()
    assert not AppointmentEvent.objects.filter(pgh_obj_id__in=visit_ids).exists()
    assert not ClientEvent.objects.filter(pgh_obj_id=client.pk).exists()
    client.refresh_from_db()
    assert (client.email, client.date_of_birth, client.user.is_active) == ("", None, False)
    assert not clearance.document.storage.exists(clearance.document.name)


def test_destruction_keeps_the_audit_rows_and_writes_the_log(past_retention, clinic_admin_user):
    client = past_retention["client"]
    audit_before = set(AuditEvent.objects.values_list("pk", flat=True))
    assert audit_before
    log = retention.destroy_record(client=client, by=clinic_admin_user)
    assert audit_before < set(AuditEvent.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action=AuditAction.DESTROY, client=client).count() == 1
    assert (log.client_id, log.destroyed_by) == (client.pk, clinic_admin_user)
    assert log.counts["notes"] == 2 and log.counts["amendments"] == 1
    assert log.counts["intakes"] == 1 and log.counts["appointments"] == 2
    assert due_ids() == []


def test_a_record_within_retention_is_not_destroyed(full_record, clinic_admin_user):
    client = full_record["client"]
    with pytest.raises(DomainError) as refusal:
        retention.destroy_record(client=client, by=clinic_admin_user)
    assert refusal.value.code == "RETENTION_NOT_ENDED"
    assert SessionNote.objects.filter(client=client).count() == 2
    assert not DestructionLog.objects.exists()


def test_the_page_destroys_only_with_the_client_number_typed(client_as, past_retention):
    client = past_retention["client"]
    http = client_as(Role.CLINIC_ADMIN)
    url = reverse("privacy-destroy", args=[client.pk])
    assert http.post(url, {"confirmation": "yes"}).status_code == 400
    assert Intake.objects.filter(client=client).exists()
    assert http.post(url, {"confirmation": str(client.pk)}).status_code == 302
    assert not Intake.objects.filter(client=client).exists()


def test_every_model_holding_a_client_is_destroyed_or_kept_on_purpose():
    """A new model pointing at clients must be added to the destruction (or to `kept`)."""
    destroyed = {
        "reminders.Reminder",
        "reminders.ReminderOptOut",
        "booking.Appointment",
        "intake.Intake",
        "intake.Clearance",
        "intake.IntakeLink",
        "intake.IntakeCheckIn",
        "intake.ClearanceUpload",
        "treatment.TreatmentPlan",
        "treatment.SessionNote",
        "treatment.PracticeLog",
        "waitlist.WaitlistEntry",
        "waitlist.Offer",
        "billing.CardOnFile",
    }
    # The audit log, and the privacy rows that hold no health data.
    kept = {
        "audit.AuditEvent",
        # Who broke the glass for whom, and why: part of the access log, kept like its audit row.
        "audit.BreakGlassGrant",
        # Financial records the tax law keeps: the client, the service and the money.
        "billing.Invoice",
        "billing.Payment",
        # What an insurer was asked to pay for a visit, and its answer: money, no health data.
        "billing.InsurerClaim",
        # Money paid online above a balance, kept (and refunded) like any payment.
        "billing.Overpayment",
        "privacy.RecordExport",
        "privacy.AccessRequest",
        "privacy.Breach_affected_clients",
    }
    holders = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is Client
        # pghistory's copies of tracked rows: the destruction purges them
        and not issubclass(model, pghistory.models.Event)
    }
    assert holders == destroyed | kept


def test_a_client_never_seen_counts_from_their_registration():
    never_seen = ClientFactory(created_at=years_ago(11))
    ClientFactory(created_at=years_ago(9))
    assert due_ids() == [never_seen.pk]


def test_an_intake_counts_as_contact():
    from tests.treatment.conftest import screened

    client = client_seen(11)
    screened(client, when=years_ago(3))
    assert due_ids() == []


def test_destruction_keeps_an_issued_invoice_and_unlinks_its_visit(
    past_retention, clinic_admin_user
):
    client = past_retention["client"]
    visit = client.appointments.first()
    invoice = invoices.draft_for_visit(visit)
    assert invoice is not None
    invoices.issue(invoice, by=clinic_admin_user)

    retention.destroy_record(client=client, by=clinic_admin_user)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.appointment_id, invoice.client_id) == (
        "issued",
        None,
        client.pk,
    )
    assert invoice.number is not None


def test_destruction_removes_a_superbills_diagnosis_codes(past_retention, clinic_admin_user):
    from clinic.billing.models import SuperbillCodes
    from clinic.billing.superbill import choose_codes

    client = past_retention["client"]
    invoice = invoices.issue(
        invoices.draft_for_visit(client.appointments.first()), by=clinic_admin_user
    )
    choose_codes(invoice, ["M54.50"], by=clinic_admin_user)

    retention.destroy_record(client=client, by=clinic_admin_user)

    assert not SuperbillCodes.objects.exists()


def test_destruction_forgets_the_card_on_file(past_retention, clinic_admin_user):
    from clinic.billing.models import CardOnFile

    client = past_retention["client"]
    CardOnFile.objects.create(
        client=client,
        customer="cus_1",
        payment_method="pm_1",
        brand="visa",
        last4="4242",
        exp_month=12,
        exp_year=2034,
    )
    retention.destroy_record(client=client, by=clinic_admin_user)
    assert not CardOnFile.objects.filter(client=client).exists()
