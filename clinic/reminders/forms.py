"""Input for the reminder pages: the "I did it" check-in, a cancellation, the admin settings."""

from django import forms

from clinic.accounts.models import ReminderChannel
from clinic.core.models import ClinicSettings

PAIN_CHOICES = [(n, str(n)) for n in range(11)]
YES_NO = [("no", "No"), ("yes", "Yes")]
SAFETY_QUESTION = "Since your last visit, any new numbness, leg weakness or bladder/bowel change?"


class PracticeCheckInForm(forms.Form):
    pain_now = forms.TypedChoiceField(
        label="Your back pain right now (0 = none, 10 = the worst imaginable)",
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a number from 0 to 10."},
    )
    new_symptoms = forms.ChoiceField(
        label=SAFETY_QUESTION,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Please answer yes or no."},
    )

    def has_new_symptoms(self) -> bool:
        return self.cleaned_data["new_symptoms"] == "yes"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ClinicSettings
        fields = [
            "first_reminder_hours",
            "second_reminder_hours",
            "quiet_hours_start",
            "quiet_hours_end",
        ]
        labels = {
            "first_reminder_hours": "First reminder, hours before the visit",
            "second_reminder_hours": "Second reminder, hours before the visit",
            "quiet_hours_start": "Quiet hours start (clinic time)",
            "quiet_hours_end": "Quiet hours end (clinic time)",
        }
        help_texts = {
            "quiet_hours_start": "No reminder goes out between these times; they wait until "
            "the quiet hours end. Use the same time twice for no quiet hours.",
        }
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class NotificationPreferencesForm(forms.Form):
    """The client's own notification choices on their portal."""

    preferred_channel = forms.ChoiceField(
        label="Send my visit reminders by",
        choices=ReminderChannel.choices,
        widget=forms.RadioSelect,
    )
    sms_consent = forms.BooleanField(
        label="I agree to receive text messages from the clinic", required=False
    )
    email_reminders = forms.BooleanField(label="Reminders by email", required=False)
    sms_reminders = forms.BooleanField(label="Reminders by text message", required=False)
