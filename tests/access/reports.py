"""Permission-matrix rows for the reports: the clinic admin (every therapist's figures) and
therapists (their own); never the front desk or a client."""

from . import CLINICAL, Route

ROUTES = {
    "reports": Route(CLINICAL),
    "report-csv": Route(CLINICAL, lambda w: {"table": "visits"}),
    "api-reports": Route(CLINICAL),
    "api-report": Route(CLINICAL, lambda w: {"report": "retention"}),
}
