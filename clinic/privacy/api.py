"""The privacy API, for the clinic admin alone: access requests, the breach register, records
past retention and a client's whole record as a FHIR R4 bundle."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.models import Client, User
from clinic.accounts.roles import PRIVACY, api_roles
from clinic.core.api_schema import page_of
from clinic.core.errors import DomainError
from clinic.core.pagination import LimitOffsetPagination

from . import access_requests, breaches, retention
from .export import export_record
from .fhir import record_bundle
from .models import AccessRequest, Breach, ExportFormat, RecordExport
from .serializers import (
    AccessRequestFilterSerializer,
    AccessRequestInputSerializer,
    AccessRequestSerializer,
    BreachInputSerializer,
    BreachSerializer,
    FulfilInputSerializer,
    RetentionDueSerializer,
)

REFUSED = OpenApiResponse(description="Bad input or a rule refused it; nothing changed.")


def _client(pk, field="client"):
    client = Client.objects.filter(pk=pk).first()
    if client is None:
        raise DomainError("No client has that id.", field, code="UNKNOWN_CLIENT")
    return client


class AccessRequestList(APIView):
    """Access requests (`state`: open, due within a week or overdue, fulfilled, all), soonest
    due first; POST logs one, due 30 days after it was received."""

    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(
        parameters=[AccessRequestFilterSerializer],
        responses={200: page_of(AccessRequestSerializer)},
    )
    def get(self, request):
        filters = AccessRequestFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = {
            "open": access_requests.open_requests(),
            "due": access_requests.due_requests(),
            "fulfilled": AccessRequest.objects.filter(fulfilled_at__isnull=False),
            "all": AccessRequest.objects.all(),
        }[filters.validated_data["state"]].order_by("due_on", "id")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        context = {"today": timezone.localdate()}
        return paginator.get_paginated_response(
            AccessRequestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        request=AccessRequestInputSerializer,
        responses={201: AccessRequestSerializer, 400: REFUSED},
    )
    def post(self, request):
        data = AccessRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        logged = access_requests.log_request(
            client=_client(values["client"]),
            kind=values["kind"],
            received_on=values["received_on"],
            notes=values.get("notes", ""),
            by=request,
        )
        context = {"today": timezone.localdate()}
        return Response(
            AccessRequestSerializer(logged, context=context).data, status=status.HTTP_201_CREATED
        )


class FulfilAccessRequest(APIView):
    """Mark a request answered, with the export (of the same client) that answered it."""

    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(
        request=FulfilInputSerializer,
        responses={200: AccessRequestSerializer, 400: REFUSED, 404: None, 409: REFUSED},
    )
    def post(self, request, pk):
        access_request = get_object_or_404(AccessRequest, pk=pk)
        data = FulfilInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        export = None
        if data.validated_data.get("export"):
            export = RecordExport.objects.filter(pk=data.validated_data["export"]).first()
            if export is None:
                raise DomainError("No export has that id.", "export", code="UNKNOWN_EXPORT")
        done = access_requests.fulfil_request(
            access_request=access_request, export=export, by=request
        )
        return Response(AccessRequestSerializer(done, context={"today": timezone.localdate()}).data)


class RecordExportFhir(APIView):
    """A client's whole record as a FHIR R4 Bundle (type `collection`); each call is logged as
    an export (its id in the `X-Record-Export` header) and audited."""

    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 404: None})
    def post(self, request, pk):
        client = get_object_or_404(Client, pk=pk)
        # Atomic: the export and its audit row stand only if the bundle was made.
        with transaction.atomic():
            export, record = export_record(client=client, format=ExportFormat.FHIR, by=request)
            response = Response(record_bundle(record))
        response["X-Record-Export"] = str(export.pk)
        return response


class BreachList(APIView):
    """The breach register, newest first; POST records an incident with its affected clients."""

    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(operation_id="privacy_breaches_list", responses={200: page_of(BreachSerializer)})
    def get(self, request):
        rows = Breach.objects.prefetch_related("affected_clients").order_by("-discovered_at", "-id")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(BreachSerializer(page, many=True).data)

    @extend_schema(request=BreachInputSerializer, responses={201: BreachSerializer, 400: REFUSED})
    def post(self, request):
        data = BreachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ids = set(values.get("affected_clients", []))
        affected = list(Client.objects.filter(pk__in=ids))
        if len(affected) != len(ids):
            raise DomainError(
                "Some client ids are unknown.", "affected_clients", code="UNKNOWN_CLIENT"
            )
        if "accessed_by" in values:
            user = User.objects.filter(pk=values["accessed_by"]).first()
            if user is None:
                raise DomainError("No user has that id.", "accessed_by", code="UNKNOWN_USER")
            found = breaches.clients_read_by(
                user=user, start=values["accessed_from"], end=values["accessed_until"]
            )
            affected += [c for c in found if c.pk not in ids]
        breach = breaches.record_breach(
            discovered_at=values["discovered_at"],
            kind=values["kind"],
            description=values["description"],
            reported_to_regulator=values["reported_to_regulator"],
            reported_on=values.get("reported_on"),
            affected=affected,
            by=request,
        )
        return Response(BreachSerializer(breach).data, status=status.HTTP_201_CREATED)


class BreachDetail(APIView):
    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(responses={200: BreachSerializer, 404: None})
    def get(self, request, pk):
        return Response(BreachSerializer(get_object_or_404(Breach, pk=pk)).data)


class RetentionDue(APIView):
    """Clients whose record is past retention: ids and dates, no health data."""

    permission_classes = [api_roles(*PRIVACY)]

    @extend_schema(responses={200: page_of(RetentionDueSerializer)})
    def get(self, request):
        due = retention.retention_due()
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(due, request, view=self)
        return paginator.get_paginated_response(RetentionDueSerializer(page, many=True).data)
