"""The waitlist API: entries and offers for the desk, joining for a client, and answering an
offer for anyone holding its signed link (the token is the key)."""

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.roles import (
    DESK,
    Role,
    api_roles,
    can_manage_waitlist,
    joins_waitlist_as_client,
)
from clinic.core.pagination import LimitOffsetPagination
from clinic.core.ratelimits import rate_limited

from . import by_hand, joining, links, offering, selectors
from .models import Offer, WaitlistEntry
from .serializers import (
    AnswerOutcomeSerializer,
    AnswerSerializer,
    EntryInputSerializer,
    EntrySerializer,
    OfferFilterSerializer,
    OfferSerializer,
    OfferTimeSerializer,
)


class EntryList(APIView):
    """Waiting entries with their offers (the desk); a new entry (the desk names the client,
    a client joins themselves)."""

    permission_classes = [api_roles(*DESK, Role.CLIENT)]
    pagination_class = LimitOffsetPagination

    @extend_schema(responses={200: EntrySerializer(many=True)})
    def get(self, request):
        if not can_manage_waitlist(request.user):
            raise PermissionDenied("Your role does not allow this.")
        rows = selectors.waiting_entries()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(EntrySerializer(page, many=True).data)

    @extend_schema(
        request=EntryInputSerializer,
        responses={
            201: EntrySerializer,
            400: OpenApiResponse(description="Bad input; nothing changed."),
            409: OpenApiResponse(
                description="Already waiting for the service, or the screening does not allow "
                "booking online; nothing changed."
            ),
        },
    )
    def post(self, request):
        data = EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client = values.pop("client", None)
        if joins_waitlist_as_client(request.user):
            client = getattr(request.user, "client", None)
            if client is None:
                raise PermissionDenied("This account has no client record.")
        elif client is None:
            return Response({"client": ["This field is required."]}, status=400)
        entry = joining.join(client=client, by=request.user, **values)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryRemove(APIView):
    """Take an entry off the waitlist (its live offers are withdrawn)."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(
        request=None,
        responses={
            200: EntrySerializer,
            400: OpenApiResponse(description="The entry is no longer waiting."),
        },
    )
    def post(self, request, pk):
        entry = get_object_or_404(WaitlistEntry, pk=pk)
        joining.leave(entry, by=request.user)
        return Response(EntrySerializer(entry).data)


class OfferList(APIView):
    """Offers, newest first, a page at a time; filter by status or client."""

    permission_classes = [api_roles(*DESK)]
    pagination_class = LimitOffsetPagination

    @extend_schema(parameters=[OfferFilterSerializer], responses={200: OfferSerializer(many=True)})
    def get(self, request):
        filters = OfferFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = Offer.objects.filter(**filters.validated_data).order_by("-created_at", "-id")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(OfferSerializer(page, many=True).data)


class OfferTime(APIView):
    """The desk offers a waiting client any free time: held and sent like a freed slot's offer."""

    permission_classes = [api_roles(*DESK)]

    @extend_schema(
        request=OfferTimeSerializer,
        responses={
            201: OfferSerializer,
            400: OpenApiResponse(
                description="Bad input, or a time too soon to hold; nothing changed."
            ),
            409: OpenApiResponse(
                description="The time is not free, the client's screening does not allow "
                "booking online, or they were offered this time before; nothing changed."
            ),
        },
    )
    def post(self, request):
        data = OfferTimeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = by_hand.offer_time(**data.validated_data, by=request.user)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferAnswer(APIView):
    """Accept or decline an offer with the token from its link. Accepting books the visit, or
    answers 409 with why not and the nearest free times."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=AnswerSerializer,
        responses={
            200: AnswerOutcomeSerializer,
            400: OpenApiResponse(description="Bad input or a forged link; nothing changed."),
            409: AnswerOutcomeSerializer,
            410: OpenApiResponse(description="The link has expired."),
        },
    )
    @method_decorator(rate_limited("link"))
    def post(self, request):
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = links.read_token(data.validated_data["token"])
        if data.validated_data["answer"] == "decline":
            done = offering.decline(offer)
            offer.refresh_from_db()
            body = {
                "booked": False,
                "status": offer.status,
                "message": "Declined." if done else "This offer was no longer open.",
                "appointment": None,
                "alternatives": [],
            }
            return Response(body, status=200 if done else 409)
        answer = offering.accept(offer)
        offer.refresh_from_db()
        body = {
            "booked": answer.booked,
            "status": offer.status,
            "message": answer.message,
            "appointment": answer.appointment.pk if answer.appointment else None,
            "alternatives": [slot.starts_at for slot in answer.alternatives],
        }
        return Response(body, status=200 if answer.booked else 409)
