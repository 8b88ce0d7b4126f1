"""Reminders: one row per message to send, and clients' opt-outs.

The database, not the broker, is the source of truth. A row's key (kind, target, channel,
due_at) makes planning idempotent; `status` moves from `pending` to `sent` once, under a row
lock, so a task that runs twice, a killed worker or a flushed Redis neither doubles nor loses
a reminder. `next_attempt_at` is when a dispatch scan may pick the row up: `due_at` at first,
later pushed back by quiet hours, by the retry backoff, and by a claim (its lease: a claimed
row whose task was lost becomes due again when the lease runs out).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.accounts.models import Client


class ReminderKind(models.TextChoices):
    APPOINTMENT = "appointment", "Appointment"
    INTAKE = "intake", "Intake form"
    PRACTICE = "practice", "Home-care practice"
    REBOOK = "rebook", "Rebook nudge"
    BALANCE = "balance", "Balance owing"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class SkipReason(models.TextChoices):
    OPTED_OUT = "opted_out", "Opted out"
    QUIET_HOURS = "quiet_hours", "Quiet hours (too late once they ended)"
    CANCELLED_APPOINTMENT = "cancelled_appointment", "Cancelled appointment"
    RESCHEDULED = "rescheduled", "Appointment rescheduled"
    NO_SMS_CONSENT = "no_sms_consent", "No consent to text messages"
    NO_ADDRESS = "no_address", "No email address or phone number"
    CHANNEL_CHANGED = "channel_changed", "Client chose another channel"
    INTAKE_UP_TO_DATE = "intake_up_to_date", "Intake form already up to date"
    PLAN_CHANGED = "plan_changed", "Treatment plan changed or ended"
    VISIT_BOOKED = "visit_booked", "Next visit booked"
    TOO_LATE = "too_late", "Too late to be useful"
    INTAKE_RECEIVED = "intake_received", "Intake received"
    INTAKE_LINK_JUST_SENT = "intake_link_sent", "Intake link just sent"
    INTAKE_EARLIER_VISIT = "intake_earlier_visit", "Intake reminder goes with an earlier visit"
    BALANCE_PAID = "balance_paid", "Balance paid or credited"
    BALANCE_OFF = "balance_off", "Balance reminders turned off"
    BALANCE_SENT_TODAY = "balance_sent_today", "Balance reminder already sent today"


class LinkResponse(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed from the link"
    CANCELLED = "cancelled", "Cancelled from the link"


# Skipped by re-planning (not by a send-time rule): planning may revive these rows when the
# same reminder is wanted again, e.g. a visit moved back to its first time.
PLANNING_REASONS = (
    SkipReason.CANCELLED_APPOINTMENT,
    SkipReason.RESCHEDULED,
    SkipReason.PLAN_CHANGED,
    SkipReason.VISIT_BOOKED,
    SkipReason.INTAKE_EARLIER_VISIT,
)
# A balance reminder skipped because one sent the same day already listed everything the
# client owes still counts as one of the invoice's reminders (see balance.py).
BALANCE_DELIVERED = Q(status=ReminderStatus.SENT) | Q(
    status=ReminderStatus.SKIPPED, skip_reason=SkipReason.BALANCE_SENT_TODAY
)


class Reminder(models.Model):
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reminders")
    # Appointment and intake reminders target a visit, practice and rebook ones a plan, balance
    # ones an issued invoice; the unique constraints below index these columns first, which
    # serves lookups by target.
    appointment = models.ForeignKey(
        "booking.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    plan = models.ForeignKey(
        "treatment.TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    due_at = models.DateTimeField(help_text="When the reminder is planned for (UTC).")
    next_attempt_at = models.DateTimeField(help_text="When a dispatch scan may pick it up.")
    # Set when a dispatcher hands the row to a send task; cleared when it is deferred.
    claimed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    skip_reason = models.CharField(max_length=30, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the client did with this reminder's confirm or cancel link (the reports count it).
    response = models.CharField(max_length=10, choices=LinkResponse.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The dispatch scan: only pending rows, in the order they come due. Rows not yet due
            # sit past the scan's range, so its time does not grow with them.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="reminder_due_scan",
            ),
            models.Index(
                fields=["updated_at"], condition=Q(status="failed"), name="reminder_failed"
            ),
            models.Index(fields=["client", "due_at"], name="reminder_client_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "channel", "due_at"],
                condition=Q(appointment__isnull=False),
                name="one_reminder_per_visit_kind_channel_time",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "channel", "due_at"],
                condition=Q(appointment__isnull=True, plan__isnull=False),
                name="one_reminder_per_plan_kind_channel_time",
            ),
            models.UniqueConstraint(
                fields=["invoice", "kind", "channel", "due_at"],
                condition=Q(invoice__isnull=False),
                name="one_reminder_per_invoice_kind_channel_time",
            ),
            # Never two balance reminders waiting for one invoice on one channel.
            models.UniqueConstraint(
                fields=["invoice", "channel"],
                condition=Q(invoice__isnull=False, status="pending"),
                name="one_pending_reminder_per_invoice_channel",
            ),
            models.CheckConstraint(
                condition=Q(appointment__isnull=False)
                | Q(plan__isnull=False)
                | Q(invoice__isnull=False),
                name="reminder_has_a_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="sent_reminder_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder {self.pk} by {self.channel} at {self.due_at}"

    @property
    def status_text(self):
        """The status as the front desk reads it, with the skip reason or the last error."""
        if self.status == ReminderStatus.SKIPPED and self.skip_reason:
            return f"Skipped: {self.get_skip_reason_display().lower()}"
        if self.status == ReminderStatus.FAILED:
            return f"Failed after {self.attempts} attempts"
        if self.status == ReminderStatus.PENDING and self.attempts:
            return f"Retrying ({self.attempts} failed attempts)"
        return self.get_status_display()


class ReminderOptOut(models.Model):
    """A client asked for no more reminders on one channel (from a link in a reminder)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reminder_opt_outs")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    opted_out_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "channel"], name="one_opt_out_per_channel")
        ]

    def __str__(self):
        return f"{self.client} opted out of {self.get_channel_display().lower()} reminders"
