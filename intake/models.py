"""Intakes (answers plus the screening result they produced) and providers' clearances."""

import secrets
from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.core.models import ClinicSettings

from .screening import Outcome, ScreeningResult


def valid_for() -> timedelta:
    """How long an intake stays current: the clinic's setting (90 days unless changed)."""
    return timedelta(days=ClinicSettings.load().intake_validity_days)


class Intake(models.Model):
    """One submitted intake form. The stored result keeps the rules version it was computed with."""

    client = models.ForeignKey("accounts.Client", on_delete=models.PROTECT, related_name="intakes")
    answers = models.JSONField()
    outcome = models.CharField(max_length=20, choices=[(o.value, o.value) for o in Outcome])
    findings = models.JSONField(default=list)
    restrictions = models.JSONField(default=dict)
    rules_version = models.CharField(max_length=32)
    signature = models.CharField(max_length=200)
    consented_at = models.DateTimeField()
    submitted_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the client says something changed at a check-in: the intake no longer counts.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["client", "-submitted_at"])]
        # Part of the health record: superseded, never deleted, by anyone (admin, SQL).
        triggers = [pgtrigger.Protect(name="intake_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self):
        return f"Intake {self.pk} for {self.client} ({self.outcome})"

    def save(self, *args, **kwargs):
        if self.valid_until is None:
            self.valid_until = self.submitted_at + valid_for()
        super().save(*args, **kwargs)

    @property
    def result(self) -> ScreeningResult:
        return ScreeningResult.from_dict(
            {
                "outcome": self.outcome,
                "findings": self.findings,
                "restrictions": self.restrictions,
                "rules_version": self.rules_version,
            }
        )


def clearance_upload_to(instance, filename):
    return f"clearances/{instance.client_id}/{filename}"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class Clearance(models.Model):
    """A healthcare provider's clearance on file: lifts the `clearance` block, never `refer`."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="clearances"
    )
    provider_name = models.CharField(max_length=200)
    cleared_on = models.DateField()
    note = models.TextField(blank=True)
    document = models.FileField(
        upload_to=clearance_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        triggers = [pgtrigger.Protect(name="clearance_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self):
        return f"Clearance from {self.provider_name} for {self.client}"


def new_link_nonce():
    return secrets.token_urlsafe(24)


class IntakeLink(models.Model):
    """An emailed link to the intake form. The URL carries a signed token; this row makes it
    single-use (`used_at`) and says who sent it to which address.

    A client has at most one live link (unused and not retired): every email and reminder
    sends that one, each with a freshly signed token, so the token expires a set time after
    it was sent, not the row. An intake received retires the client's other links.
    """

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.CASCADE, related_name="intake_links"
    )
    nonce = models.CharField(max_length=64, unique=True, default=new_link_nonce)
    sent_to = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    intake = models.OneToOneField(
        Intake, null=True, blank=True, on_delete=models.SET_NULL, related_name="link"
    )
    # The clinic's staff sent it (reminders do not count): a reminder right after is skipped.
    staff_sent_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="No longer needed: an intake came in another way."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(used_at__isnull=True, retired_at__isnull=True),
                name="one_live_intake_link_per_client",
            )
        ]

    def __str__(self):
        return f"Intake link for {self.client} ({'used' if self.used_at else 'unused'})"


class IntakeCheckIn(models.Model):
    """A visit's "has anything changed since your last intake?" answer."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.CASCADE, related_name="intake_check_ins"
    )
    changed = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The visit it was asked at, when there is one; a plain id so intake does not depend on
    # booking's migrations.
    appointment_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = "intake check-in"

    def __str__(self):
        return f"Check-in for {self.client}: {'changed' if self.changed else 'no change'}"


class AlertKind(models.TextChoices):
    REFER = "refer", "Refer: do not treat"
    CLEARANCE = "clearance", "Clearance needed"
    DOCUMENT = "document", "Clearance document from the client"


class IntakeAlert(models.Model):
    """An intake that needs someone's attention, shown on their home page until marked seen:
    a `refer`, a `clearance` to chase, or a document the client uploaded for it."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind, default=AlertKind.REFER)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_alerts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "recipient", "kind"], name="one_alert_per_recipient_and_kind"
            )
        ]
        indexes = [models.Index(fields=["recipient", "seen_at"])]

    def __str__(self):
        return f"Alert to {self.recipient} about {self.intake}"


class ClearanceUpload(models.Model):
    """A clearance document the client uploaded themself. It waits for their therapist's review
    and lifts nothing on its own: only a Clearance recorded by staff lifts the block."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="clearance_uploads"
    )
    document = models.FileField(
        upload_to=clearance_upload_to,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when staff record a clearance for the client: the upload has been read.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    clearance = models.ForeignKey(
        Clearance, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )

    class Meta:
        ordering = ["-uploaded_at"]
        triggers = [pgtrigger.Protect(name="upload_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self):
        state = "reviewed" if self.reviewed_at else "awaiting review"
        return f"Clearance document from {self.client} ({state})"
