"""Session notes: start one from a checked-in or completed visit, save drafts, sign, amend.

Every write checks the screening and restrictions (sessions/safety.py), refuses to touch a
signed note, and writes its audit row in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.booking import booking
from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import local_date, today
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings

from . import entries, safety, signing
from .corrections import clean_corrections
from .homecare import describe_home_care
from .models import Amendment, SessionNote
from .plans import active_plan
from .vocab import PSFS_EVERY, RegionMark


class NoteLocked(DomainError):
    """The note is signed: only an amendment may add to it."""

    code = "NOTE_LOCKED"
    status = 409
    code_in_body = False  # the notes API's contract: {"detail"}

    def __init__(self, note):
        super().__init__(
            f"This note was signed on {timezone.localtime(note.signed_at):%Y-%m-%d %H:%M}; "
            "add an amendment instead."
        )
        self.note = note


class NoteRefused(DomainError):
    """A note cannot be started, signed or amended for a reason the therapist can act on."""

    code = "NOTE_REFUSED"
    code_in_body = False


class NoteExists(DomainError):
    """The visit has its note already (perhaps started a moment ago by another request)."""

    code = "NOTE_EXISTS"
    status = 409
    code_in_body = False

    def __init__(self):
        super().__init__("A note for this visit exists: open it instead of starting another.")


def clean_note_data(data) -> dict:
    """Normalise note fields that are present; ValidationError maps field -> messages."""
    fields = {field.name: field for field in entries.NOTE_FIELDS}
    cleaned, errors = {}, {}
    for name in data:
        if name not in fields:
            errors[name] = ["Unknown field."]
    for name, field in fields.items():
        if name in data:
            try:
                cleaned[name] = field.clean(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _number_at(client_id, starts_at) -> int:
    return (
        SessionNote.objects.filter(
            client_id=client_id, appointment__starts_at__lt=starts_at
        ).count()
        + 1
    )


def session_number(note) -> int:
    """1 for the client's first note, counting the notes of earlier visits."""
    return _number_at(note.client_id, note.appointment.starts_at)


def psfs_due(number: int) -> bool:
    """The PSFS is taken at baseline (session 1) and every fourth session after (5, 9, ...)."""
    return (number - 1) % PSFS_EVERY == 0


def _last_note(client, before):
    return (
        SessionNote.objects.filter(client=client, appointment__starts_at__lt=before)
        .order_by("-appointment__starts_at")
        .first()
    )


def prefill(appointment, plan, last) -> dict:
    """A new note's starting values: the last note's work, else the plan's; home care in words."""
    values = {"techniques": [], "trigger_points": [], "body_map": {}, "psfs": []}
    if last is not None:
        values.update(
            techniques=last.techniques,
            trigger_points=last.trigger_points,
            body_map={r: m for r, m in last.body_map.items() if m == RegionMark.AVOID},
        )
    if last is not None and psfs_due(_number_at(appointment.client_id, appointment.starts_at)):
        previous_psfs = (
            SessionNote.objects.filter(client=appointment.client)
            .exclude(psfs=[])
            .order_by("-appointment__starts_at")
            .values_list("psfs", flat=True)
            .first()
        )
        # The activities stay the same from one PSFS to the next; the scores are new.
        values["psfs"] = [{"activity": a["activity"], "score": None} for a in previous_psfs or []]
    if plan is not None:
        if not values["techniques"]:
            values["techniques"] = [
                {field.name: t[field.name] for field in entries.TECHNIQUE.fields}
                for t in plan.techniques
            ]
        for region in plan.avoid_regions:
            values["body_map"].setdefault(region, RegionMark.AVOID.value)
        values["home_care"] = describe_home_care(plan)
        values["plan"] = (
            f"Continue the plan: {plan.get_frequency_weeks_display().lower()}, "
            f"{plan.visits_planned} visits; "
            f"review on {date_format(plan.review_on, 'SHORT_DATE_FORMAT')}."
        )
    return values


# The desk may press Done before the therapist opens the note: a completed visit is charted too.
CHARTABLE = (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED)


def days_since_visit(appointment, now=None) -> int:
    """Clinic days from the visit's day to today, or to `now` (0 on the day itself)."""
    day = local_date(now) if now else today()
    return (day - local_date(appointment.starts_at)).days


def is_late(days: int) -> bool:
    """A note started more than the clinic's late-charting days after the visit is late."""
    return days > ClinicSettings.load().late_charting_days


def unsigned_visits(therapist, limit=50) -> list:
    """The therapist's past checked-in or completed visits without a signed note, oldest first.

    At most `limit` (one query); each appointment carries its draft, if any, as `session_note`.
    """
    return list(
        Appointment.objects.filter(
            therapist=therapist, status__in=CHARTABLE, starts_at__lt=timezone.now()
        )
        .filter(Q(session_note__isnull=True) | Q(session_note__signed_at__isnull=True))
        .select_related("client", "session_note")
        .order_by("starts_at", "id")[:limit]
    )


def start_note(appointment, actor, *, now=None) -> tuple[SessionNote, bool]:
    """Open the visit's note, creating a pre-filled draft for a checked-in or completed visit.

    Refuses (SafetyError) when the client's screening does not allow a session, and
    (NoteRefused) when the visit is neither checked in nor completed. A note started too long
    after the visit is marked `charted_late`, and its audit row says so. `now` is when it is
    started (the demo writes past notes). Returns (note, created).
    """
    existing = SessionNote.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing, False
    if appointment.status not in CHARTABLE:
        raise NoteRefused(
            f"A note is written once the client is checked in (or the visit is completed); "
            f"this visit is {appointment.get_status_display().lower()}."
        )
    screening = safety.screening_for(appointment.client)
    safety.ensure(safety.check_note_allowed(screening.status))
    plan = active_plan(appointment.client)
    values = prefill(appointment, plan, _last_note(appointment.client, appointment.starts_at))
    now = now or timezone.now()
    days = days_since_visit(appointment, now)
    late = is_late(days)
    try:
        with transaction.atomic():
            note = SessionNote.objects.create(
                appointment=appointment,
                client=appointment.client,
                therapist=appointment.therapist,
                treatment_plan=plan,
                session_on=local_date(appointment.starts_at),
                charted_late=late,
                created_at=now,
                updated_at=now,
                **values,
            )
            detail = f"charted late: started {days} days after the visit" if late else ""
            record(actor, AuditAction.CREATE, note, detail=detail)
    except IntegrityError as exc:
        # Another request started this visit's note between the look-up above and here.
        raise NoteExists() from exc
    return note, True


def _locked_note(note) -> SessionNote:
    current = SessionNote.objects.select_for_update().get(pk=note.pk)
    if current.is_signed:
        raise NoteLocked(current)
    return current


def save_draft(note, data, actor, detail="") -> SessionNote:
    """Change a draft with `data` (any of the note's fields), after the safety check; audited.

    Raises ValidationError for malformed data, SafetyError for a restriction breach or a
    blocked screening, NoteLocked for a signed note. Nothing is saved on any of them.
    """
    data = clean_note_data(data)
    with transaction.atomic():
        current = _locked_note(note)
        for name, value in data.items():
            setattr(current, name, value)
        safety.ensure(
            safety.check_note(
                safety.screening_for(current.client),
                {"techniques": current.techniques, "body_map": current.body_map},
            )
        )
        current.updated_at = timezone.now()
        current.save()
        record(actor, AuditAction.UPDATE, current, detail=detail)
    _copy(current, note)
    return note


def sign_note(note, actor) -> SessionNote:
    """Lock the note: who, when and the SHA-256 of its content; then complete the visit.

    Signing needs the pain before and after and at least one SOAP field, and passes the same
    safety check as a draft.
    """
    user = Origin.of(actor).user
    with transaction.atomic():
        current = _locked_note(note)
        missing = [
            label
            for name, label in (("pain_before", "pain before"), ("pain_after", "pain after"))
            if getattr(current, name) is None
        ]
        if missing:
            raise NoteRefused(f"Record the {' and '.join(missing)} before signing.")
        if not any(getattr(current, f).strip() for f in ("subjective", "objective", "assessment")):
            raise NoteRefused("Write at least the subjective, objective or assessment first.")
        safety.ensure(
            safety.check_note(
                safety.screening_for(current.client),
                {"techniques": current.techniques, "body_map": current.body_map},
            )
        )
        current.signed_at = timezone.now()
        current.signed_by = user
        current.content_hash = signing.note_hash(current)
        current.save(update_fields=["signed_at", "signed_by", "content_hash"])
        record(actor, AuditAction.SIGN, current, detail=f"sha256 {current.content_hash}")
        appointment = current.appointment
        if appointment.status == AppointmentStatus.CHECKED_IN:
            booking.complete(appointment)
    _copy(current, note)
    return note


def add_amendment(note, actor, reason, text="", corrections=None) -> Amendment:
    """Add to a signed note (a draft is simply edited); kept in order, chained by hash.

    `corrections` may put right the note's pain or PSFS scores (sessions/corrections.py); the
    signed note itself stays as signed. The text may be left out when something is corrected.
    """
    reason, text = (reason or "").strip(), (text or "").strip()
    errors = {}
    try:
        corrections = clean_corrections(corrections, note)
    except ValidationError as exc:
        errors = exc.message_dict
    if not reason:
        errors["reason"] = ["Say why the note is amended."]
    elif len(reason) > 300:
        errors["reason"] = ["At most 300 characters."]
    if not text and not corrections:
        errors["text"] = ["Write the amendment, or correct a value."]
    elif len(text) > entries.NOTE_TEXT_MAX:
        errors["text"] = [f"At most {entries.NOTE_TEXT_MAX} characters."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = SessionNote.objects.select_for_update().get(pk=note.pk)
        if not current.is_signed:
            raise NoteRefused(
                "This note is still a draft: edit it instead of amending it.",
                code="NOTE_IS_DRAFT",
                status=409,
            )
        last = current.amendments.order_by("-created_at", "-id").first()
        amendment = Amendment(
            note=current,
            author=Origin.of(actor).user,
            reason=reason,
            text=text,
            corrections=corrections,
            created_at=timezone.now(),
        )
        amendment.content_hash = signing.amendment_hash(
            amendment, last.content_hash if last else current.content_hash
        )
        amendment.save()
        record(actor, AuditAction.AMEND, current, detail=f"amendment {amendment.pk}: {reason}")
    return amendment


def _copy(source, target):
    for field in SessionNote._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
