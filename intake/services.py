"""Every write in intake: the one door forms, the API, the admin's demo and other apps go through.

Each function validates first and stores nothing on bad input (it raises InvalidInput), then
writes its rows, their audit rows, and the alerts and emails they cause, in one transaction.
Emails leave only after the commit, so a rolled-back write never tells anyone anything.
"""

import os
import uuid
from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.audit.history import acting
from clinic.audit.log import Origin, record
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings

from .answers import validate_answers
from .links import LinkUnusable, link_path, live_links, new_link
from .models import (
    AlertKind,
    Clearance,
    ClearanceUpload,
    Intake,
    IntakeAlert,
    IntakeCheckIn,
    IntakeLink,
)
from .screening import Outcome, screen
from .signals import intake_submitted
from .status import screening_status

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What a clearance document may be, told by its first bytes (not its name): extension -> magic.
DOCUMENT_MAGIC = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
}


class InvalidInput(DomainError, ValidationError):
    """Bad input, refused before anything was stored; `errors` maps each field to its messages.

    With a `field`, the errors are about that one field's parts (the answers of an intake) and
    the API nests them under it. Still a ValidationError, for callers that catch one.
    """

    code = "INVALID_INPUT"
    code_in_body = False  # the intake API's contract: field -> messages

    def __init__(self, errors: dict[str, list[str]], field=None):
        # Built as a ValidationError of a mapping; DomainError's own __init__ would make it a
        # single-message one.
        ValidationError.__init__(self, errors)
        self.errors = errors
        self.field = field
        self.message = next((m for messages in errors.values() for m in messages), "")

    def response_body(self) -> dict[str, object]:
        return {self.field: self.errors} if self.field else self.errors

    def form_errors(self):
        return [(key, message) for key, messages in self.errors.items() for message in messages]

    # Django hashes a ValidationError that has a `message` as a single-message one.
    __hash__ = Exception.__hash__


def submit_intake(client, answers: Mapping, by_user, *, link: IntakeLink | None = None) -> Intake:
    """Validate, screen and store one intake for a client, with the rules version used.

    `by_user` is who submitted it (None through an emailed link). Through a `link`, the link is
    used up in the same transaction (LinkUnusable("used") if someone used it first); the
    client's other links are retired and `intake_submitted` is sent (reminders skip theirs). On
    `refer` the client's therapists and every active clinic admin get a home-page alert and an
    email; on `clearance` the front desk does too, so someone asks the client for the provider's
    note.
    """
    if not isinstance(answers, Mapping):
        raise InvalidInput(
            {"answers": ["Send the answers as an object of answer keys."]}, field="answers"
        )
    cleaned, errors = validate_answers(answers)
    if errors:
        raise InvalidInput(errors, field="answers")
    result = screen(cleaned).as_dict()
    now = timezone.now()
    with transaction.atomic():
        intake = Intake.objects.create(
            client=client,
            answers=cleaned,
            outcome=result["outcome"],
            findings=result["findings"],
            restrictions=result["restrictions"],
            rules_version=result["rules_version"],
            signature=cleaned["signature"],
            consented_at=now,
            submitted_at=now,
            submitted_by=by_user if by_user and by_user.is_authenticated else None,
        )
        if link is not None:
            # A conditional update, so two submissions racing through one link store one intake.
            claimed = IntakeLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
                used_at=now, intake=intake
            )
            if not claimed:
                raise LinkUnusable("used")
        # The form is in: any other link the client holds now says so instead of opening it.
        live_links(client).update(retired_at=now)
        submitted_by_link = link is not None and intake.submitted_by is None
        origin = Origin.client_by_link(client) if submitted_by_link else by_user
        record(origin, "create", intake, detail=f"screened {intake.outcome}")
        if intake.outcome in ALERTS:
            _alert(intake, ALERTS[intake.outcome])
        intake_submitted.send(sender=Intake, intake=intake, now=now)
    return intake


def refer_recipients(client) -> list[User]:
    """Who is told about a `refer` intake: the client's active therapists and active admins."""
    therapists = [t.user for t in client.therapists() if t.is_active and t.user.is_active]
    admins = User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)
    return list({user.pk: user for user in [*therapists, *admins]}.values())


def clearance_recipients(client) -> list[User]:
    """Who is told a clearance is needed or has arrived: those told of a `refer`, and the front
    desk, who ask the client for the note (they learn no more than the badge says)."""
    desk = User.objects.filter(role=Role.FRONT_DESK, is_active=True)
    users = [*refer_recipients(client), *desk]
    return list({user.pk: user for user in users}.values())


ALERTS = {Outcome.REFER: AlertKind.REFER, Outcome.CLEARANCE: AlertKind.CLEARANCE}
# Each alert's email subject; the body says what to do. Neither names a finding.
ALERT_SUBJECTS = {
    AlertKind.REFER: "Screening alert: {name} should not be treated yet",
    AlertKind.CLEARANCE: "Clearance needed: {name} needs a provider's note before treatment",
    AlertKind.DOCUMENT: "Clearance document: {name} uploaded a note for review",
}


def _alert(intake: Intake, kind: AlertKind) -> None:
    """A home-page alert and an email for each recipient. A second document for the same
    intake opens its alert again rather than adding one."""
    client = intake.client
    recipients = (
        refer_recipients(client) if kind == AlertKind.REFER else clearance_recipients(client)
    )
    IntakeAlert.objects.bulk_create(
        [IntakeAlert(intake=intake, recipient=user, kind=kind) for user in recipients],
        update_conflicts=True,
        unique_fields=["intake", "recipient", "kind"],
        update_fields=["created_at", "seen_at"],
    )
    # The email names the client and links to their page; the findings stay in the app.
    body = render_to_string(
        f"intake/email/{kind}_alert.txt",
        {
            "client": client,
            "clinic": ClinicSettings.load(),
            "url": settings.SITE_URL + client.get_absolute_url(),
        },
    )
    subject = ALERT_SUBJECTS[kind].format(name=client.full_name)
    messages = [EmailMessage(subject, body, to=[user.email]) for user in recipients]
    transaction.on_commit(lambda: get_connection().send_messages(messages))


def send_intake_link(client, by_user, base_url: str | None = None) -> IntakeLink:
    """Email the client a signed link to the intake form: their live link, or a new one.

    `base_url` is the site's address the link starts with (the request's, from a view;
    settings.SITE_URL by default, e.g. from a reminder task). The link remembers it was sent
    now, so a reminder due just after does not send it again.
    """
    if not client.email:
        raise InvalidInput({"email": ["This client has no email address: add one first."]})
    clinic = ClinicSettings.load()
    with transaction.atomic():
        link = new_link(client, sent_to=client.email, by=by_user)
        link.staff_sent_at = timezone.now()
        link.save(update_fields=["staff_sent_at"])
        body = render_to_string(
            "intake/email/intake_link.txt",
            {
                "client": client,
                "clinic": clinic,
                "url": (base_url or settings.SITE_URL).rstrip("/") + link_path(link),
                "days": settings.INTAKE_LINK_MAX_AGE // (24 * 60 * 60),
            },
        )
        message = EmailMessage(f"Your health form for {clinic.name}", body, to=[client.email])
        transaction.on_commit(message.send)
    return link


def _document_errors(document) -> list[str]:
    if document.size > MAX_DOCUMENT_BYTES:
        return ["The file is larger than 10 MB. Please upload a smaller file."]
    extension = os.path.splitext(document.name or "")[1].lower().lstrip(".")
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    if extension not in DOCUMENT_MAGIC or not head.startswith(DOCUMENT_MAGIC[extension]):
        return ["The file must be a PDF, PNG or JPEG document."]
    return []


def record_clearance(
    client, *, provider_name: str, cleared_on: date, by_user, note: str = "", document=None
) -> Clearance:
    """Put a provider's clearance on file for a client (lifts `clearance`, never `refer`).

    The optional document is a PDF, PNG or JPEG of at most 10 MB, its type told by its content;
    it is stored under a random name so the uploader's file name is not kept. Documents the
    client uploaded count as reviewed, and nobody needs to chase the clearance any more.
    """
    errors: dict[str, list[str]] = {}
    provider_name = (provider_name or "").strip()
    if not provider_name:
        errors["provider_name"] = ["Please enter the provider's name."]
    elif len(provider_name) > 200:
        errors["provider_name"] = ["Please keep the name to 200 characters or fewer."]
    today = timezone.localdate(timezone=ClinicSettings.load().zone)
    if not isinstance(cleared_on, date):
        errors["cleared_on"] = ["Please enter the date of the clearance."]
    elif cleared_on > today:
        errors["cleared_on"] = ["The clearance date cannot be in the future."]
    if document is not None and (problems := _document_errors(document)):
        errors["document"] = problems
    if errors:
        raise InvalidInput(errors)
    if document is not None:
        _rename(document)
    with transaction.atomic(), acting(by_user):
        clearance = Clearance.objects.create(
            client=client,
            provider_name=provider_name,
            cleared_on=cleared_on,
            note=(note or "").strip(),
            document=document or "",
            recorded_by=by_user,
        )
        record(by_user, "create", clearance)
        ClearanceUpload.objects.filter(client=client, reviewed_at__isnull=True).update(
            reviewed_at=clearance.recorded_at, clearance=clearance
        )
        IntakeAlert.objects.filter(
            intake__client=client,
            kind__in=[AlertKind.CLEARANCE, AlertKind.DOCUMENT],
            seen_at__isnull=True,
        ).update(seen_at=clearance.recorded_at)
    return clearance


def _rename(document) -> None:
    # A random name, so the uploader's own file name (often theirs or their doctor's) is not kept.
    extension = os.path.splitext(document.name)[1].lower()
    document.name = f"{uuid.uuid4().hex}{extension}"


class NoClearanceAsked(DomainError):
    """The client's screening asks for no clearance (none needed, or one is already on file)."""

    code = "NO_CLEARANCE_ASKED"
    status = 409


def upload_clearance_document(client, *, document, by_user) -> ClearanceUpload:
    """Store the note a client uploads for their own `clearance` screening, for review.

    `by_user` is the client, or None through an upload link. Checked as staff uploads are
    (PDF, PNG or JPEG by content, 10 MB at most). It lifts
    nothing: the block stays until staff read it and record the clearance. The client's
    therapists, the admins and the front desk get an alert and an email.
    """
    status = screening_status(client)
    if status.outcome != Outcome.CLEARANCE or status.clearance_on_file:
        raise NoClearanceAsked("Your health form does not ask for a clearance at the moment.")
    if document is None:
        raise InvalidInput({"document": ["Please choose the file of your note to upload."]})
    if problems := _document_errors(document):
        raise InvalidInput({"document": problems})
    _rename(document)
    with transaction.atomic(), acting(by_user):
        upload = ClearanceUpload.objects.create(
            client=client,
            document=document,
            uploaded_by=by_user if by_user and by_user.is_authenticated else None,
        )
        record(by_user, "create", upload, detail="clearance document from the client")
        _alert(status.intake, AlertKind.DOCUMENT)
    return upload


def record_check_in(client, changed: bool, by_user, appointment=None) -> IntakeCheckIn:
    """Record a visit's "has anything changed since your last intake?" answer.

    A change means the current intake no longer counts: every intake of the client still
    counting is superseded, so the status reads `missing` and the full form is needed again.
    """
    if not isinstance(changed, bool):
        raise InvalidInput({"changed": ["Please answer yes or no."]})
    now = timezone.now()
    with transaction.atomic():
        check_in = IntakeCheckIn.objects.create(
            client=client,
            changed=changed,
            answered_at=now,
            recorded_by=by_user if by_user and by_user.is_authenticated else None,
            appointment_id=getattr(appointment, "pk", None),
        )
        if changed:
            counting = Intake.objects.filter(client=client, superseded_at__isnull=True)
            for intake in counting.select_for_update():
                record(by_user, "update", intake, detail="superseded: changed at check-in")
            counting.update(superseded_at=now)
    return check_in


def mark_alerts_seen(user, alert_ids) -> int:
    """Mark the user's own alerts seen (others' are left alone); returns how many changed."""
    return IntakeAlert.objects.filter(
        recipient=user, pk__in=alert_ids, seen_at__isnull=True
    ).update(seen_at=timezone.now())
