"""A client's whole record released on request: one export row and one audit row per export."""

from django.db import transaction

from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction

from .models import ExportFormat, RecordExport
from .record import ClientRecord, client_record


def export_record(*, client, format: ExportFormat, by) -> tuple[RecordExport, ClientRecord]:
    """Read the client's whole record for release and log it: a `RecordExport` row (which an
    access request links to when fulfilled) and one `disclose` audit row, in one transaction.

    `by` is a request, an Origin or a user. Returns the export row and the record to render.
    """
    origin = Origin.of(by)
    with transaction.atomic():
        export = RecordExport.objects.create(client=client, format=format, made_by=origin.user)
        record(origin, AuditAction.DISCLOSE, export, client=client, detail=f"{format} export")
        return export, client_record(client)
