"""API shapes for plans, notes, amendments and progress; the rules stay in the services."""

from rest_framework import serializers

from clinic.booking.models import Appointment
from clinic.core.inputs import MAX_TEXT_LENGTH

from . import entries
from .models import Amendment, SessionNote, TreatmentPlan
from .shapes import TIME_PATTERN, Choice, Days, Field, Number, Shape, Text, Time, Whole


def entry_field(field: Field) -> serializers.Field:
    """The API field for one key of an entry shape (sessions/entries.py)."""
    optional = {} if field.required else {"default": field.default}
    match field:
        case Days():
            return serializers.ListField(
                child=serializers.ChoiceField(field.choices), min_length=1, **optional
            )
        case Choice():
            return serializers.ChoiceField(field.choices, **optional)
        case Whole():
            return serializers.IntegerField(
                min_value=field.low, max_value=field.high, allow_null=field.nullable, **optional
            )
        case Number():
            return serializers.FloatField(**optional)
        case Text():
            return serializers.CharField(max_length=field.max_length, **optional)
        case Time():
            return serializers.RegexField(TIME_PATTERN, help_text="Local time, HH:MM.", **optional)
    raise TypeError(f"No API field for {field!r}")


def entry_serializer(name: str, shape: Shape) -> type[serializers.Serializer]:
    """A serializer with one field per key of the shape, named `name` in the OpenAPI schema."""
    fields = {field.name: entry_field(field) for field in shape.fields}
    return type(name, (serializers.Serializer,), {"__module__": __name__, **fields})


TechniqueSerializer = entry_serializer("TechniqueSerializer", entries.TECHNIQUE)
PlanTechniqueSerializer = entry_serializer("PlanTechniqueSerializer", entries.PLAN_TECHNIQUE)
TriggerPointSerializer = entry_serializer("TriggerPointSerializer", entries.TRIGGER_POINT)
GoalSerializer = entry_serializer("GoalSerializer", entries.GOAL)
TargetMuscleSerializer = entry_serializer("TargetMuscleSerializer", entries.TARGET_MUSCLE)
HomeCareSerializer = entry_serializer("HomeCareSerializer", entries.HOME_CARE)
PsfsSerializer = entry_serializer("PsfsSerializer", entries.PSFS)


class PlanSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, required=False)
    target_muscles = TargetMuscleSerializer(many=True, required=False)
    techniques = PlanTechniqueSerializer(many=True, required=False)
    home_care = HomeCareSerializer(many=True, required=False)
    avoid_regions = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = TreatmentPlan
        fields = [
            "id",
            "client",
            "therapist",
            "status",
            "goals",
            "target_muscles",
            "techniques",
            "avoid_regions",
            "frequency_weeks",
            "visits_planned",
            "home_care",
            "starts_on",
            "review_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["therapist", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": MAX_TEXT_LENGTH}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["client"].read_only = True
        return fields


class CorrectionsSerializer(serializers.Serializer):
    """Corrected scores an amendment carries; the note service checks them against the note."""

    pain_before = serializers.IntegerField(min_value=0, max_value=10, required=False)
    pain_after = serializers.IntegerField(min_value=0, max_value=10, required=False)
    psfs = PsfsSerializer(
        many=True, required=False, help_text="Corrected scores of the note's own PSFS activities."
    )

    def to_internal_value(self, data):
        # An unknown key is a value the caller thinks is corrected: refuse it, never drop it.
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: ["Only pain before, pain after and PSFS scores can be corrected."]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


class AmendmentSerializer(serializers.ModelSerializer):
    corrections = CorrectionsSerializer(required=False)

    class Meta:
        model = Amendment
        fields = ["id", "author", "created_at", "reason", "text", "corrections", "content_hash"]
        read_only_fields = ["author", "created_at", "content_hash"]
        extra_kwargs = {"text": {"max_length": MAX_TEXT_LENGTH}}


class NoteSerializer(serializers.ModelSerializer):
    appointment = serializers.PrimaryKeyRelatedField(queryset=Appointment.objects.all())
    techniques = TechniqueSerializer(many=True, required=False)
    trigger_points = TriggerPointSerializer(many=True, required=False)
    body_map = serializers.DictField(
        child=entry_field(entries.REGION_MARK),
        required=False,
        help_text="Region name -> treated, tender or avoid.",
    )
    psfs = PsfsSerializer(many=True, required=False)
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = SessionNote
        fields = [
            "id",
            "appointment",
            "client",
            "therapist",
            "treatment_plan",
            "session_on",
            *entries.NOTE_FIELD_NAMES,
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by",
            "content_hash",
            "charted_late",
            "amendments",
        ]
        read_only_fields = [
            "charted_late",
            "client",
            "therapist",
            "treatment_plan",
            "session_on",
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by",
            "content_hash",
        ]
        extra_kwargs = {
            "pain_before": {"min_value": 0, "max_value": 10},
            "pain_after": {"min_value": 0, "max_value": 10},
            **{
                field.name: {"max_length": MAX_TEXT_LENGTH}
                for field in entries.NOTE_FIELDS
                if field.part in ("soap", "response")
            },
        }

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["appointment"].read_only = True
        return fields

    def note_data(self):
        """The validated note fields, as sessions.notes.save_draft() takes them."""
        data = dict(self.validated_data)
        data.pop("appointment", None)
        for name, value in data.items():
            if isinstance(value, list):
                data[name] = [dict(row) for row in value]
        return data


class PracticeSerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, help_text="The client's local day; today if left out."
    )
    pain_now = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True)


class PracticeLogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    practiced_on = serializers.DateField()
    pain_now = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    created = serializers.BooleanField()


class ViolationSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    part = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="The rule code of the first refusal.")
    outcome = serializers.CharField(required=False, help_text="A blocking screening outcome.")
    violations = ViolationSerializer(many=True, required=False)


class PainPointSerializer(serializers.Serializer):
    note = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    pain_before = serializers.IntegerField(allow_null=True)
    pain_after = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(allow_null=True)
    meaningful = serializers.BooleanField()
    amended = serializers.BooleanField(help_text="A score here was corrected by an amendment.")
    amended_fields = serializers.ListField(
        child=serializers.ChoiceField(["pain_before", "pain_after"])
    )


class PsfsScoreSerializer(serializers.Serializer):
    activity = serializers.CharField()
    score = serializers.IntegerField()
    amended = serializers.BooleanField()


class OverallSerializer(serializers.Serializer):
    baseline = serializers.IntegerField()
    latest = serializers.IntegerField()
    change = serializers.IntegerField()
    meaningful = serializers.BooleanField()


class PsfsTakenSerializer(serializers.Serializer):
    note = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    activities = PsfsScoreSerializer(many=True)
    average = serializers.FloatField()
    change = serializers.FloatField(allow_null=True)
    amended = serializers.BooleanField()


class AdherenceSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    since = serializers.DateField()
    until = serializers.DateField()
    expected = serializers.IntegerField()
    done = serializers.IntegerField()
    extra = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    sessions = PainPointSerializer(many=True)
    overall = OverallSerializer(allow_null=True)
    psfs = PsfsTakenSerializer(many=True)
    adherence = AdherenceSerializer(allow_null=True)
