"""Retention: did clients come back on time, book their next visit at checkout, or lapse?

- Came back on time: of the clients with an attended visit in the period charted under a plan
  (one not completed), the share whose every such visit was followed by another (attended or
  still to come) within the plan's frequency + 7 days. Only visits whose window has closed
  are judged.
- Rebooked at checkout: attended visits in the period whose client's next visit was booked
  the same day (clinic time).
- Lapsed: clients with an active plan, nothing booked ahead, and no visit within the plan's
  frequency + 7 days: the list the desk calls. It is as of now, whatever the period. A chain
  has thousands: the page and the API show the first 50 (longest gap first) and the count,
  the CSV streams them all.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone

from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import clinic_zone, local_date
from sessions.models import Frequency, PlanStatus, TreatmentPlan

from .period import Period
from .tables import Figure, Section, Table, rate
from .visits import ATTENDED

GRACE = timedelta(days=7)
S = AppointmentStatus
UPCOMING = (S.BOOKED, S.CONFIRMED, S.CHECKED_IN)
# A next visit counts unless it was called off.
CAME_OR_COMING = ~Q(status__in=(S.CANCELLED, S.NO_SHOW))


def window(frequency_weeks: int) -> timedelta:
    return timedelta(weeks=frequency_weeks) + GRACE


# A next visit more than a year after the period is not looked for.
HORIZON = timedelta(days=366)

# Plain SQL, to read the period's visits once, in one sort, and to join each to its note's plan
# only after the window: the ORM would join every row first, which costs more than the window.
# The rows are each client's, latest first, so the next visit in time is the row before (its
# booking instant: rebooked at checkout when that is the same clinic day as the visit), and the
# next visit not called off is the earliest such of the rows before (one window: the frame is
# every row before; lag ignores it). Judged for coming back: attended in the period, charted
# under a plan not completed, whose window (frequency + 7 days) closed by now; missed: no next
# visit within it.
RETURNS_SQL = """
SELECT count(*),
       count(*) FILTER (
           WHERE v.next_booked_at > v.starts_at - interval '1 day'
             AND v.next_booked_at < v.starts_at + interval '1 day'
             AND (v.next_booked_at AT TIME ZONE %(zone)s)::date
                 = (v.starts_at AT TIME ZONE %(zone)s)::date),
       count(DISTINCT v.client_id) FILTER (WHERE p.id IS NOT NULL),
       count(DISTINCT v.client_id) FILTER (
           WHERE p.id IS NOT NULL AND (v.next_visit IS NULL OR v.next_visit
               > v.starts_at + make_interval(weeks => p.frequency_weeks) + %(grace)s))
FROM (
    SELECT a.id, a.client_id, a.therapist_id, a.starts_at, a.status,
           lag(a.booked_at) OVER later AS next_booked_at,
           min(a.starts_at) FILTER (WHERE a.status <> ALL(%(called_off)s)) OVER later
               AS next_visit
    FROM booking_appointment a
    WHERE a.starts_at >= %(start)s AND a.starts_at < %(rows_end)s
      AND (%(therapist)s::bigint IS NULL OR a.client_id IN (
          SELECT t.client_id FROM booking_appointment t
          WHERE t.therapist_id = %(therapist)s AND t.starts_at >= %(start)s
            AND t.starts_at < %(end)s))
    WINDOW later AS (PARTITION BY a.client_id ORDER BY a.starts_at DESC, a.id DESC
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
) v
LEFT JOIN treatment_sessionnote n ON n.appointment_id = v.id
LEFT JOIN treatment_treatmentplan p ON p.id = n.treatment_plan_id AND p.status <> %(completed)s
    AND v.starts_at <= %(now)s - make_interval(weeks => p.frequency_weeks) - %(grace)s
WHERE v.starts_at < %(end)s AND v.status = ANY(%(attended)s)
  AND (%(therapist)s::bigint IS NULL OR v.therapist_id = %(therapist)s)
"""


def returns(period: Period, therapist=None, now=None) -> dict:
    """Clients judged and those who came back on time every time; attended visits and those
    rebooked at checkout (one query)."""
    params = {
        "start": period.starts_at,
        "end": period.ends_at,
        "rows_end": period.ends_at + HORIZON,
        "zone": str(period.zone),
        "now": now or timezone.now(),
        "grace": GRACE,
        "therapist": therapist.pk if therapist is not None else None,
        "called_off": [S.CANCELLED.value, S.NO_SHOW.value],
        "attended": [status.value for status in ATTENDED],
        "completed": PlanStatus.COMPLETED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(RETURNS_SQL, params)
        visits, rebooked, judged, missed = cursor.fetchone()
    return {
        "clients": judged,
        "came_back": judged - missed,
        "rate": rate(judged - missed, judged),
        "visits": visits,
        "rebooked": rebooked,
        "rebooked_rate": rate(rebooked, visits),
    }


def lapsed_plans(therapist=None, now=None):
    """The active plans whose client has lapsed, with `last_visit`, longest gap first."""
    now = now or timezone.now()
    # The latest first, one row: an index scan of (client, starts_at) backwards.
    last_visit = (
        Appointment.objects.filter(client=OuterRef("client"), status__in=ATTENDED)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    ahead = Appointment.objects.filter(
        client=OuterRef("client"), status__in=UPCOMING, starts_at__gte=now
    )
    # Overdue since the last visit, or since the plan was made when there was none: one
    # reference to the subquery, so the database looks up each client's last visit once.
    due_by = Case(
        *(When(frequency_weeks=f.value, then=Value(now - window(f.value))) for f in Frequency),
        output_field=DateTimeField(),
    )
    plans = (
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE)
        .annotate(last_visit=Subquery(last_visit))
        .filter(~Exists(ahead))
        .filter(LessThan(Coalesce("last_visit", "created_at"), due_by))
        .order_by(F("last_visit").asc(nulls_first=True), "client__last_name", "pk")
    )
    if therapist is not None:
        plans = plans.filter(therapist=therapist)
    return plans


# The row a lapsed plan gives: plain values, phones as stored (E.164, as text: not parsed per
# row), no model instances.
LAPSED_FIELDS = (
    "client__first_name",
    "client__last_name",
    Cast("client__phone", CharField()),
    "client__email",
    "therapist__user__first_name",
    "therapist__user__last_name",
    "last_visit",
    "frequency_weeks",
)
FREQUENCIES = dict(Frequency.choices)
# The page lists the longest gaps first; the CSV has every lapsed client.
LAPSED_SHOWN = 50


def _lapsed_row(values, now, zone) -> dict:
    first, last, phone, email, t_first, t_last, last_visit, frequency = values
    return {
        "client": f"{first} {last}".strip(),
        "phone": str(phone or ""),
        "email": email,
        "therapist": f"{t_first} {t_last}".strip(),
        "last_visit": local_date(last_visit, zone).isoformat() if last_visit else None,
        "days_since": (now - last_visit).days if last_visit else None,
        "frequency": FREQUENCIES.get(frequency, frequency),
    }


def lapsed(therapist=None, now=None) -> Iterator[dict]:
    """Every client lapsed from their active plan, longest gap first, with a phone (one query,
    read in chunks: a chain has thousands)."""
    now = now or timezone.now()
    rows = lapsed_plans(therapist, now).values_list(*LAPSED_FIELDS)
    zone = clinic_zone()  # read once: it is a settings lookup, and there are thousands of rows
    return (_lapsed_row(values, now, zone) for values in rows.iterator(chunk_size=2000))


def lapsed_first(therapist=None, limit=LAPSED_SHOWN, now=None) -> tuple[list[dict], int]:
    """The first `limit` lapsed clients, longest gap first, and how many there are in all (one
    query: the count is a window over every lapsed plan, taken before the limit)."""
    now = now or timezone.now()
    rows = list(
        lapsed_plans(therapist, now)
        .annotate(total=Window(Count("pk")))
        .values_list(*LAPSED_FIELDS, "total")[:limit]
    )
    total = rows[0][-1] if rows else 0
    zone = clinic_zone()
    return [_lapsed_row(values[:-1], now, zone) for values in rows], total


def lapsed_table(therapist=None, shown: int = LAPSED_SHOWN) -> Table:
    """The lapsed clients: the first `shown` and their count (one query; none when `shown` is
    0, for the CSV, which reads every row as it writes it)."""
    first, total = lapsed_first(therapist, shown) if shown else ([], None)
    return Table(
        "lapsed",
        "Clients lapsed from an active plan (as of now): no visit within the plan's frequency "
        "+ 7 days and nothing booked",
        [
            ("client", "Client"),
            ("phone", "Phone"),
            ("email", "Email"),
            ("therapist", "Therapist"),
            ("last_visit", "Last visit"),
            ("days_since", "Days since"),
            ("frequency", "Plan frequency"),
        ],
        first,
        empty="No client has lapsed from an active plan.",
        total=total,
        everything=lambda: lapsed(therapist),
    )


def section(period: Period, therapist=None) -> Section:
    back = returns(period, therapist)
    lapsed_list = lapsed_table(therapist, LAPSED_SHOWN)
    figures = [
        Figure("clients_on_plan", "Clients on a plan seen in the period", back["clients"]),
        Figure("came_back", "Came back within frequency + 7 days", back["came_back"]),
        Figure("came_back_rate", "Came back on time (%)", back["rate"]),
        Figure("attended_visits", "Attended visits", back["visits"]),
        Figure("rebooked", "Rebooked at checkout", back["rebooked"]),
        Figure("rebooked_rate", "Rebooked at checkout (%)", back["rebooked_rate"]),
        Figure("lapsed_clients", "Clients lapsed from an active plan (now)", lapsed_list.count),
    ]
    summary = Table(
        "retention",
        "Retention in the period",
        [("measure", "Measure"), ("value", "Value")],
        [{"measure": label, "value": value} for label, value in figures],
    )
    return Section("retention", "Retention", figures=figures, tables=[summary, lapsed_list])
