"""Retention: did clients come back on time, book their next visit at checkout, or lapse?

- Came back on time: of the clients with an attended visit in the period charted under a plan
  (one not completed), the share whose every such visit was followed by another (attended or
  still to come) within the plan's frequency + 7 days. Only visits whose window has closed
  are judged.
- Rebooked at checkout: attended visits in the period whose client's next visit was booked
  the same day (clinic time).
- Lapsed: clients with an active plan, nothing booked ahead, and no visit within the plan's
  frequency + 7 days: the list the desk calls. It is as of now, whatever the period.
"""

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import Exact, LessThan, LessThanOrEqual
from django.utils import timezone

from clinic.booking.models import Appointment, AppointmentStatus
from clinic.core.clinic_time import local_date
from sessions.models import Frequency, PlanStatus, TreatmentPlan

from .period import Period
from .tables import Section, Table, rate
from .visits import ATTENDED, in_period

GRACE = timedelta(days=7)
S = AppointmentStatus
UPCOMING = (S.BOOKED, S.CONFIRMED, S.CHECKED_IN)
# A next visit counts unless it was called off.
CAME_OR_COMING = ~Q(status__in=(S.CANCELLED, S.NO_SHOW))


def window(frequency_weeks: int) -> timedelta:
    return timedelta(weeks=frequency_weeks) + GRACE


def _next_visit() -> Subquery:
    """The start of the client's next visit after this one that was not called off: the first
    by start, which PostgreSQL reads from the (client, starts_at) index."""
    later = Appointment.objects.filter(
        CAME_OR_COMING, client=OuterRef("client"), starts_at__gt=OuterRef("starts_at")
    )
    return Subquery(later.order_by("starts_at").values("starts_at")[:1])


def came_back(period: Period, therapist=None, now=None) -> dict:
    """Clients judged and clients who came back on time every time (one query)."""
    now = now or timezone.now()
    returned = Q()
    decided = Q()
    for frequency in Frequency:
        on_plan = Q(session_note__treatment_plan__frequency_weeks=frequency.value)
        deadline = F("starts_at") + window(frequency.value)
        # No next visit reads as one after the deadline (not NULL, which NOT would keep NULL).
        next_visit = Coalesce(_next_visit(), deadline + timedelta(days=1))
        returned |= on_plan & Q(LessThanOrEqual(next_visit, deadline))
        decided |= on_plan & Q(starts_at__lte=now - window(frequency.value))
    visits = (
        in_period(period, therapist)
        .filter(status__in=ATTENDED, session_note__treatment_plan__isnull=False)
        .exclude(session_note__treatment_plan__status=PlanStatus.COMPLETED)
    )
    # `returned` appears once, so the next visit is looked up once per judged visit.
    counts = visits.aggregate(
        judged=Count("client", distinct=True, filter=decided),
        missed=Count("client", distinct=True, filter=decided & ~returned),
    )
    kept = counts["judged"] - counts["missed"]
    return {"clients": counts["judged"], "came_back": kept, "rate": rate(kept, counts["judged"])}


def rebooked_at_checkout(period: Period, therapist=None) -> dict:
    """Attended visits, and those whose client's next visit was booked that same day (one
    query)."""
    zone = period.zone
    # When the client's next visit was booked: one row read from the (client, starts_at) index.
    next_booked_at = (
        Appointment.objects.filter(client=OuterRef("client"), starts_at__gt=OuterRef("starts_at"))
        .order_by("starts_at")
        .values("booked_at")[:1]
    )
    same_day = Exact(
        TruncDate(ExpressionWrapper(Subquery(next_booked_at), DateTimeField()), tzinfo=zone),
        TruncDate("starts_at", tzinfo=zone),
    )
    counts = (
        in_period(period, therapist)
        .filter(status__in=ATTENDED)
        .aggregate(visits=Count("pk"), rebooked=Count("pk", filter=same_day))
    )
    return {**counts, "rate": rate(counts["rebooked"], counts["visits"])}


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


def lapsed(therapist=None, now=None) -> list[dict]:
    """Clients lapsed from their active plan, longest gap first, with a phone (one query)."""
    now = now or timezone.now()
    frequencies = dict(Frequency.choices)
    # Plain values: phones as stored (E.164), no model instance per row.
    rows = lapsed_plans(therapist, now).values_list(
        "client__first_name",
        "client__last_name",
        "client__phone",
        "client__email",
        "therapist__user__first_name",
        "therapist__user__last_name",
        "last_visit",
        "frequency_weeks",
    )
    return [
        {
            "client": f"{first} {last}".strip(),
            "phone": str(phone or ""),
            "email": email,
            "therapist": f"{t_first} {t_last}".strip(),
            "last_visit": local_date(last_visit).isoformat() if last_visit else None,
            "days_since": (now - last_visit).days if last_visit else None,
            "frequency": frequencies.get(frequency, frequency),
        }
        for first, last, phone, email, t_first, t_last, last_visit, frequency in rows
    ]


def section(period: Period, therapist=None) -> Section:
    back = came_back(period, therapist)
    rebooked = rebooked_at_checkout(period, therapist)
    figures = [
        ("Clients on a plan seen in the period", back["clients"]),
        ("Came back within frequency + 7 days", back["came_back"]),
        ("Came back on time (%)", back["rate"]),
        ("Attended visits", rebooked["visits"]),
        ("Rebooked at checkout", rebooked["rebooked"]),
        ("Rebooked at checkout (%)", rebooked["rate"]),
    ]
    summary = Table(
        "retention",
        "Retention in the period",
        [("measure", "Measure"), ("value", "Value")],
        [{"measure": label, "value": value} for label, value in figures],
    )
    lapsed_table = Table(
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
        lapsed(therapist),
        empty="No client has lapsed from an active plan.",
    )
    return Section("retention", "Retention", figures=figures, tables=[summary, lapsed_table])
