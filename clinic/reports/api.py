"""The reports, read-only, as JSON: every report at once, or one by its key.

The same sections as the page (clinic/reports/sections.py): the clinic admin gets every
therapist's figures, a therapist their own. `start` and `end` (YYYY-MM-DD, clinic time) choose
the period, as on the page; a bad date answers 400 with the rule code REPORT_BAD_PERIOD.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.accounts.roles import CLINICAL, api_roles, report_scope

from . import sections
from .period import parse_period
from .tables import Section

PERIOD = [
    OpenApiParameter("start", str, description="First day, YYYY-MM-DD (clinic time)."),
    OpenApiParameter("end", str, description="Last day, YYYY-MM-DD; today by default."),
]


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    caption = serializers.CharField()
    columns = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="The rows; for the lapsed clients only the first 50, longest gap first "
        "(the table's CSV export has them all).",
    )
    total_rows = serializers.IntegerField(help_text="How many rows the table has in all.")


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="What the page calls it.")
    value = serializers.JSONField(help_text="A count, a percentage or an amount; null: none.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    figures = serializers.DictField(
        child=FigureSerializer(),
        help_text="Headline figures by a stable key (`new_clients`), each with its label.",
    )
    tables = TableSerializer(many=True)


class ReportsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    capped = serializers.BooleanField(help_text="The range asked for was cut to its last year.")
    therapist = serializers.IntegerField(allow_null=True, help_text="Whose figures; null: all.")
    reports = SectionSerializer(many=True)


def _as_data(section: Section) -> dict:
    return {
        "key": section.key,
        "title": section.title,
        "figures": {
            figure.key: {"label": figure.label, "value": figure.value} for figure in section.figures
        },
        "tables": [table.as_data() for table in section.tables],
    }


class ReportsView(APIView):
    """Every report over the period: the admin's for all therapists, a therapist's own."""

    permission_classes = [api_roles(*CLINICAL)]

    def answer(self, request, found):
        allowed, therapist = report_scope(request.user)
        if not allowed:
            raise PermissionDenied("Reports need a therapist profile.")
        period = parse_period(request.query_params)
        if found is None:
            reports = sections.all_reports(period, therapist)
        else:
            one = sections.report(found, period, therapist)
            reports = [one] if one is not None else []
        return Response(
            {
                "start": period.start,
                "end": period.end,
                "capped": period.capped,
                "therapist": therapist.pk if therapist else None,
                "reports": [_as_data(section) for section in reports],
            }
        )

    @extend_schema(
        operation_id="reports_list_all",
        parameters=PERIOD,
        responses={200: ReportsSerializer, 400: OpenApiResponse(description="A bad date.")},
    )
    def get(self, request):
        return self.answer(request, None)


class ReportView(ReportsView):
    """One report by its key (`utilisation`, `visits`, `retention`, `reminders`, `homecare`,
    `outcomes`, `revenue`); `reports` is empty for revenue when nothing was invoiced."""

    @extend_schema(
        operation_id="reports_retrieve_one",
        parameters=[
            OpenApiParameter("report", str, OpenApiParameter.PATH, enum=list(sections.REPORTS)),
            *PERIOD,
        ],
        responses={
            200: ReportsSerializer,
            400: OpenApiResponse(description="A bad date."),
            404: OpenApiResponse(description="No such report."),
        },
    )
    def get(self, request, report):
        if report not in sections.REPORTS:
            raise NotFound("No such report.")
        return self.answer(request, report)
