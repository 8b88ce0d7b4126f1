"""The clinic admin's forms. They only read input; saving goes through the domain functions
(clinic/setup/staff.py, clinic_settings.py, clinic/booking/catalog.py)."""

from django import forms
from django.core.files.images import get_image_dimensions
from django.core.validators import MaxLengthValidator

from clinic.accounts.models import Therapist, User
from clinic.accounts.roles import INVITABLE_ROLES, switchable_role_choices
from clinic.booking.catalog import MAX_WEEKLY_BLOCKS
from clinic.booking.models import Closure, Room, Service, TimeOff, Weekday, WorkingHours
from clinic.core.inputs import MAX_TEXT_LENGTH
from clinic.core.models import ClinicSettings

from .clinic_settings import GROUPS, editable_fields

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_TYPES = {"PNG": "png", "JPEG": "jpg"}  # Pillow's format: the extension stored
# The column's length: a longer address would reach the database and fail there (a 500).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(max_length=EMAIL_MAX_LENGTH)
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in INVITABLE_ROLES])


class AcceptInviteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not too common, not like your name or email.",
    )
    password_again = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Password again",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return cleaned


def limit_text(field: forms.Field) -> None:
    """The one free-text limit (clinic/core/inputs.py) on a model TextField that has none."""
    field.max_length = MAX_TEXT_LENGTH
    field.validators.append(MaxLengthValidator(MAX_TEXT_LENGTH))
    field.widget.attrs["maxlength"] = str(MAX_TEXT_LENGTH)


def checked_image(upload):
    """A PNG or JPEG Pillow can read, up to 1 MB; anything else is refused with a message."""
    if not upload or not hasattr(upload, "size"):
        return upload
    if upload.size > IMAGE_MAX_BYTES:
        raise forms.ValidationError("The image is larger than 1 MB.")
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise forms.ValidationError("This file is not an image we can read.") from error
    if kind not in IMAGE_TYPES:
        raise forms.ValidationError("Upload a PNG or JPEG image.")
    width, height = get_image_dimensions(upload)
    if not width or not height or width > 4000 or height > 4000:
        raise forms.ValidationError("The image must be at most 4000 × 4000 pixels.")
    upload.seek(0)
    # Stored (and later served) under the extension of what it is, not of the name it came with:
    # a PNG uploaded as "photo.pdf" would otherwise be served as a PDF.
    upload.name = "image." + IMAGE_TYPES[kind]
    return upload


class StaffUserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A therapist's profile holds records: their role is not switched here.
        choices = switchable_role_choices(self.instance)
        if choices:
            self.fields["role"].choices = choices
        else:
            del self.fields["role"]


class TherapistProfileForm(forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        Service.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The services they offer.",
    )

    class Meta:
        model = Therapist
        fields = ["credentials", "registration_number", "phone", "bio", "signature", "photo"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "signature": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
            "photo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["services"].initial = list(self.instance.services.all())

    def clean_signature(self):
        return checked_image(self.cleaned_data.get("signature"))

    def clean_photo(self):
        return checked_image(self.cleaned_data.get("photo"))


class HoursForm(forms.ModelForm):
    class Meta:
        model = WorkingHours
        fields = ["weekday", "start_time", "end_time", "room"]
        widgets = {"start_time": TIME, "end_time": TIME}
        labels = {"start_time": "From", "end_time": "Until"}
        help_texts = {"start_time": "", "end_time": ""}

    def __init__(self, *args, room_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank day lets an unused extra row stay empty (and be skipped).
        self.fields["weekday"].choices = [("", "(no day)"), *Weekday.choices]
        self.fields["room"].queryset = Room.objects.filter(is_active=True)
        if room_choices is not None:
            # Read once for the whole formset, not once a row.
            self.fields["room"].choices = room_choices


def room_choices():
    return [("", "(any free room)")] + [
        (room.pk, room.name) for room in Room.objects.filter(is_active=True)
    ]


HoursFormSet = forms.modelformset_factory(
    WorkingHours,
    form=HoursForm,
    extra=3,
    can_delete=True,
    max_num=MAX_WEEKLY_BLOCKS,
    validate_max=True,
)


class TimeOffForm(forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = ["starts_at", "ends_at", "reason"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}
        labels = {"starts_at": "From (clinic time)", "ends_at": "Until (clinic time)"}


class ServiceForm(forms.ModelForm):
    therapists = forms.ModelMultipleChoiceField(
        Therapist.objects.filter(is_active=True).select_related("user"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who offers it; nobody ticked means every therapist.",
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "duration_minutes",
            "buffer_minutes",
            "price",
            "tax_exempt",
            "online_bookable",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "duration_minutes": "Duration (minutes)",
            "buffer_minutes": "Buffer after (minutes)",
            "description": "Description for online booking",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["description"])
        if self.instance.pk:
            self.fields["therapists"].initial = list(self.instance.therapists.all())


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "is_active", "services"]
        widgets = {"services": forms.CheckboxSelectMultiple}
        help_texts = {"services": "The services it suits; nothing ticked means every service."}


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["first_day", "last_day", "reason"]
        widgets = {"first_day": DATE, "last_day": DATE}


class ClinicSettingsForm(forms.ModelForm):
    """Every editable setting, shown in the groups of clinic_settings.GROUPS."""

    class Meta:
        model = ClinicSettings
        fields = editable_fields()
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "quiet_hours_start": TIME,
            "quiet_hours_end": TIME,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self.fields["address"])

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in GROUPS]
