"""The waitlist's forms: an entry's service, therapists and window; the desk's offers by hand
(of a freed slot, or of any free time)."""

from django import forms

from clinic.accounts.models import Therapist
from clinic.booking.models import Service, Weekday

from .models import EntryStatus, FreedSlot, SlotStatus, WaitlistEntry


class EntryForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True))
    therapists = forms.ModelMultipleChoiceField(
        queryset=Therapist.objects.filter(is_active=True).select_related("user"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: anyone.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Days"
    )
    earliest = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="From")
    latest = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="Until")
    starts_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="First day"
    )
    ends_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Last day"
    )


class OfferByHandForm(forms.Form):
    slot = forms.ModelChoiceField(
        queryset=FreedSlot.objects.filter(status=SlotStatus.OPEN).select_related(
            "therapist__user", "service"
        ),
        label="Open time",
    )
    entry = forms.ModelChoiceField(
        queryset=WaitlistEntry.objects.filter(status=EntryStatus.WAITING).select_related(
            "client", "service"
        ),
        label="Waiting client",
    )


class OfferTimeForm(forms.Form):
    entry = forms.ModelChoiceField(
        queryset=WaitlistEntry.objects.filter(status=EntryStatus.WAITING).select_related(
            "client", "service"
        ),
        label="Waiting client",
        help_text="The time is offered for the service they wait for.",
    )
    therapist = forms.ModelChoiceField(
        queryset=Therapist.objects.filter(is_active=True).select_related("user")
    )
    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Start (clinic time)",
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Book it"), ("decline", "No, thank you")])
