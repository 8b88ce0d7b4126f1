"""Break the glass through the API: a therapist asks with a reason; the clinic admin lists the
grants and marks each reviewed. Thin: the rules are clinic/audit/break_glass.py's."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clinic.accounts.models import Client
from clinic.accounts.roles import Role, api_roles
from clinic.core.inputs import parse_day

from .break_glass import break_glass, grants_for_review, mark_reviewed
from .models import BreakGlassGrant
from .serializers import BreakGlassGrantSerializer, BreakGlassRequestSerializer

REFUSED = {
    400: OpenApiResponse(description="No reason, or one too long; nothing was stored."),
    403: OpenApiResponse(description="Your role does not allow this."),
    409: OpenApiResponse(description="Already open to you, or already reviewed."),
}


@extend_schema(
    request=BreakGlassRequestSerializer,
    responses={201: BreakGlassGrantSerializer, **REFUSED},
    summary="Open the record of a client you do not treat, until the end of today",
)
@api_view(["POST"])
@permission_classes([api_roles(Role.THERAPIST)])
def break_glass_for_client(request, pk):
    """The answer to a `not_treating` refusal: give a reason, read the record today (audited)."""
    client = get_object_or_404(Client, pk=pk)
    serializer = BreakGlassRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    grant = break_glass(client=client, reason=serializer.validated_data["reason"], by=request)
    return Response(BreakGlassGrantSerializer(grant).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Break-the-glass grants, newest first",
    parameters=[
        OpenApiParameter("day", OpenApiTypes.DATE, description="Only those granted on this day.")
    ],
)
class GrantList(generics.ListAPIView):
    serializer_class = BreakGlassGrantSerializer
    permission_classes = [api_roles(Role.CLINIC_ADMIN)]

    def get_queryset(self):
        raw = self.request.query_params.get("day")
        day = parse_day(raw)
        if raw and day is None:
            raise ValidationError({"day": ["Give a day as YYYY-MM-DD, between 1900 and 2999."]})
        return grants_for_review(day)


@extend_schema(
    request=None,
    responses={200: BreakGlassGrantSerializer, **REFUSED},
    summary="Mark a break-the-glass grant reviewed",
)
@api_view(["POST"])
@permission_classes([api_roles(Role.CLINIC_ADMIN)])
def review_grant(request, pk):
    grant = get_object_or_404(BreakGlassGrant.objects.select_related("client"), pk=pk)
    grant = mark_reviewed(grant=grant, by=request)
    return Response(BreakGlassGrantSerializer(grant).data)
