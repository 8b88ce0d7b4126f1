"""How long a client's record is kept, and its destruction once that time has passed.

A record is kept `ClinicSettings.retention_years` (10 by default, the College of Massage
Therapists of Ontario's rule) after the client's last visit, or that many years after they turn
18, whichever is later. "Last visit" is the latest of: any visit not cancelled (an upcoming one
included, so a client with a booking is never due), an intake, and the client's registration.

Destruction deletes the clinical record (intakes, check-ins, clearances and their documents,
plans, notes, amendments, practice logs, visits, reminders, intake links) and the copies of it
that django-pghistory's event tables hold, since those are health data too. It keeps the audit
log (who read or changed what, when: clinic/audit's rows are append-only and refer to the
client by a protected key) and the client row itself, emptied down to its id, which the audit
log, access requests and breach entries point at; marked `record_destroyed_at`, it leaves every
client list (`Client.objects.current()`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pgtrigger
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DateTimeField, F, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Client
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.billing.models import CardOnFile, Invoice, SuperbillCodes
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings
from clinic.reminders.models import Reminder, ReminderOptOut
from clinic.waitlist.models import Offer, WaitlistEntry
from intake.models import (
    Clearance,
    ClearanceUpload,
    Intake,
    IntakeAlert,
    IntakeCheckIn,
    IntakeLink,
)
from sessions.models import Amendment, PracticeLog, SessionNote, TreatmentPlan

from .models import Breach, DestructionLog
from .record import client_record

ADULT_AGE = 18
# PIPEDA's breach record-keeping rule (Breach of Security Safeguards Regulations, s. 6).
BREACH_KEEP_MONTHS = 24

# The delete-protect triggers destruction, and only destruction, passes through.
PROTECT_TRIGGERS = (
    "intake.Intake:intake_never_deleted",
    "intake.Clearance:clearance_never_deleted",
    "intake.ClearanceUpload:upload_never_deleted",
    "treatment.TreatmentPlan:plan_never_deleted",
    "treatment.SessionNote:note_never_deleted",
    "treatment.Amendment:amendment_append_only",
    "accounts.ClientEvent:append_only",
    "booking.AppointmentEvent:append_only",
    "intake.ClearanceEvent:append_only",
    "treatment.TreatmentPlanEvent:append_only",
)


class RetentionError(DomainError):
    code = "RETENTION"


def add_years(day: date, years: int) -> date:
    """`day` moved `years` on; 29 February becomes 1 March (later, so kept no shorter)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _last_seen() -> Func:
    """An annotation: the client's last visit, intake or registration (an aware datetime)."""
    visits = (
        Appointment.objects.filter(client=OuterRef("pk"))
        .exclude(status=AppointmentStatus.CANCELLED)
        .values("client")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
    intakes = (
        Intake.objects.filter(client=OuterRef("pk"))
        .values("client")
        .annotate(last=Max("submitted_at"))
        .values("last")
    )
    # Coalesce: SQLite's MAX() is NULL when any argument is (PostgreSQL's GREATEST skips it).
    return Greatest(
        "created_at",
        Coalesce(Subquery(visits, output_field=DateTimeField()), F("created_at")),
        Coalesce(Subquery(intakes, output_field=DateTimeField()), F("created_at")),
    )


@dataclass(frozen=True)
class Retention:
    client_id: int
    last_seen_on: date
    adult_on: date | None
    kept_until: date


def retention_of(
    client_id: int, last_seen: datetime, born_on: date | None, years: int
) -> Retention:
    last_seen_on = timezone.localdate(last_seen)
    kept_until = add_years(last_seen_on, years)
    adult_on = add_years(born_on, ADULT_AGE) if born_on else None
    if adult_on is not None:
        kept_until = max(kept_until, add_years(adult_on, years))
    return Retention(client_id, last_seen_on, adult_on, kept_until)


def retention_due(today: date | None = None) -> list[Retention]:
    """Clients whose retention ended before `today` and whose record is not yet destroyed,
    longest overdue first. Ids and dates only: no name, no health data."""
    today = today or timezone.localdate()
    years = ClinicSettings.load().retention_years
    destroyed = DestructionLog.objects.values("client_id")
    rows = (
        Client.objects.exclude(pk__in=destroyed)
        .annotate(last_seen=_last_seen())
        .filter(last_seen__date__lt=add_years(today, -years))
        .values_list("pk", "last_seen", "date_of_birth")
    )
    due = [retention_of(pk, seen, born, years) for pk, seen, born in rows]
    return sorted(
        (r for r in due if r.kept_until < today), key=lambda r: (r.kept_until, r.client_id)
    )


def retention_for(client: Client) -> Retention:
    last_seen = (
        Client.objects.filter(pk=client.pk)
        .annotate(ls=_last_seen())
        .values_list("ls", flat=True)[0]
    )
    return retention_of(
        client.pk, last_seen, client.date_of_birth, ClinicSettings.load().retention_years
    )


def destroy_record(*, client: Client, by: Any) -> DestructionLog:
    """Destroy a client's clinical record whose retention has ended, and log it.

    Refuses (`RetentionError`) a client still within retention, already destroyed, or with an
    access request still open. Writes a DestructionLog row (counts per record kind, no content)
    and one `destroy` audit row; audit rows already written stay. Stored documents are removed
    from storage once the transaction commits.
    """
    origin = Origin.of(by)
    today = timezone.localdate()
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if DestructionLog.objects.filter(client_id=client.pk).exists():
            raise RetentionError(
                "This client's record has already been destroyed.",
                code="ALREADY_DESTROYED",
                status=409,
            )
        retention = retention_for(client)
        if retention.kept_until >= today:
            raise RetentionError(
                f"This record must be kept until {retention.kept_until:%Y-%m-%d}.",
                code="RETENTION_NOT_ENDED",
            )
        if client.access_requests.filter(fulfilled_at__isnull=True).exists():
            raise RetentionError(
                "The client has an access request still open: answer it first.",
                code="OPEN_ACCESS_REQUEST",
            )
        counts = client_record(client).counts()
        files = [c.document.name for c in Clearance.objects.filter(client=client) if c.document]
        files += [
            u.document.name for u in ClearanceUpload.objects.filter(client=client) if u.document
        ]
        _delete_clinical_rows(client)
        log = DestructionLog.objects.create(
            client_id=client.pk,
            destroyed_by=origin.user,
            kept_until=retention.kept_until,
            counts=counts,
        )
        record(origin, AuditAction.DESTROY, log, client=client, detail="retention ended")
        transaction.on_commit(lambda: _delete_files(files))
    return log


def _delete_files(names: list[str | None]) -> None:
    """The clearance documents, once the rows naming them are gone for good."""
    for name in names:
        if name:
            default_storage.delete(name)


def _history(model: type[Any]) -> Any:
    """The django-pghistory event model of a tracked model (made at start-up, so reached
    through its `events` relation rather than imported)."""
    return model._meta.get_field("events").related_model


def _delete_clinical_rows(client: Client) -> None:
    plans = TreatmentPlan.objects.filter(client=client)
    visits = Appointment.objects.filter(client=client)
    clearances = Clearance.objects.filter(client=client)
    with pgtrigger.ignore(*PROTECT_TRIGGERS):
        Reminder.objects.filter(
            Q(client=client) | Q(appointment__in=visits) | Q(plan__in=plans)
        ).delete()
        ReminderOptOut.objects.filter(client=client).delete()
        Offer.objects.filter(client=client).delete()
        WaitlistEntry.objects.filter(client=client).delete()
        PracticeLog.objects.filter(client=client).delete()
        Amendment.objects.filter(note__client=client).delete()
        SessionNote.objects.filter(client=client).delete()
        IntakeAlert.objects.filter(intake__client=client).delete()
        IntakeLink.objects.filter(client=client).delete()
        IntakeCheckIn.objects.filter(client=client).delete()
        ClearanceUpload.objects.filter(client=client).delete()
        Intake.objects.filter(client=client).delete()
        # Ids first: the event purge below needs them once the rows are gone.
        plan_ids = list(plans.values_list("pk", flat=True))
        visit_ids = list(visits.values_list("pk", flat=True))
        clearance_ids = list(clearances.values_list("pk", flat=True))
        plans.delete()
        # Invoices stay (financial records the tax law keeps: the client's name, the service and
        # the money, no health data); only their link to the destroyed visit goes. An issued
        # invoice is otherwise immutable, so its trigger is passed for exactly this update.
        with pgtrigger.ignore("billing.Invoice:invoice_issued_immutable"):
            Invoice.objects.filter(appointment__in=visits).update(appointment=None)
        # A superbill's diagnosis codes are health data: they go with the record (the
        # insurer claims, money only, stay with their invoices).
        SuperbillCodes.objects.filter(invoice__client=client).delete()
        # The card kept with the gateway: no health data, but nothing to keep it for either.
        CardOnFile.objects.filter(client=client).delete()
        visits.delete()
        clearances.delete()
        _empty_client_row(client)
        # The history tables' copies of what was destroyed (and of the client's details).
        _history(TreatmentPlan).objects.filter(pgh_obj_id__in=plan_ids).delete()
        _history(Appointment).objects.filter(pgh_obj_id__in=visit_ids).delete()
        _history(Clearance).objects.filter(pgh_obj_id__in=clearance_ids).delete()
        _history(Client).objects.filter(pgh_obj_id=client.pk).delete()


def _empty_client_row(client: Client) -> None:
    """Keep the row (audit rows, access requests and breaches point at it), not who it was;
    marked destroyed, it leaves the client lists."""
    client.first_name = "Record destroyed"
    client.last_name = f"#{client.pk}"
    client.date_of_birth = None
    client.phone = ""
    client.email = ""
    client.sms_consent = False
    client.primary_therapist = None
    client.record_destroyed_at = timezone.now()
    client.save()
    user = client.user
    if user is not None:
        user.email = f"destroyed-client-{client.pk}@invalid"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        Token.objects.filter(user=user).delete()


def breach_keep_until(breach: Breach) -> date:
    """The first day a breach entry may be removed: 24 months after it was discovered."""
    discovered = timezone.localdate(breach.discovered_at)
    months = discovered.month - 1 + BREACH_KEEP_MONTHS
    year, month = discovered.year + months // 12, months % 12 + 1
    try:
        return discovered.replace(year=year, month=month)
    except ValueError:
        return discovered.replace(year=year, month=month, day=1) + timedelta(days=31)


def breaches_past_keeping(today: date | None = None) -> list[Breach]:
    """Breach entries older than 24 months: the register may drop them (it need not)."""
    today = today or timezone.localdate()
    return [b for b in Breach.objects.order_by("discovered_at") if breach_keep_until(b) <= today]
