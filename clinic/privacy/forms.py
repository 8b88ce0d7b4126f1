"""Input for the privacy pages; the rules are in the domain modules."""

from django import forms
from django.utils import timezone

from clinic.accounts.models import Role, User
from clinic.core.inputs import LARGEST_ID, validate_supported_day

from .models import DESCRIPTION_MAX_LENGTH, NOTES_MAX_LENGTH, BreachKind, RequestKind


class AccessRequestForm(forms.Form):
    client = forms.IntegerField(label="Client number", min_value=1, max_value=LARGEST_ID)
    kind = forms.ChoiceField(choices=RequestKind.choices)
    received_on = forms.DateField(
        label="Received on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FulfilForm(forms.Form):
    export = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)


class BreachForm(forms.Form):
    discovered_at = forms.DateTimeField(
        label="Discovered at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[validate_supported_day],
    )
    kind = forms.ChoiceField(choices=BreachKind.choices)
    description = forms.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    reported_to_regulator = forms.BooleanField(required=False)
    reported_on = forms.DateField(
        required=False,
        label="Reported on",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )


class AffectedForm(forms.Form):
    """Who read what, when: the audit log names the clients a breach touched."""

    user = forms.ModelChoiceField(
        queryset=User.objects.exclude(role=Role.CLIENT), label="Staff member"
    )
    start = forms.DateTimeField(
        label="From",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[validate_supported_day],
    )
    end = forms.DateTimeField(
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[validate_supported_day],
    )


class DestroyForm(forms.Form):
    confirmation = forms.CharField(
        max_length=50, label="Type the client number to confirm destruction"
    )

    def __init__(self, *args, client_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_id = client_id

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip()
        if value != str(self.client_id):
            raise forms.ValidationError("That is not this client's number: nothing was destroyed.")
        return value


class ReportedForm(forms.Form):
    reported_on = forms.DateField(
        label="Reported to the regulator on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )
