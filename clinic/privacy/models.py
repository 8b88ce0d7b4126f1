"""What the clinic owes its clients by law, kept as rows: record exports, access requests, the
breach register and the log of records destroyed at the end of their retention.

None of these rows holds health data: they say who asked, who did what and when, and which
client (by id) it was about. The clinical record itself stays in the apps that own it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

NOTES_MAX_LENGTH = 2000
DESCRIPTION_MAX_LENGTH = 5000


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF (for people)"
    FHIR = "fhir", "FHIR R4 JSON (for systems)"


class RecordExport(models.Model):
    """One export of a client's whole record: which format, who made it and when."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="record_exports"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self):
        return f"{self.get_format_display()} export of client {self.client_id}"


class RequestKind(models.TextChoices):
    ACCESS = "access", "Access to the record"
    CORRECTION = "correction", "Correction of the record"
    EXPORT = "export", "Copy of the record for another provider or system"


class AccessRequest(models.Model):
    """A client's request about their record, due 30 days after it was received."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="access_requests"
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    received_on = models.DateField()
    due_on = models.DateField(help_text="Received + 30 days (PHIPA, HIPAA §164.524, GDPR art. 15).")
    notes = models.CharField(max_length=NOTES_MAX_LENGTH, blank=True)
    logged_at = models.DateTimeField(default=timezone.now)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    export = models.ForeignKey(
        RecordExport, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(fulfilled_at__isnull=True),
                name="open_access_requests_by_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="request_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_at__isnull=True) | Q(fulfilled_by__isnull=False),
                name="fulfilled_request_names_who",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} request of client {self.client_id}, due {self.due_on}"

    @property
    def is_open(self):
        return self.fulfilled_at is None


class BreachKind(models.TextChoices):
    UNAUTHORISED_ACCESS = "unauthorised_access", "Unauthorised access (snooping)"
    MISDIRECTED = "misdirected", "Sent to the wrong person"
    LOST_OR_STOLEN = "lost_or_stolen", "Lost or stolen device or paper"
    CYBER = "cyber", "Cyber attack"
    OTHER = "other", "Other"


class Breach(models.Model):
    """An incident in the breach register, kept at least 24 months (PIPEDA s. 10.3)."""

    discovered_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=BreachKind.choices)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH)
    reported_to_regulator = models.BooleanField(default=False)
    reported_on = models.DateField(null=True, blank=True)
    affected_clients = models.ManyToManyField(
        "accounts.Client", blank=True, related_name="breaches"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_to_regulator=False) | Q(reported_on__isnull=False),
                name="reported_breach_has_a_date",
            ),
        ]

    def __str__(self):
        return (
            f"Breach {self.pk} ({self.get_kind_display()}) discovered {self.discovered_at:%Y-%m-%d}"
        )


class DestructionLog(models.Model):
    """A client's clinical record destroyed at the end of retention: who, when, which client id,
    and how many rows of each kind. Never a name or any health data."""

    client_id = models.BigIntegerField(unique=True)
    destroyed_at = models.DateTimeField(default=timezone.now)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The date retention ended, as computed when destroyed.
    kept_until = models.DateField()
    # {"intakes": 2, "notes": 6, ...}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-destroyed_at", "-id"]

    def __str__(self):
        return f"Record of client {self.client_id} destroyed {self.destroyed_at:%Y-%m-%d}"
