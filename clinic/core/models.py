"""The clinic's own settings: one row, edited by the clinic admin."""

from contextvars import ContextVar
from datetime import time
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from timezone_field import TimeZoneField

CACHE_KEY = "clinic-settings"
# Within one request the row is read by several middlewares, context processors and views: the
# first read keeps it here (ClinicSettingsPerRequestMiddleware), so a page costs one cache trip.
_request_copy: ContextVar[dict | None] = ContextVar("clinic_settings_request_copy", default=None)


def default_time_zone():
    return settings.TIME_ZONE


# The lead times an admin may choose for visit reminders: an hour to two weeks.
LEAD_HOURS_MIN, LEAD_HOURS_MAX = 1, 24 * 14


def default_staff_idle_minutes():
    return settings.STAFF_SESSION_IDLE_MINUTES


# Date formats a clinic may print (Django date-format strings), with an example each.
DATE_FORMATS = [
    ("Y-m-d", "2026-03-31"),
    ("d/m/Y", "31/03/2026"),
    ("m/d/Y", "03/31/2026"),
    ("j M Y", "31 Mar 2026"),
    ("M j, Y", "Mar 31, 2026"),
]


def validate_lead_hours(value):
    """A reminder lead time, checked wherever it is entered (admin form, API, model)."""
    if not LEAD_HOURS_MIN <= value <= LEAD_HOURS_MAX:
        raise ValidationError("Choose between 1 hour and 14 days (336 hours).", code="lead_hours")


# The heartbeat's worker_seen_at is left out: it changes every minute and says nothing.
@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=["worker_seen_at"], append_only=True
)
class ClinicSettings(models.Model):
    name = models.CharField(max_length=200, default="Tranquil Massage Clinic")
    # A ZoneInfo in Python; its key (e.g. "America/Toronto") in the database.
    time_zone = TimeZoneField(max_length=64, default=default_time_zone, use_pytz=False)
    phone = PhoneNumberField(blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    first_reminder_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[validate_lead_hours],
        help_text="Hours before a visit for the first reminder.",
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        default=2,
        validators=[validate_lead_hours],
        help_text="Hours before a visit for the second reminder.",
    )
    quiet_hours_start = models.TimeField(default=time(21, 0))
    quiet_hours_end = models.TimeField(default=time(8, 0))
    late_charting_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="A note started more than this many days after the visit is marked late.",
    )
    online_cancel_cutoff_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text="Clients may cancel or move a visit online up to this many hours before it; "
        "later, they call the clinic.",
    )
    online_min_notice_hours = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(24 * 14)],
        help_text="Online booking offers no time sooner than this many hours from now.",
    )
    # Sign-in (clinic/signin): how long a staff session may sit idle, and whether every staff
    # member, not only clinic admins, must sign in with a second factor.
    staff_idle_minutes = models.PositiveSmallIntegerField(
        default=default_staff_idle_minutes,
        validators=[MinValueValidator(2), MaxValueValidator(12 * 60)],
        help_text="A staff member who does nothing for this many minutes is signed out.",
    )
    require_two_factor_for_staff = models.BooleanField(
        default=False,
        help_text="Front desk and therapists must also sign in with an authenticator app "
        "(clinic admins always must).",
    )
    # The care relationship (clinic/accounts/querysets.py): how far ahead a booked visit lets
    # its therapist read the client's record.
    care_window_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(60)],
        help_text="A therapist may read a client's record from this many days before their "
        "first booked visit (0: only from the day of the visit). Past visits always count.",
    )
    # Privacy duties (clinic/privacy): how long a client's record is kept.
    retention_years = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Keep a client's record at least this many years after their last visit, or "
        "after they turn 18, whichever is later (CMTO: 10).",
    )
    # --- Running the clinic from its own screens (issue 14): identity, money, policies. ---
    date_format = models.CharField(
        max_length=10,
        choices=DATE_FORMATS,
        default="Y-m-d",
        help_text="How dates are written on receipts and letters.",
    )
    tax_number = models.CharField(
        max_length=40, blank=True, help_text="Printed on receipts, e.g. an HST/GST number."
    )
    business_registration = models.CharField(
        max_length=60, blank=True, help_text="The clinic's business registration number."
    )
    currency = models.CharField(
        max_length=3,
        default="CAD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO code, e.g. CAD.")],
        help_text="ISO 4217 code of the currency prices are in.",
    )
    tax_name = models.CharField(
        max_length=20, default="HST", help_text="What receipts call the tax, e.g. HST or GST."
    )
    tax_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("13.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Percent added to the price of every service that is not tax-exempt.",
    )
    intake_validity_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="An intake older than this many days must be filled in again.",
    )
    late_cancel_window_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text="A cancellation this many hours or less before the visit counts as late.",
    )
    late_cancel_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Charged for a late cancellation (0 for none).",
    )
    no_show_fee = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Charged when a client does not come (0 for none).",
    )
    # Cards online (clinic/billing/cards.py): meaningful only when a Stripe gateway is set.
    require_card_for_online_booking = models.BooleanField(
        default=False,
        help_text="Clients booking online keep a card on file (with Stripe) before the booking "
        "is confirmed. Has no effect without an online payment gateway.",
    )
    # --- end of issue 14 block ---
    # The waitlist (clinic/waitlist): how long an offered slot is held for one client.
    waitlist_hold_minutes = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text="How long a slot offered from the waitlist is held for the client it was "
        "offered to before it goes to the next one.",
    )
    # Balance reminders (clinic/reminders/balance.py): opt-in, off until the clinic turns them on.
    balance_reminders = models.BooleanField(
        default=False,
        help_text="Remind clients by email or text when an issued invoice is left unpaid.",
    )
    balance_reminder_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days after an invoice is issued unpaid before the first balance reminder.",
    )
    balance_reminder_repeat_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days between balance reminders while the balance is still owed.",
    )
    balance_reminder_max = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Most balance reminders sent for one invoice, the first included.",
    )
    # US clinics (clinic/billing/superbill.py): a superbill a client sends their insurer.
    superbill_enabled = models.BooleanField(
        default=False,
        help_text="US clinics: offer a superbill (CPT 97124 and ICD-10 codes) for each visit.",
    )
    billing_npi = models.CharField(
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", "An NPI is ten digits.")],
        help_text="The clinic's National Provider Identifier, printed on superbills.",
    )
    place_of_service = models.CharField(
        max_length=2,
        default="11",
        validators=[RegexValidator(r"^\d{2}$", "A place-of-service code is two digits.")],
        help_text="CMS place-of-service code printed on superbills (11: office).",
    )
    # Written by the beat heartbeat task, so the admin sees the background worker is alive.
    worker_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "clinic settings"
        verbose_name_plural = "clinic settings"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)
        if (kept := _request_copy.get()) is not None:
            kept.clear()

    @property
    def zone(self):
        """The clinic's time zone, a ZoneInfo."""
        return self.time_zone

    @property
    def reminder_lead_hours(self):
        return sorted({self.first_reminder_hours, self.second_reminder_hours}, reverse=True)

    @classmethod
    def load(cls):
        """The clinic's settings row, created with defaults on first use; cached briefly."""
        kept = _request_copy.get()
        if kept:
            return kept["row"]
        found = cache.get(CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(CACHE_KEY, found, 60)
        if kept is not None:
            kept["row"] = found
        return found

    @staticmethod
    def kept_for_request():
        """A context manager: inside it, `load` reads the cache once (see `_request_copy`)."""
        return _KeptForRequest()


class _KeptForRequest:
    def __enter__(self):
        self.token = _request_copy.set({})

    def __exit__(self, *exc):
        _request_copy.reset(self.token)
