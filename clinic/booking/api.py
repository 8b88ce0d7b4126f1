"""The booking API (a fixed contract): appointments, their changes, and free slots.

A clash answers 409 with {"detail", "conflicts": [...]}, whether the booking service saw it or
the database's exclusion constraint did (the service raises BookingClash for both); a refused
status change is a 409 with no conflicts. The views call the service and let the project's
exception handler (clinic.core.errors) answer its refusals.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.models import Client
from clinic.accounts.roles import DESK, STAFF, Role, api_roles, has_role, visible_visits
from clinic.core.clinic_time import day_bounds
from clinic.core.pagination import LimitOffsetPagination

from . import booking, self_service
from .availability import free_slots
from .free_cache import kept_free_slots
from .models import Appointment
from .selectors import with_screening
from .serializers import (
    AppointmentFilterSerializer,
    AppointmentSerializer,
    AvailabilityQuerySerializer,
    BookingClashSerializer,
    BookSerializer,
    CancelSerializer,
    FreeSlotSerializer,
    RescheduleSerializer,
    appointment_rows,
    free_slot_rows,
)

REFUSALS = {
    400: OpenApiResponse(description="Bad input; nothing was changed."),
    409: OpenApiResponse(
        BookingClashSerializer,
        description="The time clashes, or the change is not "
        "allowed from the visit's status; nothing was changed.",
    ),
}


def _visits_for(user):
    visits = Appointment.objects.select_related("client", "therapist__user", "room", "service")
    return visible_visits(user, visits)


class AppointmentList(APIView):
    """Visits (staff: all; a client: their own), a page at a time, and booking one."""

    pagination_class = LimitOffsetPagination

    def get_permissions(self):
        if self.request.method == "POST":
            return [api_roles(*DESK, Role.CLIENT)()]
        return [api_roles(*STAFF, Role.CLIENT)()]

    @extend_schema(
        parameters=[AppointmentFilterSerializer], responses=AppointmentSerializer(many=True)
    )
    def get(self, request):
        filters = AppointmentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        visits = _visits_for(request.user).order_by("starts_at")
        if "date" in wanted:
            start, end = day_bounds(wanted["date"])
            visits = visits.filter(starts_at__gte=start, starts_at__lt=end)
        for key in ("therapist", "client", "status"):
            if key in wanted:
                visits = visits.filter(**{key: wanted[key]})
        paginator = self.pagination_class()
        page = with_screening(paginator.paginate_queryset(visits, request, view=self))
        return paginator.get_paginated_response(appointment_rows(page))

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer, **REFUSALS})
    def post(self, request):
        given = BookSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        is_client = has_role(request.user, Role.CLIENT)
        if is_client:
            client = Client.objects.filter(user=request.user).first()
            if client is None or data.get("client", client) != client:
                raise PermissionDenied("A client books for themselves only.")
        else:
            client = data.get("client")
            if client is None:
                return Response({"client": ["Choose the client."]}, status=400)
        if is_client:
            # A client books as online: with the clinic's minimum notice.
            self_service.check_notice(data["start"])
        visit = booking.book(
            client=client,
            therapist=data["therapist"],
            service=data["service"],
            starts_at=data["start"],
            room=data.get("room"),
            booked_by=request.user,
            self_booked=is_client,
            refer_override_reason=data.get("refer_override_reason", ""),
        )
        [visit] = with_screening([visit])
        return Response(AppointmentSerializer(visit).data, status=status.HTTP_201_CREATED)


def _visit(request, pk):
    return get_object_or_404(_visits_for(request.user), pk=pk)


def _changed(visit):
    [visit] = with_screening([visit])
    return Response(AppointmentSerializer(visit).data)


class CancelAppointment(APIView):
    """Cancel a visit; under 24 hours before it starts, it is flagged late. A client may cancel
    their own only up to the clinic's online cut-off (ONLINE_CUTOFF_PASSED after it)."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]

    @extend_schema(request=CancelSerializer, responses={200: AppointmentSerializer, **REFUSALS})
    def post(self, request, pk):
        visit = _visit(request, pk)
        given = CancelSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if has_role(request.user, Role.CLIENT):
            # A client is held to the online cut-off, as on their portal.
            self_service.cancel_online(visit, by=request.user)
        else:
            booking.cancel(visit, by=request.user, reason=given.validated_data["reason"])
        return _changed(visit)


class RescheduleAppointment(APIView):
    """Move a visit to another start (and optionally therapist or room)."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(request=RescheduleSerializer, responses={200: AppointmentSerializer, **REFUSALS})
    def post(self, request, pk):
        visit = _visit(request, pk)
        given = RescheduleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        booking.reschedule(
            visit,
            starts_at=data["start"],
            therapist=data.get("therapist"),
            room=data.get("room"),
        )
        return _changed(visit)


class CheckInAppointment(APIView):
    """The client has arrived (on the visit's day)."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(request=None, responses={200: AppointmentSerializer, **REFUSALS})
    def post(self, request, pk):
        visit = _visit(request, pk)
        booking.check_in(visit)
        return _changed(visit)


class Availability(APIView):
    """Free slots for a service between two instants, earliest first (public, like the online
    booking page)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[AvailabilityQuerySerializer],
        responses=FreeSlotSerializer(many=True),
    )
    def get(self, request):
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data

        def work_out():
            slots = free_slots(data["service"], data["start"], data["end"], data.get("therapist"))
            return free_slot_rows(slots), slots[0].starts_at if slots else None

        if request.accepted_renderer.format != "json":  # the browsable API, with DEBUG on
            return Response(work_out()[0])
        return kept_free_slots(data, work_out)
