"""The waitlist API's input and output shapes."""

from rest_framework import serializers

from clinic.accounts.models import Client, Therapist
from clinic.booking.models import Service, Weekday
from clinic.booking.serializers import AwareDateTimeField

from .models import EntryStatus, Offer, OfferStatus, WaitlistEntry


class EntryInputSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.current(), required=False, help_text="Staff only; a client joins."
    )
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.filter(is_active=True))
    therapists = serializers.PrimaryKeyRelatedField(
        queryset=Therapist.objects.filter(is_active=True), many=True, required=False
    )
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=Weekday.choices), allow_empty=False
    )
    earliest = serializers.TimeField()
    latest = serializers.TimeField()
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


class OfferTimeSerializer(serializers.Serializer):
    entry = serializers.PrimaryKeyRelatedField(
        queryset=WaitlistEntry.objects.filter(status=EntryStatus.WAITING),
        help_text="A waiting entry: the time is offered for its service.",
    )
    therapist = serializers.PrimaryKeyRelatedField(
        queryset=Therapist.objects.filter(is_active=True)
    )
    starts_at = AwareDateTimeField()


class OfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "entry",
            "client",
            "therapist",
            "starts_at",
            "status",
            "created_at",
            "expires_at",
            "sent_at",
            "channel",
            "ended_at",
            "note",
            "appointment",
        ]


class EntrySerializer(serializers.ModelSerializer):
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "client",
            "service",
            "therapists",
            "weekdays",
            "earliest",
            "latest",
            "starts_on",
            "ends_on",
            "status",
            "created_at",
            "offers",
        ]


class OfferFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OfferStatus.choices, required=False)
    client = serializers.IntegerField(min_value=1, required=False)


class AnswerSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)
    answer = serializers.ChoiceField(choices=["accept", "decline"])


class AnswerOutcomeSerializer(serializers.Serializer):
    booked = serializers.BooleanField()
    status = serializers.CharField()
    message = serializers.CharField()
    appointment = serializers.IntegerField(allow_null=True)
    alternatives = serializers.ListField(child=serializers.DateTimeField())
