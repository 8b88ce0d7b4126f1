from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from clinic.accounts.models import Client, Role, User

from .models import AuditAction

# The days clinic/core/inputs.py supports (audit sits beside core and may not import it): a
# filter on year 9999 would overflow when the view adds the day's end.
SUPPORTED_DAYS = [
    MinValueValidator(date(1900, 1, 1), "Choose a date between 1900 and 2999."),
    MaxValueValidator(date(2999, 12, 31), "Choose a date between 1900 and 2999."),
]


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
