"""Clients' requests about their record, each due 30 days after it was received.

30 days is the shortest of the laws a clinic answers to: PHIPA s. 54 (30 days), HIPAA
§164.524 (30 days) and GDPR art. 15 (one month); an extension is a new decision, not a rule.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from clinic.accounts.models import Client
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError

from .models import AccessRequest, RecordExport, RequestKind

RESPONSE_DAYS = 30
# Open requests due within this many days are shown as "due soon".
DUE_SOON_DAYS = 7
# A request cannot be logged as received further back than this (a typo, not a request).
OLDEST_RECEIVED_DAYS = 366


class AccessRequestError(DomainError):
    code = "ACCESS_REQUEST"


def due_date(received_on: date) -> date:
    """The date the answer is due: received + 30 days."""
    return received_on + timedelta(days=RESPONSE_DAYS)


def log_request(
    *, client: Client, kind: RequestKind, received_on: date, notes: str = "", by: Any
) -> AccessRequest:
    """Log a client's request with its deadline (one audit row)."""
    today = timezone.localdate()
    if received_on > today:
        raise AccessRequestError(
            "The date received cannot be in the future.", "received_on", code="RECEIVED_FUTURE"
        )
    if received_on < today - timedelta(days=OLDEST_RECEIVED_DAYS):
        raise AccessRequestError(
            "The date received is more than a year ago; check the date.",
            "received_on",
            code="RECEIVED_TOO_OLD",
        )
    origin = Origin.of(by)
    with transaction.atomic():
        request = AccessRequest.objects.create(
            client=client,
            kind=kind,
            received_on=received_on,
            due_on=due_date(received_on),
            notes=notes,
            logged_by=origin.user,
        )
        record(origin, AuditAction.CREATE, request, detail=f"{kind} request logged")
    return request


def fulfil_request(
    *, access_request: AccessRequest, export: RecordExport | None = None, by: Any
) -> AccessRequest:
    """Mark a request answered, linking the export that answered it (one audit row).

    An export must be of the same client; an export request needs one.
    """
    origin = Origin.of(by)
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if not locked.is_open:
            raise AccessRequestError(
                "This request has already been fulfilled.", code="ALREADY_FULFILLED", status=409
            )
        if export is not None and export.client_id != locked.client_id:
            raise AccessRequestError(
                "That export is of another client.", "export", code="EXPORT_OTHER_CLIENT"
            )
        if export is None and locked.kind == RequestKind.EXPORT:
            raise AccessRequestError(
                "Export the record first, then link the export.", "export", code="EXPORT_NEEDED"
            )
        locked.fulfilled_at = timezone.now()
        locked.fulfilled_by = origin.user
        locked.export = export
        locked.save(update_fields=["fulfilled_at", "fulfilled_by", "export"])
        record(origin, AuditAction.UPDATE, locked, detail="request fulfilled")
    return locked


def open_requests() -> QuerySet[AccessRequest]:
    """Requests not yet answered, soonest due first, with their client."""
    return AccessRequest.objects.filter(fulfilled_at__isnull=True).select_related("client")


def due_requests(today: date | None = None) -> QuerySet[AccessRequest]:
    """Open requests overdue or due within `DUE_SOON_DAYS` of today, soonest first."""
    today = today or timezone.localdate()
    return open_requests().filter(due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
