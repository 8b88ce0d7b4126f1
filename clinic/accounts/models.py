"""People: users who log in by email, with one role each, and the client and therapist profiles."""

import secrets

import pghistory
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from .querysets import ClientQuerySet, TherapistQuerySet


class Role(models.TextChoices):
    CLIENT = "client", "Client"
    FRONT_DESK = "front_desk", "Front desk"
    THERAPIST = "therapist", "Therapist"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.CLIENT)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(role=Role.CLINIC_ADMIN, is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLIENT)
    is_active = models.BooleanField(default=True)
    # Set for clinic admins; Django's admin itself opens for superusers only
    # (clinic/core/admin_site.py).
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.role == Role.CLINIC_ADMIN:
            self.is_staff = True
        super().save(*args, **kwargs)


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message (SMS)"
    BOTH = "both", "Email and text message"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
)
class Client(models.Model):
    """A person who receives treatment; a login is optional (the front desk may register them)."""

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="client"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = PhoneNumberField(blank=True)
    email = models.EmailField(blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=ReminderChannel.choices, default=ReminderChannel.EMAIL
    )
    sms_consent = models.BooleanField(
        default=False, help_text="The client agreed to receive text messages."
    )
    primary_therapist = models.ForeignKey(
        "accounts.Therapist",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_clients",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when clinic.privacy destroys the record at the end of retention: the row stays, emptied,
    # for the audit log and invoices that point at it, and leaves every list (`current()`).
    record_destroyed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("client-detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def therapists(self):
        """The therapists who treat this client (for alerts about their screening)."""
        return Therapist.objects.treating(self).select_related("user")

    def is_treated_by(self, user):
        """True when the user treats this client as a therapist (ClientQuerySet.treated_by)."""
        return type(self).objects.filter(pk=self.pk).treated_by(user).exists()


def therapist_upload_to(instance, filename):
    """A random name under therapists/: the stored name never carries the uploaded one."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"therapists/{secrets.token_hex(16)}.{extension}"


def new_calendar_token():
    return secrets.token_urlsafe(32)


class Therapist(models.Model):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="therapist")
    phone = PhoneNumberField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    bio = models.TextField(
        blank=True, max_length=1000, help_text="A few sentences shown on online booking."
    )
    is_active = models.BooleanField(default=True)
    # Their professional identity, printed on receipts and the clinical record.
    credentials = models.CharField(
        max_length=120, blank=True, help_text="e.g. RMT, BSc Kinesiology."
    )
    registration_number = models.CharField(
        max_length=40, blank=True, help_text="Their number with the regulatory college."
    )
    signature = models.ImageField(
        upload_to=therapist_upload_to, blank=True, help_text="PNG or JPEG, up to 1 MB."
    )
    photo = models.ImageField(
        upload_to=therapist_upload_to, blank=True, help_text="Shown on online booking."
    )
    # The private iCalendar feed's secret; replacing it revokes the old feed URL.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    objects = TherapistQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.user.get_full_name() or self.user.email

    @property
    def email(self):
        return self.user.email
