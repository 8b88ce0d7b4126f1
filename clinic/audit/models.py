"""The audit log: who saw or changed which clinical record, when and from where."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    SIGN = "sign", "Signed"
    AMEND = "amend", "Amended"
    EXPORT = "export", "Exported"
    # A therapist opened the record of a client they do not treat, giving a reason.
    BREAK_GLASS = "break_glass", "Broke the glass"
    REVIEW = "review", "Reviewed"
    # A client's whole record released on request (clinic/privacy), and destroyed at the end
    # of its retention: distinct from a clinician's note or record PDF.
    DISCLOSE = "disclose", "Disclosed on request"
    DESTROY = "destroy", "Destroyed (retention ended)"


class AuditEvent(models.Model):
    """One row per view or change; append-only (PostgreSQL refuses updates and deletes)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # The actor's email at the time, so the row still reads well if the account changes.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey(
        "accounts.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self):
        return f"{self.actor_label or 'system'} {self.action} {self.object_type} {self.object_id}"


# Long enough for a sentence or two, short enough to stay a reason rather than a note.
BREAK_GLASS_REASON_MAX = 500


class BreakGlassGrant(models.Model):
    """A therapist's reasoned access to the record of a client they do not treat.

    Read only, from `granted_at` to the end of that clinic day (`expires_at`); every read under
    it is audited as usual, and the clinic admin marks each grant reviewed. Granted by
    clinic/audit/break_glass.py; the care rule reads it through `Client.break_glass_grants`.
    Never deleted (PostgreSQL refuses it): the review list is the record of every grant.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.CharField(max_length=BREAK_GLASS_REASON_MAX)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(fields=["user", "client", "expires_at"]),
            models.Index(fields=["-granted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="break_glass_expires_after_granted",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_reason_given"),
        ]
        triggers = [
            pgtrigger.Protect(name="break_glass_grant_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.user} on {self.client} at {self.granted_at:%Y-%m-%d %H:%M}"
