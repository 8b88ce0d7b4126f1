"""The reports page and each table's CSV: the clinic admin sees every therapist's figures, a
therapist their own (clinic/accounts/roles.py, `report_scope`)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from clinic.accounts.roles import CLINICAL, report_scope, role_required

from . import sections
from .period import BadPeriod, parse_period


def _therapist(request):
    allowed, therapist = report_scope(request.user)
    if not allowed:
        raise PermissionDenied
    return therapist


@role_required(*CLINICAL)
def reports(request):
    """Every report over the period the query string asks for (the last four weeks by default)."""
    therapist = _therapist(request)
    try:
        period = parse_period(request.GET)
    except BadPeriod as error:
        context = {"error": error, "start": request.GET.get("start"), "end": request.GET.get("end")}
        return render(request, "reports/reports.html", context, status=400)
    context = {
        "period": period,
        "therapist": therapist,
        "sections": sections.all_reports(period, therapist),
        "missing": sections.missing_here(),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    return render(request, "reports/reports.html", context)


@role_required(*CLINICAL)
def report_csv(request, table):
    """One table as CSV, for a spreadsheet."""
    therapist = _therapist(request)
    if table not in sections.TABLES:
        raise Http404("No such report table.")
    try:
        period = parse_period(request.GET)
    except BadPeriod as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    found = sections.table(table, period, therapist)
    if found is None:
        raise Http404("This table has nothing to show for you.")
    # Streamed: the lapsed clients' CSV has every one of a chain's thousands, read in chunks.
    response = StreamingHttpResponse(found.csv_lines(), content_type="text/csv; charset=utf-8")
    filename = f"{table}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
