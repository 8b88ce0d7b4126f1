from django import forms

from clinic.accounts.models import Client, Role, User
from clinic.core.inputs import validate_storable_text, validate_supported_day

from .models import BREAK_GLASS_REASON_MAX, AuditAction

# A filter on year 9999 would overflow when the view adds the day's end.
SUPPORTED_DAYS = [validate_supported_day]


class AuditFilterForm(forms.Form):
    """The audit page's filters; every one is optional."""

    actor = forms.ModelChoiceField(
        queryset=User.objects.exclude(role=Role.CLIENT), required=False, empty_label="Anyone"
    )
    client = forms.ModelChoiceField(
        queryset=Client.objects.all(), required=False, empty_label="Any client"
    )
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditAction.choices], required=False)
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=SUPPORTED_DAYS,
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=SUPPORTED_DAYS,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return cleaned


class BreakGlassForm(forms.Form):
    """Why a therapist needs the record of a client they do not treat (clinic/audit/break_glass)."""

    reason = forms.CharField(
        max_length=BREAK_GLASS_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_storable_text],
        help_text="For example: covering for a colleague today, the client called about "
        "yesterday's visit. The clinic admin reviews every reason.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class GrantFilterForm(forms.Form):
    """The review list's one filter: the clinic day a grant was made."""

    day = forms.DateField(
        required=False,
        label="Granted on",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=SUPPORTED_DAYS,
    )
