"""The reminders API's input and output shapes."""

from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from clinic.core.models import ClinicSettings
from sessions.vocab import PAIN_MAX, PAIN_MIN

from .models import Reminder, ReminderKind, ReminderStatus, SkipReason


class ReminderSerializer(serializers.ModelSerializer):
    status_text = serializers.CharField(read_only=True)
    # Declared so the schema says it may be blank (a read-only model field loses allow_blank).
    skip_reason = serializers.ChoiceField(SkipReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Reminder
        fields = [
            "id",
            "kind",
            "client",
            "appointment",
            "plan",
            "invoice",
            "channel",
            "due_at",
            "status",
            "skip_reason",
            "status_text",
            "attempts",
            "last_error",
            "sent_at",
        ]
        read_only_fields = fields


class ReminderFilterSerializer(serializers.Serializer):
    client = serializers.IntegerField(required=False, min_value=1)
    appointment = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=ReminderStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=ReminderKind.choices, required=False)


class RebookEntrySerializer(serializers.Serializer):
    client = serializers.IntegerField(source="plan.client_id")
    client_name = serializers.CharField(source="plan.client.full_name")
    phone = PhoneNumberField(source="plan.client.phone")  # E.164, or '' when there is none
    plan = serializers.IntegerField(source="plan.pk")
    last_visit_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField()


class ReminderSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClinicSettings
        fields = [
            "first_reminder_hours",
            "second_reminder_hours",
            "quiet_hours_start",
            "quiet_hours_end",
        ]


class LinkActionSerializer(serializers.Serializer):
    """What a client sends from a reminder link; `pain_now` and `new_symptoms` are for the
    "I did it" link, `reason` for cancelling."""

    token = serializers.CharField(max_length=500)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    pain_now = serializers.IntegerField(required=False, min_value=PAIN_MIN, max_value=PAIN_MAX)
    new_symptoms = serializers.BooleanField(required=False)


class LinkOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    seek_prompt_medical_care = serializers.BooleanField(required=False)
    adherence = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "expected": {"type": "integer"},
                "done": {"type": "integer"},
                "since": {"type": "string", "format": "date"},
                "until": {"type": "string", "format": "date"},
            },
        }
    )
    def get_adherence(self, data):
        return data.get("adherence")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
