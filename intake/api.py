"""The intake API: thin views that authorise, parse, call intake.services and answer.

Bad input answers 400 with the field errors and stores nothing; the wrong role or a therapist
asking about someone else's client gets 403.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from clinic.accounts.models import Client
from clinic.accounts.permissions import ManagesScreening, check_object
from clinic.accounts.roles import CLINICAL, STAFF, Role, api_roles, has_role
from clinic.audit.log import record
from clinic.core.ratelimits import over_limit, too_many_requests

from . import services
from .models import Intake
from .serializers import (
    ClearanceCreateSerializer,
    ClearanceSerializer,
    IntakeCreateSerializer,
    IntakeSerializer,
    ScreeningStatusSerializer,
)
from .status import screening_status

BAD_INPUT = OpenApiResponse(description="Field errors; nothing was stored.")
NOT_ALLOWED = OpenApiResponse(description="Your role, or your relation to the client, refuses it.")
TOO_MANY = OpenApiResponse(description="Too many intake posts from here; nothing was stored.")


def _client_for(request, client):
    """The client an intake is for: a client only for themself, staff for whom they treat."""
    if has_role(request.user, Role.CLIENT):
        own = Client.objects.filter(user=request.user).first()
        if own is None or (client is not None and client.pk != own.pk):
            raise PermissionDenied("You can only send your own intake.")
        return own
    if client is None:
        return None
    check_object(request, client)
    return client


@extend_schema(
    request=IntakeCreateSerializer,
    responses={201: IntakeSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED, 429: TOO_MANY},
)
@api_view(["POST"])
@permission_classes([api_roles(Role.CLIENT, *CLINICAL), ManagesScreening])
def create_intake(request):
    """Submit an intake: screened at once, stored with the rules version it was screened with.

    Staff (a therapist for their own clients, or an admin) send `client`; a logged-in client
    sends only `answers`, for themself.
    """
    if over_limit(request, "intake"):
        return too_many_requests(request)
    serializer = IntakeCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    client = _client_for(request, serializer.validated_data.get("client"))
    if client is None:
        return Response({"client": ["This field is required."]}, status.HTTP_400_BAD_REQUEST)
    intake = services.submit_intake(client, serializer.validated_data["answers"], request.user)
    return Response(IntakeSerializer(intake).data, status.HTTP_201_CREATED)


@extend_schema(responses={200: IntakeSerializer, 403: NOT_ALLOWED})
@api_view(["GET"])
@permission_classes([api_roles(*CLINICAL), ManagesScreening])
def intake_detail(request, pk):
    """One intake's screening, for an admin or the client's own therapist."""
    intake = get_object_or_404(Intake.objects.select_related("client"), pk=pk)
    check_object(request, intake)
    record(request, "view", intake)
    return Response(IntakeSerializer(intake).data)


@extend_schema(responses={200: ScreeningStatusSerializer, 403: NOT_ALLOWED})
@api_view(["GET"])
@permission_classes([api_roles(*STAFF)])
def client_screening(request, pk):
    """A client's current screening: the outcome (or `missing` / `expired`), how long it is
    valid and whether a clearance is on file. No clinical details, so every staff role may ask."""
    client = get_object_or_404(Client, pk=pk)
    current = screening_status(client)
    return Response(
        ScreeningStatusSerializer(
            {
                "outcome": current.outcome,
                "valid_until": current.valid_until,
                "clearance_on_file": current.clearance_on_file,
            }
        ).data
    )


@extend_schema(
    request={"multipart/form-data": ClearanceCreateSerializer},
    responses={201: ClearanceSerializer, 400: BAD_INPUT, 403: NOT_ALLOWED},
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser, JSONParser])
@permission_classes([api_roles(*CLINICAL), ManagesScreening])
def create_clearance(request, pk):
    """Record a provider's clearance (optional PDF, PNG or JPEG of at most 10 MB)."""
    client = get_object_or_404(Client, pk=pk)
    check_object(request, client)
    serializer = ClearanceCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    clearance = services.record_clearance(client, by_user=request.user, **serializer.validated_data)
    return Response(ClearanceSerializer(clearance).data, status.HTTP_201_CREATED)
