"""Visits: how many were booked, attended, missed and cancelled late, and by whom.

A visit belongs to the period its start falls in. Attended means checked in or completed. A
client is new when their first attended visit at the clinic (with anyone) falls in the period,
returning when they had one before it. The no-show rate is over the visits that were due
(attended or no-show); the late-cancellation rate over every visit in the period.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.db.models.lookups import LessThan

from clinic.accounts.models import Client
from clinic.booking.models import Appointment, AppointmentStatus

from .period import Period
from .tables import Chart, Figure, Section, Table, rate

S = AppointmentStatus
ATTENDED = (S.CHECKED_IN, S.COMPLETED)

COUNTS = {
    "visits": Count("pk", filter=~Q(status=S.CANCELLED)),
    "attended": Count("pk", filter=Q(status__in=ATTENDED)),
    "no_shows": Count("pk", filter=Q(status=S.NO_SHOW)),
    "cancelled": Count("pk", filter=Q(status=S.CANCELLED)),
    "late_cancellations": Count("pk", filter=Q(status=S.CANCELLED, late_cancellation=True)),
    "all": Count("pk"),
}


def in_period(period: Period, therapist=None):
    """The period's visits (every status), limited to one therapist's when given."""
    visits = Appointment.objects.filter(
        starts_at__gte=period.starts_at, starts_at__lt=period.ends_at
    )
    return visits if therapist is None else visits.filter(therapist=therapist)


def _with_rates(row: dict) -> dict:
    row["no_show_rate"] = rate(row["no_shows"], row["attended"] + row["no_shows"])
    row["late_cancellation_rate"] = rate(row["late_cancellations"], row.pop("all"))
    return row


def counts(period: Period, therapist=None) -> list[dict]:
    """The counts per therapist, in name order (one query): the table's rows, and summed, the
    period's totals, so the period's visits are read once for both."""
    rows = (
        in_period(period, therapist)
        .values("therapist", "therapist__user__first_name", "therapist__user__last_name")
        .annotate(**COUNTS)
        .order_by("therapist__user__first_name", "therapist__user__last_name", "therapist")
    )
    return [
        {
            "therapist": f"{row['therapist__user__first_name']} "
            f"{row['therapist__user__last_name']}".strip(),
            **{name: row[name] for name in COUNTS},
        }
        for row in rows
    ]


def therapist_rows(period: Period, therapist=None, found=None) -> list[dict]:
    """Counts and rates per therapist, in name order (one query, none given `counts`)."""
    found = counts(period, therapist) if found is None else found
    return [_with_rates(dict(row)) for row in found]


def totals(period: Period, therapist=None, found=None) -> dict:
    """The period's counts and rates, with new and returning clients (two queries, one given
    `counts`)."""
    found = counts(period, therapist) if found is None else found
    row = _with_rates({name: sum(r[name] for r in found) for name in COUNTS})
    # Each client's first attended visit, looked up once per client (not per visit) and as
    # "first by start", which PostgreSQL reads from the (client, starts_at) index.
    first_visit = (
        Appointment.objects.filter(client=OuterRef("pk"), status__in=ATTENDED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    seen = in_period(period, therapist).filter(status__in=ATTENDED).values("client")
    clients = Client.objects.filter(pk__in=seen).aggregate(
        clients=Count("pk"),
        returning=Count("pk", filter=LessThan(Subquery(first_visit), period.starts_at)),
    )
    row["clients"] = clients["clients"]
    row["returning_clients"] = clients["returning"]
    row["new_clients"] = clients["clients"] - clients["returning"]
    return row


def weekly(period: Period, therapist=None) -> list[dict]:
    """Attended visits and no-shows per week (Monday, clinic time) (one query)."""
    rows = (
        in_period(period, therapist)
        .annotate(week=TruncWeek("starts_at", tzinfo=period.zone))
        .values("week")
        .annotate(
            attended=Count("pk", filter=Q(status__in=ATTENDED)),
            no_shows=Count("pk", filter=Q(status=S.NO_SHOW)),
        )
        .order_by("week")
    )
    return [{**row, "week": row["week"].date().isoformat()} for row in rows]


COLUMNS = [
    ("visits", "Visits booked"),
    ("attended", "Attended"),
    ("no_shows", "No-shows"),
    ("no_show_rate", "No-show rate (%)"),
    ("cancelled", "Cancelled"),
    ("late_cancellations", "Late cancellations"),
    ("late_cancellation_rate", "Late-cancellation rate (%)"),
]


def section(period: Period, therapist=None) -> Section:
    found = counts(period, therapist)
    total = totals(period, therapist, found)
    weeks = weekly(period, therapist)
    figures = [
        Figure("visits_booked", "Visits booked", total["visits"]),
        Figure("attended", "Attended", total["attended"]),
        Figure("new_clients", "New clients", total["new_clients"]),
        Figure("returning_clients", "Returning clients", total["returning_clients"]),
        Figure("no_shows", "No-shows", total["no_shows"]),
        Figure("no_show_rate", "No-show rate (%)", total["no_show_rate"]),
        Figure("late_cancellations", "Late cancellations", total["late_cancellations"]),
        Figure(
            "late_cancellation_rate", "Late-cancellation rate (%)", total["late_cancellation_rate"]
        ),
    ]
    chart = Chart(
        "bar",
        [row["week"] for row in weeks],
        [
            {"label": "Attended", "data": [row["attended"] for row in weeks]},
            {"label": "No-shows", "data": [row["no_shows"] for row in weeks]},
        ],
        "Visits",
    )
    tables = [
        Table(
            "visits",
            "Visits, no-shows and late cancellations per therapist",
            [("therapist", "Therapist"), *COLUMNS],
            therapist_rows(period, therapist, found),
        ),
        Table(
            "visits-weekly",
            "Attended visits and no-shows per week (the chart's data)",
            [("week", "Week of"), ("attended", "Attended"), ("no_shows", "No-shows")],
            weeks,
        ),
    ]
    return Section("visits", "Visits and clients", figures=figures, tables=tables, chart=chart)
