"""Services, rooms, therapists' hours and time off, and appointments.

No double booking is a database rule: on PostgreSQL three exclusion constraints refuse
overlapping live appointments for one therapist, one room or one client. SQLite has no
EXCLUDE, so there the constraints are no-ops and clinic/booking/booking.py checks the same
overlaps inside its IMMEDIATE write transaction.
"""

from datetime import timedelta
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Func, Q
from django.db.models.functions import Lower
from django.utils import timezone

from clinic.accounts.models import Client, Therapist


class UniqueName(models.UniqueConstraint):
    """One name per row whatever its case: "Willow" and "WILLOW" would read as one room.

    Forms and the catalog's full_clean ask it first, and its refusal names the name field; the
    database refuses the rare twin saved at the same instant (clinic/booking/catalog.py).
    """

    def __init__(self, *expressions, what: str = "", **kwargs):
        kwargs.setdefault("name", f"booking_{what}_name_unique_any_case")
        kwargs.setdefault("violation_error_message", f"A {what} with this name already exists.")
        super().__init__(*(expressions or [Lower("name")]), **kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({"name": error.error_list}) from error


class Service(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(120)],
        help_text="Time after each visit kept free for the room and the therapist.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered for new bookings.")
    # Price and tax (issue 14); billing reads these.
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Before tax, in the clinic's currency.",
    )
    tax_exempt = models.BooleanField(
        default=False, help_text="No tax is added (e.g. a service the tax law exempts)."
    )
    online_bookable = models.BooleanField(
        default=True, help_text="Clients may book it themselves online."
    )
    therapists = models.ManyToManyField(
        Therapist,
        blank=True,
        related_name="services",
        help_text="Who offers it; nobody chosen means every therapist.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [UniqueName(what="service")]

    def __str__(self):
        return self.name

    @property
    def duration(self):
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer(self):
        return timedelta(minutes=self.buffer_minutes)


class Room(models.Model):
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    services = models.ManyToManyField(
        Service,
        blank=True,
        related_name="rooms",
        help_text="The services this room suits; nothing chosen means every service.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [UniqueName(what="room")]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """One block of a therapist's weekly hours, in the clinic's local (wall-clock) time."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Clinic local time.")
    end_time = models.TimeField(help_text="Clinic local time.")
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The room this therapist usually works in then; another free room is used "
        "when it is taken.",
    )

    class Meta:
        verbose_name_plural = "working hours"
        ordering = ["therapist", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="hours_end_after_start"
            )
        ]

    def __str__(self):
        return (
            f"{self.therapist} {self.get_weekday_display()} "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )


class TimeOff(models.Model):
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["therapist", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="time_off_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.therapist} off {self.starts_at:%Y-%m-%d %H:%M}"


class Closure(models.Model):
    """A day or run of days the whole clinic is closed (a holiday): no slot is offered then."""

    first_day = models.DateField()
    last_day = models.DateField(help_text="The last closed day (the same as the first for one).")
    reason = models.CharField(max_length=120, help_text="e.g. Canada Day.")

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="closure_last_day_not_before_first"
            )
        ]

    def __str__(self):
        if self.first_day == self.last_day:
            return f"{self.reason} ({self.first_day:%Y-%m-%d})"
        return f"{self.reason} ({self.first_day:%Y-%m-%d} to {self.last_day:%Y-%m-%d})"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Cancelled and no-show visits free their time: they never block another booking.
NOT_BLOCKING = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
LIVE = Q(status__in=[s for s in AppointmentStatus if s not in NOT_BLOCKING])


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL and nothing elsewhere (SQLite has no EXCLUDE)."""

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


def _no_overlap(name, column, range_end):
    return PostgresExclusionConstraint(
        name=name,
        expressions=[
            (TsTzRange("starts_at", range_end), RangeOperators.OVERLAPS),
            (column, RangeOperators.EQUAL),
        ],
        condition=~Q(status__in=NOT_BLOCKING),
        violation_error_message=f"The {column} is already booked at that time.",
    )


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["updated_at"],
    append_only=True,
)
class Appointment(models.Model):
    # Indexed together with starts_at below, which serves every lookup by these.
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    therapist = models.ForeignKey(
        Therapist, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # ends_at plus the service's buffer: the therapist and the room stay busy until then.
    # Stored because PostgreSQL only indexes immutable expressions, and timestamptz + interval
    # is not one.
    busy_until = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    booked_at = models.DateTimeField(default=timezone.now)
    self_booked = models.BooleanField(default=False, help_text="Booked by the client online.")
    # Occurrences booked together as a recurring series share this id.
    series = models.UUIDField(null=True, blank=True, db_index=True)
    refer_override_reason = models.TextField(
        blank=True, help_text="Why the visit was booked although the screening says refer."
    )
    cancellation_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late_cancellation = models.BooleanField(
        default=False, help_text="Cancelled less than 24 hours before the start."
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["therapist", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(busy_until__gte=F("ends_at")), name="appointment_busy_after_end"
            ),
            _no_overlap("no_double_booked_therapist", "therapist", "busy_until"),
            _no_overlap("no_double_booked_room", "room", "busy_until"),
            # The buffer is for the room and the therapist; the client is busy for the visit.
            _no_overlap("no_double_booked_client", "client", "ends_at"),
        ]

    def __str__(self):
        return f"{self.client} with {self.therapist} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self):
        return self.status not in NOT_BLOCKING
