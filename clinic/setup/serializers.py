"""The clinic admin's API shapes. Serializers read and check input; the domain functions
(clinic/setup/staff.py, clinic_settings.py, clinic/booking/catalog.py) write."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rest_framework import serializers

from clinic.accounts.models import Role, Therapist, User
from clinic.booking.catalog import MAX_WEEKLY_BLOCKS
from clinic.booking.models import Closure, Room, Service, Weekday, WorkingHours
from clinic.core.inputs import MAX_TEXT_LENGTH
from clinic.core.models import ClinicSettings

from .clinic_settings import editable_fields


class TherapistProfileSerializer(serializers.ModelSerializer):
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Service.objects.all(), required=False
    )

    class Meta:
        model = Therapist
        fields = ["id", "credentials", "registration_number", "phone", "bio", "services"]


class StaffSerializer(serializers.ModelSerializer):
    # null for staff who are not therapists: the schema says so.
    therapist = TherapistProfileSerializer(required=False, allow_null=True)
    invited = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_active",
            "invited",
            "therapist",
        ]
        read_only_fields = ["email", "is_active", "role"]

    def get_invited(self, user) -> bool:
        """True until the person sets their password from the invitation."""
        return not user.has_usable_password()


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=User._meta.get_field("email").max_length)
    # Every role, as on User (one enum in the schema); invite_staff refuses the client role.
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)


class VisitToMoveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    client = serializers.CharField(source="client.full_name")


class DeactivatedSerializer(serializers.Serializer):
    staff = StaffSerializer()
    visits_to_move = VisitToMoveSerializer(many=True)


class ServiceSerializer(serializers.ModelSerializer):
    therapists = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Therapist.objects.all(), required=False
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "description",
            "duration_minutes",
            "buffer_minutes",
            "price",
            "tax_exempt",
            "online_bookable",
            "is_active",
            "therapists",
        ]
        extra_kwargs = {"description": {"max_length": MAX_TEXT_LENGTH}}


class RoomSerializer(serializers.ModelSerializer):
    services = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Service.objects.all(), required=False
    )

    class Meta:
        model = Room
        fields = ["id", "name", "is_active", "services"]


class HoursBlockSerializer(serializers.ModelSerializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta:
        model = WorkingHours
        fields = ["weekday", "start_time", "end_time", "room"]
        validators: list = []  # the domain function checks the blocks together


class WeeklyHoursSerializer(serializers.Serializer):
    blocks = HoursBlockSerializer(many=True, max_length=MAX_WEEKLY_BLOCKS)


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Closure
        fields = ["id", "first_day", "last_day", "reason"]


class ClinicSettingsSerializer(serializers.ModelSerializer):
    time_zone = serializers.CharField(max_length=64)

    class Meta:
        model = ClinicSettings
        fields = editable_fields()
        extra_kwargs = {"address": {"max_length": MAX_TEXT_LENGTH}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["time_zone"] = str(instance.time_zone)
        return data

    def validate_time_zone(self, value):
        if value not in available_timezones():
            raise serializers.ValidationError("Not a time zone we know, e.g. America/Toronto.")
        try:
            return ZoneInfo(value)
        except ZoneInfoNotFoundError as error:  # pragma: no cover (listed but unreadable)
            raise serializers.ValidationError("Not a time zone we know.") from error
