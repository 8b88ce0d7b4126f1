"""Intakes (answers plus the screening result they produced) and providers' clearances."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone

from .screening import Outcome, ScreeningResult

VALID_FOR = timedelta(days=90)


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

    def __str__(self):
        return f"Intake {self.pk} for {self.client} ({self.outcome})"

    def save(self, *args, **kwargs):
        if self.valid_until is None:
            self.valid_until = self.submitted_at + VALID_FOR
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

    def __str__(self):
        return f"Clearance from {self.provider_name} for {self.client}"
