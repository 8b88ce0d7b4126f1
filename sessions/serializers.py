"""API shapes for plans, notes, amendments and progress; the rules stay in the services."""

from rest_framework import serializers

from clinic.booking.models import Appointment

from . import entries
from .models import Amendment, SessionNote, TreatmentPlan
from .vocab import (
    PRESSURE_CHOICES,
    TECHNIQUE_CHOICES,
    Goal,
    HomeCareTool,
    Muscle,
    Progression,
    RegionMark,
    Side,
    Weekday,
)


class TechniqueSerializer(serializers.Serializer):
    technique = serializers.ChoiceField(TECHNIQUE_CHOICES)
    muscle = serializers.ChoiceField(Muscle.choices)
    side = serializers.ChoiceField(Side.choices)
    pressure = serializers.ChoiceField(PRESSURE_CHOICES)
    minutes = serializers.IntegerField(min_value=1, max_value=120)


class PlanTechniqueSerializer(TechniqueSerializer):
    progression = serializers.ChoiceField(Progression.choices, default=Progression.AS_TOLERATED)


class TriggerPointSerializer(serializers.Serializer):
    muscle = serializers.ChoiceField(Muscle.choices)
    side = serializers.ChoiceField(Side.choices)
    tenderness = serializers.IntegerField(min_value=1, max_value=3)


class GoalSerializer(serializers.Serializer):
    goal = serializers.ChoiceField(Goal.choices)
    measure = serializers.CharField(max_length=100)
    baseline = serializers.FloatField()
    target = serializers.FloatField()


class TargetMuscleSerializer(serializers.Serializer):
    muscle = serializers.ChoiceField(Muscle.choices)
    side = serializers.ChoiceField(Side.choices)


class HomeCareSerializer(serializers.Serializer):
    tool = serializers.ChoiceField(HomeCareTool.choices)
    technique = serializers.ChoiceField(TECHNIQUE_CHOICES)
    minutes = serializers.IntegerField(min_value=1, max_value=60)
    days = serializers.ListField(child=serializers.ChoiceField(Weekday.choices), min_length=1)
    time = serializers.RegexField(entries.TIME_PATTERN, help_text="Local time, HH:MM.")


class PsfsSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=100)
    score = serializers.IntegerField(min_value=0, max_value=10, allow_null=True)


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

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["client"].read_only = True
        return fields


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["id", "author", "created_at", "reason", "text", "content_hash"]
        read_only_fields = ["author", "created_at", "content_hash"]


class NoteSerializer(serializers.ModelSerializer):
    appointment = serializers.PrimaryKeyRelatedField(queryset=Appointment.objects.all())
    techniques = TechniqueSerializer(many=True, required=False)
    trigger_points = TriggerPointSerializer(many=True, required=False)
    body_map = serializers.DictField(
        child=serializers.ChoiceField(RegionMark.choices),
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
            "subjective",
            "objective",
            "assessment",
            "plan",
            "pain_before",
            "pain_after",
            "techniques",
            "trigger_points",
            "body_map",
            "client_response",
            "home_care",
            "psfs",
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by",
            "content_hash",
            "amendments",
        ]
        read_only_fields = [
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
        for name in ("techniques", "trigger_points", "psfs"):
            if name in data:
                data[name] = [dict(row) for row in data[name]]
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


class OverallSerializer(serializers.Serializer):
    baseline = serializers.IntegerField()
    latest = serializers.IntegerField()
    change = serializers.IntegerField()
    meaningful = serializers.BooleanField()


class PsfsTakenSerializer(serializers.Serializer):
    note = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    activities = PsfsSerializer(many=True)
    average = serializers.FloatField()
    change = serializers.FloatField(allow_null=True)


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
