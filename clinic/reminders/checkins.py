"""The "I did it" check-in from a practice reminder: adherence, pain now and the safety question.

A "yes" to new numbness, leg weakness or bladder/bowel change may be a red flag (cauda equina,
progressive neurological loss): the client is told to seek prompt medical care, their
therapist is emailed, and their screening is re-opened so the full intake is needed again.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.models import ClinicSettings
from intake.services import record_check_in
from sessions.homecare import adherence, record_practice
from sessions.models import PlanStatus, PracticeLog, PracticeSource


@dataclass(frozen=True)
class CheckInResult:
    created: bool
    adherence: dict | None
    safety_alert: bool


def practice_day(reminder):
    """The client's local day the practice reminder was for."""
    return timezone.localtime(reminder.due_at, ClinicSettings.load().zone).date()


def plan_ended(reminder) -> bool:
    """Practice is recorded against an active plan only."""
    return reminder.plan.status != PlanStatus.ACTIVE


def already_counted(reminder) -> bool:
    return PracticeLog.objects.filter(
        client_id=reminder.client_id, plan_id=reminder.plan_id, practiced_on=practice_day(reminder)
    ).exists()


def plan_adherence(plan, until) -> dict | None:
    """The plan's adherence over the last four weeks up to `until`, as the progress chart has it."""
    days = PracticeLog.objects.filter(plan=plan).values_list("practiced_on", flat=True)
    return adherence(plan, list(days), until)


def record_practice_check_in(
    reminder, *, pain_now: int, new_symptoms: bool, origin=None
) -> CheckInResult:
    """Record the practice (once per day; a second time only updates the pain score) and act on
    a "yes" to the safety question every time it is given; audited, with `origin` (the
    request) as who and from where."""
    client, plan, day = reminder.client, reminder.plan, practice_day(reminder)
    with transaction.atomic():
        log, created = record_practice(client, plan, day, pain_now, source=PracticeSource.REMINDER)
        detail = "from a reminder link" + (", new symptom reported" if new_symptoms else "")
        record(origin, AuditAction.CREATE if created else AuditAction.UPDATE, log, detail=detail)
        if new_symptoms:
            record_check_in(client, changed=True, by_user=None)
            _alert_therapists(reminder)
    return CheckInResult(created, plan_adherence(plan, day), new_symptoms)


def _recipients(reminder) -> list[User]:
    therapists = [reminder.plan.therapist, *reminder.client.therapists()]
    users = {t.user.pk: t.user for t in therapists if t.is_active and t.user.is_active}
    if not users:
        users = {u.pk: u for u in User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)}
    return list(users.values())


def _alert_therapists(reminder) -> None:
    client = reminder.client
    clinic = ClinicSettings.load()
    body = render_to_string(
        "reminders/email/safety_alert.txt",
        {
            "client": client,
            "clinic": clinic,
            "url": settings.SITE_URL + client.get_absolute_url(),
        },
    )
    messages = [
        EmailMessage(
            f"Safety alert: {client.full_name} reported a new symptom", body, to=[user.email]
        )
        for user in _recipients(reminder)
    ]
    transaction.on_commit(lambda: [m.send() for m in messages])
