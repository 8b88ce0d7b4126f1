"""Input for the front-desk and self-booking pages. Decisions stay in the booking service."""

from datetime import datetime

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils.html import format_html
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from clinic.accounts.models import Client, Therapist, User
from clinic.core.clinic_time import today
from clinic.core.inputs import MAX_TEXT_LENGTH, is_supported_day, parse_id

from .availability import Slot
from .models import Room, Service

REPEAT_CHOICES = [("0", "Just this visit"), ("1", "Every week"), ("2", "Every 2 weeks")]


def slot_value(slot: Slot) -> str:
    """How a free slot travels in a form or a link: its start (UTC, ISO 8601) and therapist."""
    return f"{slot.starts_at.isoformat()}|{slot.therapist_id}"


def parse_aware(value: str) -> datetime | None:
    """An aware moment in ISO 8601 on a supported day; None for anything else (a naive time
    is ambiguous, and year 9999 overflows once a visit's length is added)."""
    try:
        moment = datetime.fromisoformat((value or "").strip().replace(" ", "+"))
    except ValueError:
        return None
    return moment if moment.tzinfo and is_supported_day(moment.date()) else None


class SlotField(forms.CharField):
    """A chosen slot: (start, therapist)."""

    default_error_messages = {
        "required": "Choose a free time.",
        "invalid": "That time could not be read: choose one of the free times.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        start, _, therapist_id = value.partition("|")
        moment = parse_aware(start)
        therapist_id = parse_id(therapist_id)
        therapist = (
            Therapist.objects.select_related("user").filter(pk=therapist_id).first()
            if therapist_id is not None
            else None
        )
        if moment is None or therapist is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment, therapist


class SlotSearchForm(forms.Form):
    service = forms.ModelChoiceField(Service.objects.filter(is_active=True))
    therapist = forms.ModelChoiceField(
        Therapist.objects.filter(is_active=True).select_related("user"),
        required=False,
        empty_label="Anyone",
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        if not data:
            # Nothing asked yet: an unbound form on today, not a page of "required" errors.
            kwargs.setdefault("initial", {"date": today()})
            super().__init__(None, **kwargs)
            return
        data = data.copy()
        data.setdefault("date", today().isoformat())
        super().__init__(data, **kwargs)


class BookForm(forms.Form):
    client = forms.ModelChoiceField(Client.objects.current(), widget=forms.HiddenInput)
    service = forms.ModelChoiceField(
        Service.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    slot = SlotField()
    room = forms.ModelChoiceField(
        Room.objects.filter(is_active=True),
        required=False,
        empty_label="The therapist's usual room, or any free room",
    )
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES, initial="0", label="Repeat")
    count = forms.IntegerField(
        min_value=2, max_value=26, initial=6, label="Number of visits in the series"
    )
    refer_override_reason = forms.CharField(
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why book although the screening says refer",
    )


class RescheduleForm(forms.Form):
    slot = SlotField()
    room = forms.ModelChoiceField(
        Room.objects.filter(is_active=True),
        required=False,
        empty_label="Keep the room if it is free, or any free room",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (optional)",
    )


class ClientForm(forms.ModelForm):
    send_intake_link = forms.BooleanField(
        required=False, initial=True, label="Email the intake form link now"
    )

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "phone",
            "email",
            "date_of_birth",
            "preferred_channel",
            "sms_consent",
            "primary_therapist",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            # Shows a number of the clinic's own country in its national format.
            "phone": RegionalPhoneNumberWidget(attrs={"autocomplete": "off"}),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = Client.objects.filter(email__iexact=email).first() if email else None
        if existing:
            raise forms.ValidationError(
                format_html(
                    'A client with this email is already registered: <a href="{}">{}</a>.',
                    reverse("client-detail", args=[existing.pk]),
                    existing.full_name,
                )
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError("Enter a phone number or an email address.")
        if cleaned.get("send_intake_link") and not cleaned.get("email"):
            self.add_error("send_intake_link", "The intake link goes by email: add an email.")
        return cleaned


class RegisterForm(forms.Form):
    """A new client booking online: who they are, and a password for next time."""

    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = PhoneNumberField(widget=RegionalPhoneNumberWidget(attrs={"autocomplete": "tel"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, to log in next time.",
    )

    def clean_email(self):
        # Whether the address has an account is never said here (the view emails its owner).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("email"):
            user = User(
                email=cleaned["email"],
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(cleaned["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class SeriesForm(forms.Form):
    """The series the front desk is deciding on, carried through its preview page."""

    client = forms.ModelChoiceField(Client.objects.current(), widget=forms.HiddenInput)
    service = forms.ModelChoiceField(Service.objects.all(), widget=forms.HiddenInput)
    therapist = forms.ModelChoiceField(Therapist.objects.all(), widget=forms.HiddenInput)
    room = forms.ModelChoiceField(Room.objects.all(), required=False, widget=forms.HiddenInput)
    first = forms.CharField(widget=forms.HiddenInput)
    every = forms.TypedChoiceField(choices=[(1, 1), (2, 2)], coerce=int, widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=2, max_value=26, widget=forms.HiddenInput)
    refer_override_reason = forms.CharField(
        required=False, max_length=MAX_TEXT_LENGTH, widget=forms.HiddenInput
    )

    def clean_first(self):
        moment = parse_aware(self.cleaned_data["first"])
        if moment is None:
            raise forms.ValidationError("The series start could not be read.")
        return moment
