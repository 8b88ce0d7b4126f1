"""The clinic admin's API (/api/manage/...): staff, services, rooms, weekly hours, closures and
the clinic's settings. Clinic admins only. Each write goes through the same domain function as
the screens; refusals answer through the project's exception handler."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.models import Role, User
from clinic.accounts.roles import api_roles, therapist_profile_of
from clinic.booking import catalog
from clinic.booking.models import Closure, Room, Service, WorkingHours
from clinic.booking.selectors import future_visits_of
from clinic.core.models import ClinicSettings

from . import staff
from .clinic_settings import update_settings
from .serializers import (
    ClinicSettingsSerializer,
    ClosureSerializer,
    DeactivatedSerializer,
    InviteSerializer,
    RoomSerializer,
    ServiceSerializer,
    StaffSerializer,
    WeeklyHoursSerializer,
)

ADMIN_ONLY = [api_roles(Role.CLINIC_ADMIN)]


def _staff():
    return (
        User.objects.exclude(role=Role.CLIENT)
        .select_related("therapist")
        .prefetch_related("therapist__services")
        .order_by("role", "last_name", "first_name")
    )


class StaffList(APIView):
    """Everyone on staff; POST invites someone (they get the emailed link)."""

    permission_classes = ADMIN_ONLY

    @extend_schema(responses=StaffSerializer(many=True))
    def get(self, request):
        return Response(StaffSerializer(_staff(), many=True).data)

    @extend_schema(request=InviteSerializer, responses={201: StaffSerializer})
    def post(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = staff.invite_staff(**data.validated_data, by=request)
        return Response(StaffSerializer(user).data, status=status.HTTP_201_CREATED)


class StaffDetail(APIView):
    """One staff member; PATCH changes their name and a therapist's profile."""

    permission_classes = ADMIN_ONLY

    @extend_schema(responses=StaffSerializer)
    def get(self, request, pk):
        return Response(StaffSerializer(get_object_or_404(_staff(), pk=pk)).data)

    @extend_schema(request=StaffSerializer, responses=StaffSerializer)
    def patch(self, request, pk):
        person = get_object_or_404(_staff(), pk=pk)
        data = StaffSerializer(person, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        profile = dict(fields.pop("therapist", None) or {})
        services = profile.pop("services", None)
        staff.save_profile(
            user=person, user_fields=fields, therapist_fields=profile, services=services, by=request
        )
        return Response(StaffSerializer(get_object_or_404(_staff(), pk=pk)).data)


class StaffDeactivate(APIView):
    """Deactivate: ends their sessions and tokens; answers the future visits to move."""

    permission_classes = ADMIN_ONLY

    @extend_schema(request=None, responses=DeactivatedSerializer)
    def post(self, request, pk):
        person = get_object_or_404(_staff(), pk=pk)
        staff.deactivate(user=person, by=request)
        therapist = therapist_profile_of(person)
        visits = list(future_visits_of(therapist)) if therapist else []
        return Response(DeactivatedSerializer({"staff": person, "visits_to_move": visits}).data)


class WeeklyHours(APIView):
    """A therapist's weekly hours; PUT replaces them all."""

    permission_classes = ADMIN_ONLY

    def _therapist(self, pk):
        return get_object_or_404(_staff(), pk=pk, role=Role.THERAPIST).therapist

    def _answer(self, therapist):
        blocks = WorkingHours.objects.filter(therapist=therapist).order_by("weekday", "start_time")
        return Response(WeeklyHoursSerializer({"blocks": blocks}).data)

    @extend_schema(responses=WeeklyHoursSerializer)
    def get(self, request, pk):
        return self._answer(self._therapist(pk))

    @extend_schema(request=WeeklyHoursSerializer, responses=WeeklyHoursSerializer)
    def put(self, request, pk):
        therapist = self._therapist(pk)
        data = WeeklyHoursSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            catalog.HoursRow(b["weekday"], b["start_time"], b["end_time"], b.get("room"))
            for b in data.validated_data["blocks"]
        ]
        catalog.set_weekly_hours(therapist=therapist, rows=rows, by=request)
        return self._answer(therapist)


class _CatalogWrite:
    """Saves through a catalog function (`save`), for both POST and PATCH."""

    permission_classes = ADMIN_ONLY
    request: object

    def save(self, instance, serializer):
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.save(None, serializer)

    def perform_update(self, serializer):
        serializer.instance = self.save(serializer.instance, serializer)


class _ServiceWrite(_CatalogWrite):
    queryset = Service.objects.prefetch_related("therapists").order_by("name")
    serializer_class = ServiceSerializer

    def save(self, instance, serializer):
        fields = dict(serializer.validated_data)
        therapists = fields.pop("therapists", None)
        if therapists is None:
            therapists = list(instance.therapists.all()) if instance else []
        return catalog.save_service(
            service=instance, fields=fields, therapists=therapists, by=self.request
        )


class ServiceList(_ServiceWrite, generics.ListCreateAPIView):
    """Services with price, tax and who offers them; POST adds one."""


class ServiceDetail(_ServiceWrite, generics.RetrieveUpdateAPIView):
    """One service; PATCH changes it."""

    http_method_names = ["get", "patch", "head", "options"]


class _RoomWrite(_CatalogWrite):
    queryset = Room.objects.prefetch_related("services").order_by("name")
    serializer_class = RoomSerializer

    def save(self, instance, serializer):
        fields = dict(serializer.validated_data)
        suits = fields.pop("services", None)
        if suits is None:
            suits = list(instance.services.all()) if instance else []
        return catalog.save_room(room=instance, fields=fields, services=suits, by=self.request)


class RoomList(_RoomWrite, generics.ListCreateAPIView):
    """Rooms and the services they suit; POST adds one."""


class RoomDetail(_RoomWrite, generics.RetrieveUpdateAPIView):
    """One room; PATCH changes it."""

    http_method_names = ["get", "patch", "head", "options"]


class ClosureList(generics.ListCreateAPIView):
    """Clinic-wide closures; POST adds one."""

    permission_classes = ADMIN_ONLY
    queryset = Closure.objects.order_by("first_day")
    serializer_class = ClosureSerializer

    def perform_create(self, serializer):
        serializer.instance = catalog.add_closure(**serializer.validated_data, by=self.request)


class ClosureDetail(generics.RetrieveDestroyAPIView):
    """One closure; DELETE reopens its days."""

    permission_classes = ADMIN_ONLY
    queryset = Closure.objects.all()
    serializer_class = ClosureSerializer

    def perform_destroy(self, instance):
        catalog.remove_closure(closure=instance, by=self.request)


class Settings(APIView):
    """The clinic's settings; PATCH changes some (audited with before and after)."""

    permission_classes = ADMIN_ONLY

    @extend_schema(responses=ClinicSettingsSerializer)
    def get(self, request):
        current = ClinicSettings.objects.get_or_create(pk=1)[0]
        return Response(ClinicSettingsSerializer(current).data)

    @extend_schema(request=ClinicSettingsSerializer, responses=ClinicSettingsSerializer)
    def patch(self, request):
        current = ClinicSettings.objects.get_or_create(pk=1)[0]
        data = ClinicSettingsSerializer(current, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        update_settings(changes=dict(data.validated_data), by=request)
        return Response(ClinicSettingsSerializer(ClinicSettings.objects.get(pk=1)).data)
