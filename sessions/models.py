"""Treatment plans, session notes with their amendments, and home-care practice.

Lists of structured entries (goals, techniques, trigger points, home care) are JSON arrays of
objects with the brief's keys, the same shape the API speaks; sessions/entries.py says which
keys and values each may hold. Nothing here is ever deleted, and a signed note never changes:
on PostgreSQL triggers refuse it, whatever the caller (the ORM, the admin or raw SQL).
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .vocab import PAIN_MAX, PAIN_MIN


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    DISCONTINUED = "discontinued", "Discontinued"


class Frequency(models.IntegerChoices):
    WEEKLY = 1, "Every week"
    FORTNIGHTLY = 2, "Every 2 weeks"


# Before/after of every plan, for "what did this plan say last week" (the plan page lists it).
@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=["updated_at"], append_only=True
)
class TreatmentPlan(models.Model):
    """A gluteal-focused plan for one client; at most one is active at a time."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="treatment_plans"
    )
    therapist = models.ForeignKey(
        "accounts.Therapist", on_delete=models.PROTECT, related_name="treatment_plans"
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    # [{"goal", "measure", "baseline", "target"}]
    goals = models.JSONField(default=list)
    # [{"muscle", "side"}]
    target_muscles = models.JSONField(default=list)
    # [{"technique", "muscle", "side", "pressure", "minutes", "progression"}]; pressure is the
    # starting pressure.
    techniques = models.JSONField(default=list)
    # Body-map regions to keep off (where the affected skin is, for PR_SKIN).
    avoid_regions = models.JSONField(default=list)
    frequency_weeks = models.PositiveSmallIntegerField(
        choices=Frequency.choices, default=Frequency.WEEKLY
    )
    visits_planned = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)], default=6
    )
    # [{"tool", "technique", "minutes", "days": ["mon", ...], "time": "HH:MM"}]; the time is
    # the client's preferred local (clinic zone) time.
    home_care = models.JSONField(default=list)
    review_on = models.DateField()
    notes = models.TextField(blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="one_active_plan_per_client",
                violation_error_message="This client already has an active treatment plan.",
            ),
        ]
        triggers = [pgtrigger.Protect(name="plan_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self):
        return f"Plan {self.pk} for {self.client} ({self.status})"

    @property
    def is_active(self):
        return self.status == PlanStatus.ACTIVE


class SessionNote(models.Model):
    """A SOAP note for one appointment; signing locks it for good."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.PROTECT, related_name="session_note"
    )
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="session_notes"
    )
    therapist = models.ForeignKey(
        "accounts.Therapist", on_delete=models.PROTECT, related_name="session_notes"
    )
    # The plan in force when the note was started ("plan" is the SOAP plan's text).
    treatment_plan = models.ForeignKey(
        TreatmentPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_notes",
    )
    session_on = models.DateField(help_text="The appointment's day in the clinic's zone.")
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    pain_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)]
    )
    pain_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)]
    )
    # [{"technique", "muscle", "side", "pressure", "minutes"}]
    techniques = models.JSONField(default=list, blank=True)
    # [{"muscle", "side", "tenderness"}]
    trigger_points = models.JSONField(default=list, blank=True)
    # {"<region>": "treated" | "tender" | "avoid"}
    body_map = models.JSONField(default=dict, blank=True)
    client_response = models.TextField(blank=True)
    home_care = models.TextField(blank=True)
    # Patient-Specific Functional Scale, at baseline and every fourth session:
    # [{"activity", "score"}], up to three.
    psfs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # SHA-256 of the canonical content at signing (sessions/signing.py).
    content_hash = models.CharField(max_length=64, blank=True)
    # Started more than ClinicSettings.late_charting_days after the visit (sessions/notes.py).
    charted_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["-session_on", "-id"]
        indexes = [models.Index(fields=["client", "session_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__isnull=True) | Q(pain_before__lte=PAIN_MAX),
                name="note_pain_before_0_10",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True) | Q(pain_after__lte=PAIN_MAX),
                name="note_pain_after_0_10",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True)
                | (Q(signed_by__isnull=False) & ~Q(content_hash="")),
                name="signed_note_has_signer_and_hash",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="signed_note_locked",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__signed_at__isnull=False),
            ),
            pgtrigger.Protect(name="note_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"Note {self.pk} for {self.client} on {self.session_on}"

    @property
    def is_signed(self):
        return self.signed_at is not None


class Amendment(models.Model):
    """An addition to a signed note: who, when, why and what, perhaps correcting its numbers.
    Append-only."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    # Corrected structured values, {"pain_before", "pain_after", "psfs": [{"activity", "score"}]}
    # (any of them; sessions/corrections.py). The signed note keeps what was signed; progress,
    # the record and the PDFs read the latest correction.
    corrections = models.JSONField(default=dict, blank=True)
    # SHA-256 over the note's hash, the previous amendment's hash and this one's content,
    # so the history reads as a chain.
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="amendment_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"Amendment {self.pk} to note {self.note_id}"


class PracticeSource(models.TextChoices):
    CLIENT_PAGE = "client_page", "Client's home-care page"
    REMINDER = "reminder", "Reminder link"
    THERAPIST = "therapist", "Recorded by the therapist"
    API = "api", "API"


class PracticeLog(models.Model):
    """A day the client did their home-care practice; one row per client, plan and day."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="practice_logs"
    )
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="practice_logs")
    practiced_on = models.DateField()
    done_at = models.DateTimeField(default=timezone.now)
    pain_now = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)]
    )
    source = models.CharField(max_length=20, choices=PracticeSource.choices)

    class Meta:
        ordering = ["-practiced_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "plan", "practiced_on"], name="one_practice_log_per_day"
            ),
            models.CheckConstraint(
                condition=Q(pain_now__isnull=True) | Q(pain_now__lte=PAIN_MAX),
                name="practice_pain_0_10",
            ),
        ]

    def __str__(self):
        return f"{self.client} practised on {self.practiced_on}"
