"""The privacy API's input and output shapes."""

from rest_framework import serializers

from clinic.core.api_fields import SupportedDateTimeField
from clinic.core.inputs import LARGEST_ID, validate_supported_day

from .models import (
    DESCRIPTION_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    AccessRequest,
    Breach,
    BreachKind,
    RequestKind,
)

BIGINT = LARGEST_ID
DAY = {"validators": [validate_supported_day]}


class AccessRequestSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "client",
            "kind",
            "received_on",
            "due_on",
            "notes",
            "logged_at",
            "fulfilled_at",
            "export",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_open and obj.due_on < self.context["today"]


class AccessRequestInputSerializer(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=BIGINT)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_on = serializers.DateField(**DAY)
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)


class AccessRequestFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["open", "due", "fulfilled", "all"], default="open")


class FulfilInputSerializer(serializers.Serializer):
    export = serializers.IntegerField(
        min_value=1, max_value=BIGINT, required=False, allow_null=True
    )


class BreachSerializer(serializers.ModelSerializer):
    affected_clients = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Breach
        fields = [
            "id",
            "discovered_at",
            "kind",
            "description",
            "reported_to_regulator",
            "reported_on",
            "affected_clients",
            "recorded_at",
        ]
        read_only_fields = fields


class BreachInputSerializer(serializers.Serializer):
    """An incident; its affected clients by id, or found from the audit log: every client
    `accessed_by` read or changed between `accessed_from` and `accessed_until`."""

    discovered_at = SupportedDateTimeField()
    kind = serializers.ChoiceField(choices=BreachKind.choices)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    reported_to_regulator = serializers.BooleanField(default=False)
    reported_on = serializers.DateField(required=False, allow_null=True, **DAY)
    affected_clients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT),
        required=False,
        max_length=10000,
    )
    accessed_by = serializers.IntegerField(min_value=1, max_value=BIGINT, required=False)
    accessed_from = SupportedDateTimeField(required=False)
    accessed_until = SupportedDateTimeField(required=False)

    def validate(self, attrs):
        window = [attrs.get(k) for k in ("accessed_by", "accessed_from", "accessed_until")]
        if any(v is not None for v in window) and not all(v is not None for v in window):
            raise serializers.ValidationError(
                "Give accessed_by, accessed_from and accessed_until together."
            )
        return attrs


class RetentionDueSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    last_seen_on = serializers.DateField()
    adult_on = serializers.DateField(allow_null=True)
    kept_until = serializers.DateField()
