"""The reminders API: history, the rebook list and retrying for staff, settings for the admin,
and the reminder links' actions for clients (the signed token is their key)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.roles import DESK, STAFF, Role, api_roles
from clinic.core.models import ClinicSettings
from clinic.core.pagination import LimitOffsetPagination
from clinic.core.ratelimits import rate_limited

from . import actions, checkins, links, optouts, planning, sending
from .models import Reminder
from .practice import rebook_list
from .serializers import (
    DetailSerializer,
    LinkActionSerializer,
    LinkOutcomeSerializer,
    RebookEntrySerializer,
    ReminderFilterSerializer,
    ReminderSerializer,
    ReminderSettingsSerializer,
)


class ReminderList(APIView):
    """Reminders with their status, newest first, a page at a time; filter by client, visit,
    status or kind."""

    permission_classes = [api_roles(*STAFF)]
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[ReminderFilterSerializer],
        responses={200: ReminderSerializer(many=True)},
    )
    def get(self, request):
        filters = ReminderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = Reminder.objects.filter(**filters.validated_data).order_by("-due_at", "-id")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ReminderSerializer(page, many=True).data)


class RetryReminder(APIView):
    """Send a failed reminder again at the next dispatch pass."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(
        request=None,
        responses={
            200: ReminderSerializer,
            409: OpenApiResponse(DetailSerializer, description="The reminder has not failed."),
        },
    )
    def post(self, request, pk):
        reminder = get_object_or_404(Reminder, pk=pk)
        if not sending.retry_failed(reminder):
            return Response(
                {"detail": "That reminder has not failed; nothing to retry."},
                status=status.HTTP_409_CONFLICT,
            )
        reminder.refresh_from_db()
        return Response(ReminderSerializer(reminder).data)


class RebookList(APIView):
    """Clients on an active plan with no visit booked within its frequency plus three days."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(responses={200: RebookEntrySerializer(many=True)})
    def get(self, request):
        return Response(RebookEntrySerializer(rebook_list(timezone.now()), many=True).data)


class ReminderSettings(APIView):
    """Lead times and quiet hours (clinic time); a change re-plans the visits coming up."""

    permission_classes = [api_roles(Role.CLINIC_ADMIN)]

    @extend_schema(responses={200: ReminderSettingsSerializer})
    def get(self, request):
        return Response(ReminderSettingsSerializer(ClinicSettings.load()).data)

    @extend_schema(
        request=ReminderSettingsSerializer,
        responses={200: ReminderSettingsSerializer},
    )
    def patch(self, request):
        serializer = ReminderSettingsSerializer(
            ClinicSettings.load(), data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        planning.replan_upcoming()
        return Response(serializer.data)


class LinkAction(APIView):
    """What a reminder link does, for apps: `confirm` or `cancel` the visit, `done` (with
    `pain_now` and `new_symptoms`) for home-care practice, `opt_out` of the channel."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            OpenApiParameter("purpose", str, OpenApiParameter.PATH, enum=list(links.URL_NAMES))
        ],
        request=LinkActionSerializer,
        responses={
            200: LinkOutcomeSerializer,
            400: OpenApiResponse(description="Bad input or a forged link; nothing changed."),
            409: OpenApiResponse(DetailSerializer, description="The plan has ended."),
            410: OpenApiResponse(DetailSerializer, description="The link has expired."),
            429: OpenApiResponse(
                DetailSerializer, description="Too many link requests from here; nothing changed."
            ),
        },
    )
    @method_decorator(rate_limited("link"))
    def post(self, request, purpose):
        if purpose not in links.URL_NAMES:
            raise NotFound("No such link.")
        data = LinkActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reminder = links.read_token(data.validated_data["token"], purpose)
        return self.act(purpose, reminder, data.validated_data)

    def act(self, purpose, reminder, data):
        if purpose == links.CONFIRM:
            return Response(
                {"outcome": actions.confirm_visit(reminder.appointment, reminder=reminder)}
            )
        if purpose == links.CANCEL:
            outcome = actions.cancel_visit(
                reminder.appointment, data.get("reason", ""), reminder=reminder
            )
            return Response({"outcome": outcome})
        if purpose == links.OPT_OUT:
            created = optouts.opt_out(reminder.client, reminder.channel)
            return Response({"outcome": "opted_out" if created else "already_opted_out"})
        missing = {
            name: ["This field is required."]
            for name in ("pain_now", "new_symptoms")
            if name not in data
        }
        if missing:
            return Response(missing, status=status.HTTP_400_BAD_REQUEST)
        if checkins.plan_ended(reminder):
            return Response(
                {"detail": "This treatment plan has ended."}, status=status.HTTP_409_CONFLICT
            )
        result = checkins.record_practice_check_in(
            reminder,
            pain_now=data["pain_now"],
            new_symptoms=data["new_symptoms"],
            origin=self.request,
        )
        return Response(
            LinkOutcomeSerializer(
                {
                    "outcome": "counted" if result.created else "already_counted",
                    "seek_prompt_medical_care": result.safety_alert,
                    "adherence": result.adherence,
                }
            ).data
        )
