"""The intake API's input and output shapes (the contract in issue 4).

The answers themselves are checked by `intake.answers.validate_answers()` inside the services,
never here, so the API and the form refuse the same things with the same words. The answers
serializer below only describes them for the OpenAPI schema.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.accounts.models import Client
from clinic.core.inputs import MAX_TEXT_LENGTH

from .answers import ANSWER_SPECS, PREGNANCY_DETAIL_KEYS, Kind
from .models import Clearance, Intake
from .screening import Outcome, Pressure, Technique
from .status import STATUS_OUTCOMES

OUTCOMES = tuple(o.value for o in Outcome)


class RefuseUnknownFieldsMixin:
    """A key the endpoint does not know is an error, not something silently ignored."""

    def validate(self, attrs):
        unknown = set(getattr(self, "initial_data", {})) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({key: ["Unknown field."] for key in sorted(unknown)})
        return super().validate(attrs)


def _schema_field(spec):
    required = spec.key != "other_conditions" and spec.key not in PREGNANCY_DETAIL_KEYS
    common = {"help_text": spec.question, "required": required}
    if spec.kind is Kind.BOOL:
        return serializers.BooleanField(**common)
    if spec.kind is Kind.CHOICE:
        return serializers.ChoiceField(choices=spec.choices, **common)
    if spec.kind is Kind.INT:
        return serializers.IntegerField(
            min_value=spec.min_value,
            max_value=spec.max_value,
            allow_null=spec.nullable or spec.key in PREGNANCY_DETAIL_KEYS,
            **common,
        )
    return serializers.CharField(max_length=spec.max_length, allow_blank=True, **common)


# Documentation only: one property per answer key, with its type and limits.
IntakeAnswersSerializer = type(
    "IntakeAnswersSerializer",
    (serializers.Serializer,),
    {key: _schema_field(spec) for key, spec in ANSWER_SPECS.items()},
)


@extend_schema_field(IntakeAnswersSerializer)
class AnswersField(serializers.DictField):
    """The answers object, passed through as sent; the services validate it."""


class IntakeCreateSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.current(),
        required=False,
        help_text="The client's id; staff must send it, a client may leave it out.",
    )
    answers = AnswersField()


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    message = serializers.CharField()


class RestrictionsSerializer(serializers.Serializer):
    max_pressure = serializers.ChoiceField(choices=[p.value for p in Pressure])
    forbidden_techniques = serializers.ListField(
        child=serializers.ChoiceField(choices=[t.value for t in Technique])
    )
    positioning = serializers.CharField(allow_null=True)
    avoid_areas = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


class ScreeningSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    findings = FindingSerializer(many=True)
    restrictions = RestrictionsSerializer()
    rules_version = serializers.CharField()


class IntakeSerializer(serializers.ModelSerializer):
    screening = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "client", "submitted_at", "valid_until", "screening"]
        read_only_fields = fields

    @extend_schema_field(ScreeningSerializer)
    def get_screening(self, intake) -> dict:
        return intake.result.as_dict()


class ScreeningStatusSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=STATUS_OUTCOMES)
    valid_until = serializers.DateTimeField(allow_null=True)
    clearance_on_file = serializers.BooleanField()


class ClearanceCreateSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    provider_name = serializers.CharField(max_length=200)
    cleared_on = serializers.DateField()
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT_LENGTH
    )
    document = serializers.FileField(
        required=False, help_text="Optional PDF, PNG or JPEG, up to 10 MB."
    )


class ClearanceSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Clearance
        fields = [
            "id",
            "client",
            "provider_name",
            "cleared_on",
            "note",
            "has_document",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_document(self, clearance) -> bool:
        return bool(clearance.document)
