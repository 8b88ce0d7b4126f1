from rest_framework import serializers

from clinic.core.inputs import validate_storable_text

from .models import BREAK_GLASS_REASON_MAX, BreakGlassGrant


class BreakGlassRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=BREAK_GLASS_REASON_MAX,
        validators=[validate_storable_text],
        help_text="Why you need the record of a client you do not treat.",
    )


class BreakGlassGrantSerializer(serializers.ModelSerializer):
    user = serializers.EmailField(source="user.email", read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    reviewed_by = serializers.EmailField(
        source="reviewed_by.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = BreakGlassGrant
        fields = [
            "id",
            "user",
            "client",
            "client_name",
            "reason",
            "granted_at",
            "expires_at",
            "reviewed_at",
            "reviewed_by",
        ]
        read_only_fields = fields
