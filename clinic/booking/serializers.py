"""The booking API's input and output shapes; the rules are in the booking service."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from clinic.accounts.models import Client, Therapist
from clinic.core.inputs import MAX_TEXT_LENGTH, validate_supported_day

from .forms import parse_aware
from .models import Appointment, AppointmentStatus, Room, Service

LONGEST_SEARCH = timedelta(days=31)


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with its UTC offset: a time without one is ambiguous, so it is refused."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "naive": "Give the time in ISO 8601 with its UTC offset, e.g. 2026-03-10T10:00:00-04:00,"
        " between the years 1900 and 2999.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or parse_aware(value) is None:
            self.fail("naive")
        return super().to_internal_value(parse_aware(value).isoformat())


class AppointmentSerializer(serializers.ModelSerializer):
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    client_name = serializers.CharField(source="client.full_name")
    therapist_name = serializers.CharField(source="therapist.name")
    room_name = serializers.CharField(source="room.name")
    service_name = serializers.CharField(source="service.name")
    screening = serializers.SerializerMethodField(
        help_text="The client's screening outcome: clear, precautions, clearance, refer, "
        "missing or expired."
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "client",
            "client_name",
            "therapist",
            "therapist_name",
            "room",
            "room_name",
            "service",
            "service_name",
            "start",
            "end",
            "status",
            "self_booked",
            "late_cancellation",
            "cancellation_reason",
            "screening",
        ]
        read_only_fields = fields

    def get_screening(self, appointment) -> str | None:
        status = getattr(appointment, "screening", None)
        return status.outcome if status else None


def _iso_writer():
    """A function writing an instant as DRF's DateTimeField does (the current zone; UTC as Z),
    each distinct instant once."""
    zone = timezone.get_current_timezone()
    written: dict = {}

    def iso(moment):
        if moment not in written:
            text = moment.astimezone(zone).isoformat()
            written[moment] = text[:-6] + "Z" if text.endswith("+00:00") else text
        return written[moment]

    return iso


def appointment_rows(visits) -> list[dict]:
    """The rows AppointmentSerializer(visits, many=True) would give, without its per-field
    work (a page of a hundred visits spent more time there than in its queries)."""
    iso = _iso_writer()
    return [
        {
            "id": v.pk,
            "client": v.client_id,
            "client_name": v.client.full_name,
            "therapist": v.therapist_id,
            "therapist_name": v.therapist.name,
            "room": v.room_id,
            "room_name": v.room.name,
            "service": v.service_id,
            "service_name": v.service.name,
            "start": iso(v.starts_at),
            "end": iso(v.ends_at),
            "status": v.status,
            "self_booked": v.self_booked,
            "late_cancellation": v.late_cancellation,
            "cancellation_reason": v.cancellation_reason,
            "screening": v.screening.outcome if getattr(v, "screening", None) else None,
        }
        for v in visits
    ]


class BookSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.current(),
        required=False,
        help_text="Required for staff; a client books for themselves and may leave it out.",
    )
    therapist = serializers.PrimaryKeyRelatedField(
        queryset=Therapist.objects.select_related("user")
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(),
        required=False,
        allow_null=True,
        help_text="Left out: the therapist's usual room, or any free room.",
    )
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    start = AwareDateTimeField(help_text="ISO 8601 with offset; the end comes from the service.")
    refer_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT_LENGTH,
        help_text="Required when the client's screening says refer.",
    )


class RescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField()
    therapist = serializers.PrimaryKeyRelatedField(
        queryset=Therapist.objects.select_related("user"), required=False
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), required=False, allow_null=True
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_TEXT_LENGTH
    )


class AppointmentFilterSerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False,
        help_text="A day in the clinic's time zone.",
        validators=[validate_supported_day],
    )
    therapist = serializers.IntegerField(required=False)
    client = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)


class AvailabilityQuerySerializer(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.filter(is_active=True))
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    therapist = serializers.PrimaryKeyRelatedField(
        queryset=Therapist.objects.filter(is_active=True), required=False
    )

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        if attrs["end"] - attrs["start"] > LONGEST_SEARCH:
            raise serializers.ValidationError({"end": "Search at most 31 days at a time."})
        return attrs


class FreeSlotSerializer(serializers.Serializer):
    """One free slot's shape, for the schema; `free_slot_rows` writes the same rows faster."""

    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    therapist = serializers.IntegerField(source="therapist_id")


def free_slot_rows(slots) -> list[dict]:
    """The rows FreeSlotSerializer(slots, many=True) would give, without its per-field work:
    a week of a chain's slots is thousands of rows sharing a few hundred start times."""
    iso = _iso_writer()
    return [
        {"start": iso(s.starts_at), "end": iso(s.ends_at), "therapist": s.therapist_id}
        for s in slots
    ]


class BookingConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["therapist", "room", "client", "hours", "time_off"],
        help_text="What clashed.",
    )
    message = serializers.CharField()
    appointment = serializers.IntegerField(allow_null=True, help_text="The clashing visit.")
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)


class BookingClashSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = BookingConflictSerializer(many=True)
