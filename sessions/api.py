"""REST API for plans, notes, amendments, progress and practice (paths fixed by the brief).

Thin: each view authorises through permission classes built on roles.py, validates with a
serializer, and calls the same service the pages call; the service's refusals are answered by
the project's exception handler (clinic.core.errors). A restriction breach answers 400 with
the rule code, a blocked screening 400 naming the outcome, and any change to a signed note 409.
Every read of a plan or note is audited where it is loaded.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.models import Client, Role
from clinic.accounts.permissions import ChartsVisit, RecordsPractice, TreatmentAccess
from clinic.accounts.roles import api_roles, has_role
from clinic.audit.log import Origin, record, record_many
from clinic.audit.models import AuditAction
from clinic.core.inputs import parse_id

from . import homecare, plans
from . import notes as note_service
from .models import PracticeSource, SessionNote, TreatmentPlan
from .progress import progress_for
from .serializers import (
    AmendmentSerializer,
    ErrorSerializer,
    NoteSerializer,
    PlanSerializer,
    PracticeLogSerializer,
    PracticeSerializer,
    ProgressSerializer,
)

CLINICAL = api_roles(Role.THERAPIST, Role.CLINIC_ADMIN)
ERRORS = {
    400: OpenApiResponse(description="Invalid, unsafe or blocked."),
    403: OpenApiResponse(description="Not your client, or not your role."),
}
LOCKED = {409: OpenApiResponse(ErrorSerializer, description="The note is signed.")}


def audited_list(view, request):
    """A paginated list whose every row shown is audited as viewed."""
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    record_many(request, AuditAction.VIEW, page, detail="api list")
    return view.get_paginated_response(view.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(summary="Treatment plans you may read"),
    post=extend_schema(
        summary="Write a plan for a client", responses={201: PlanSerializer, **ERRORS}
    ),
)
class PlanList(generics.ListCreateAPIView):
    serializer_class = PlanSerializer
    permission_classes = [CLINICAL, TreatmentAccess]

    def get_queryset(self):
        readable = Client.objects.readable_by(self.request.user)
        queryset = TreatmentPlan.objects.filter(client__in=readable)
        client = parse_id(self.request.query_params.get("client"))
        return queryset if client is None else queryset.filter(client_id=client)

    def list(self, request, *args, **kwargs):
        return audited_list(self, request)

    def create(self, request, *args, **kwargs):
        self._check_client_named(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = data.pop("client")
        self.check_object_permissions(request, client)
        plan = plans.save_plan(client, request.user.therapist, _plain(data), Origin.of(request))
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def _check_client_named(self, request):
        """Refuse (403) a client the user may not write for before the body is validated, so
        a stranger's answer never says whether that client exists or has an active plan."""
        named = request.data.get("client") if isinstance(request.data, dict) else None
        if named is None or isinstance(named, bool):
            return  # the serializer says what is missing or malformed
        client = Client.objects.filter(pk=parse_id(str(named))).first()
        if client is None:
            self.permission_denied(request, message=TreatmentAccess.message)
        self.check_object_permissions(request, client)


def _plain(data):
    """Nested serializer output (lists of mappings) as plain lists of dicts."""
    plain = {}
    for key, value in data.items():
        is_rows = isinstance(value, list) and value and hasattr(value[0], "keys")
        plain[key] = [dict(row) for row in value] if is_rows else value
    return plain


@extend_schema_view(
    get=extend_schema(summary="One plan"),
    patch=extend_schema(summary="Change a plan", responses={200: PlanSerializer, **ERRORS}),
)
class PlanDetail(generics.RetrieveUpdateAPIView):
    serializer_class = PlanSerializer
    permission_classes = [CLINICAL, TreatmentAccess]
    queryset = TreatmentPlan.objects.select_related("client", "therapist")
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        """The plan, if the permissions allow it; a read is audited here, once."""
        plan = super().get_object()
        if self.request.method in SAFE_METHODS:
            record(self.request, AuditAction.VIEW, plan, detail="api")
        return plan

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        return Response(PlanSerializer(plan).data)

    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = plans.save_plan(
            plan.client,
            plan.therapist,
            _plain(serializer.validated_data),
            Origin.of(request),
            plan,
        )
        return Response(PlanSerializer(plan).data)


@extend_schema_view(
    get=extend_schema(summary="Session notes you may read"),
    post=extend_schema(
        summary="Start the note of a checked-in or completed visit (and fill it in)",
        responses={
            201: NoteSerializer,
            **ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="The visit has its note already."),
        },
    ),
)
class NoteList(generics.ListCreateAPIView):
    serializer_class = NoteSerializer
    permission_classes = [CLINICAL, TreatmentAccess, ChartsVisit]

    def get_queryset(self):
        readable = Client.objects.readable_by(self.request.user)
        queryset = SessionNote.objects.filter(client__in=readable).prefetch_related("amendments")
        client = parse_id(self.request.query_params.get("client"))
        return queryset if client is None else queryset.filter(client_id=client)

    def list(self, request, *args, **kwargs):
        return audited_list(self, request)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = serializer.validated_data["appointment"]
        self.check_object_permissions(request, appointment)
        origin = Origin.of(request)
        # One transaction: a refused draft leaves no half-made note behind.
        with transaction.atomic():
            note, created = note_service.start_note(appointment, origin)
            if not created:
                raise note_service.NoteExists()
            fields = serializer.note_data()
            if fields:
                note_service.save_draft(note, fields, origin, detail="api")
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteObjectMixin:
    """The note in the URL, refused unless the view's permissions allow it (reading with a safe
    method, writing with any other); a read is audited here, once."""

    audit_detail = "api"

    def get_note(self):
        note = get_object_or_404(
            SessionNote.objects.select_related("client", "appointment"), pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, note)
        if self.request.method in SAFE_METHODS:
            record(self.request, AuditAction.VIEW, note, detail=self.audit_detail)
        return note


@extend_schema_view(
    get=extend_schema(summary="One session note with its amendments"),
    patch=extend_schema(
        summary="Change a draft note", responses={200: NoteSerializer, **ERRORS, **LOCKED}
    ),
)
class NoteDetail(NoteObjectMixin, generics.GenericAPIView):
    serializer_class = NoteSerializer
    permission_classes = [CLINICAL, TreatmentAccess, ChartsVisit]

    def get(self, request, pk):
        note = self.get_note()
        return Response(NoteSerializer(note).data)

    def patch(self, request, pk):
        note = self.get_note()
        if note.is_signed:
            raise note_service.NoteLocked(note)
        serializer = NoteSerializer(note, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        note_service.save_draft(note, serializer.note_data(), Origin.of(request), detail="api")
        return Response(NoteSerializer(note).data)


@extend_schema(
    summary="Sign a note: it is locked for good",
    request=None,
    responses={200: NoteSerializer, **ERRORS, **LOCKED},
)
class NoteSign(NoteObjectMixin, APIView):
    permission_classes = [api_roles(Role.THERAPIST), TreatmentAccess, ChartsVisit]

    def post(self, request, pk):
        note = self.get_note()
        note_service.sign_note(note, Origin.of(request))
        return Response(NoteSerializer(note).data)


@extend_schema_view(
    get=extend_schema(
        summary="A note's amendments, oldest first", responses=AmendmentSerializer(many=True)
    ),
    post=extend_schema(
        summary="Amend a signed note, perhaps correcting its scores",
        responses={201: AmendmentSerializer, **ERRORS, **LOCKED},
    ),
)
class NoteAmendments(NoteObjectMixin, generics.GenericAPIView):
    serializer_class = AmendmentSerializer
    permission_classes = [CLINICAL, TreatmentAccess]
    pagination_class = None  # a note has a handful of amendments: all of them, as a list
    audit_detail = "api amendments"

    def get(self, request, pk):
        note = self.get_note()
        return Response(AmendmentSerializer(note.amendments.all(), many=True).data)

    def post(self, request, pk):
        note = self.get_note()
        serializer = AmendmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Only a signed note takes amendments: a draft answers 409 (NoteRefused says so).
        amendment = note_service.add_amendment(
            note, Origin.of(request), **serializer.validated_data
        )
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="A client's progress: pain, PSFS and home-care adherence",
    responses={200: ProgressSerializer, 403: ERRORS[403]},
)
class ClientProgress(APIView):
    permission_classes = [CLINICAL, TreatmentAccess]

    def get(self, request, client_id):
        client = get_object_or_404(Client, pk=client_id)
        self.check_object_permissions(request, client)
        record(request, AuditAction.VIEW, ("progress", client.pk), client, detail="api")
        return Response(ProgressSerializer(progress_for(client)).data)


@extend_schema(
    summary="Record that the client did their home care today (once a day)",
    request=PracticeSerializer,
    responses={200: PracticeLogSerializer, 201: PracticeLogSerializer, **ERRORS},
)
class ClientPractice(APIView):
    permission_classes = [api_roles(Role.CLIENT, Role.THERAPIST), RecordsPractice]

    def post(self, request, client_id):
        client = get_object_or_404(Client, pk=client_id)
        self.check_object_permissions(request, client)
        serializer = PracticeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plans.active_plan(client)
        if plan is None:
            return Response(
                {"detail": "There is no active plan."}, status=status.HTTP_400_BAD_REQUEST
            )
        log, created = homecare.record_practice(
            client,
            plan,
            serializer.validated_data.get("date") or timezone.localdate(),
            serializer.validated_data.get("pain_now"),
            PracticeSource.API if has_role(request.user, Role.CLIENT) else PracticeSource.THERAPIST,
        )
        body = PracticeLogSerializer(
            {
                "id": log.pk,
                "plan": log.plan_id,
                "practiced_on": log.practiced_on,
                "pain_now": log.pain_now,
                "source": log.source,
                "created": created,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
