"""The waitlist: who waits for which service and when, the slots cancellations free, and the
offers that fill them.

Offers are rows, like reminders, and the database keeps the two promises the waitlist makes:
one live offer per slot at a time (a partial unique constraint on the slot's therapist and
start while the offer is `offered`), and never the same slot offered twice to one client (a
unique constraint on client, therapist and start). A killed worker, a flushed Redis or two
beats can therefore lose an enqueued task but never double an offer; the sweep finds the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.accounts.models import Client, Therapist
from clinic.booking.models import Appointment, Room, Service, Weekday
from clinic.core.clinic_time import local


class EntryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Booked from an offer"
    REMOVED = "removed", "Removed"


class WaitlistEntry(models.Model):
    """A client waiting for a visit: the service, the therapists (none chosen means anyone),
    and the window that suits them in the clinic's local time."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="waitlist_entries")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    therapists = models.ManyToManyField(
        Therapist, blank=True, related_name="+", help_text="None chosen: any therapist."
    )
    # Weekday numbers, Monday 0 (as booking.Weekday); a list so SQLite stores it too.
    weekdays = models.JSONField(default=list)
    earliest = models.TimeField(help_text="Clinic local time the visit may start from.")
    latest = models.TimeField(help_text="Clinic local time the visit must end by.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        indexes = [models.Index(fields=["service", "status"], name="waitlist_entry_service")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "service"],
                condition=Q(status="waiting"),
                name="one_waiting_entry_per_client_service",
            ),
            models.CheckConstraint(
                condition=Q(latest__gt=models.F("earliest")), name="waitlist_window_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="waitlist_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.client} waiting for {self.service}"

    @property
    def weekday_names(self):
        return [Weekday(day).label[:3] for day in self.weekdays]


class FreedReason(models.TextChoices):
    CANCELLED = "cancelled", "Cancelled"
    MOVED = "moved", "Moved away"
    HOURS = "hours", "Hours opened"
    DESK = "desk", "Offered by the desk"


# What the fill rate counts: time a visit left, not time newly opened or picked by the desk.
LEFT_BY_A_VISIT = (FreedReason.CANCELLED, FreedReason.MOVED)


class SlotStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Rebooked"
    PASSED = "passed", "Started unfilled"


class FreedSlot(models.Model):
    """A time a cancellation or a move left free (or hours opened, or the desk picked), from
    which offers are made; the fill rate counts how many visits' times were rebooked before they
    started."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=10, choices=FreedReason.choices)
    source = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    freed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=SlotStatus.choices, default=SlotStatus.OPEN)
    filled_by = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"], condition=Q(status="open"), name="freed_open"),
            models.Index(fields=["freed_at"], name="freed_at"),
        ]
        constraints = [
            # One open slot per therapist and start: a second cancellation of the same time
            # (after a rebooking) opens a new row only once the first is filled.
            models.UniqueConstraint(
                fields=["therapist", "starts_at"],
                condition=Q(status="open"),
                name="one_open_freed_slot_per_time",
            ),
        ]

    def __str__(self):
        return f"{self.service} with {self.therapist}, {local(self.starts_at):%a %b %d %H:%M}"


class OfferKind(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    DESK = "desk", "By the desk"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed"
    TAKEN = "taken", "Taken meanwhile"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Offer(models.Model):
    """One slot offered to one waiting client, held for them until `expires_at`.

    `sent_at` moves from empty to set once, by a compare-and-swap that holds the row's lock
    for the whole send (clinic/reminders/offers.py), so a second send task finds it sent.
    """

    kind = models.CharField(max_length=10, choices=OfferKind.choices, default=OfferKind.AUTOMATIC)
    slot = models.ForeignKey(FreedSlot, on_delete=models.CASCADE, related_name="offers")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    # The slot key, copied from the slot so the constraints can name it.
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Reset when it is sent: the hold counts from the moment the client is told.
    expires_at = models.DateTimeField()
    # Quiet hours push the send to this time.
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True, help_text="email, sms or both.")
    ended_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["expires_at"], condition=Q(status="offered"), name="offer_live"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "starts_at"],
                condition=Q(status="offered"),
                name="one_live_offer_per_slot",
            ),
            models.UniqueConstraint(
                fields=["client", "therapist", "starts_at"], name="slot_offered_once_per_client"
            ),
            models.CheckConstraint(
                condition=Q(status="offered") | Q(ended_at__isnull=False),
                name="ended_offer_has_ended_at",
            ),
        ]

    def __str__(self):
        return f"Offer {self.pk} of {self.starts_at:%Y-%m-%d %H:%M} to {self.client}"

    @property
    def is_live(self):
        return self.status == OfferStatus.OFFERED
