"""Retention: did clients come back on time, book their next visit at checkout, or lapse?

- Came back on time: of the clients with an attended visit in the period charted under a plan
  (one not completed), the share whose every such visit was followed by another (attended or
  still to come) within the plan's frequency + 7 days. A visit whose window is still open and
  has no next visit yet is not judged.
- Rebooked at checkout: attended visits in the period after which the client's next visit was
  booked the same day (clinic time).
- Lapsed: clients with an active plan, nothing booked ahead, and no visit within the plan's
  frequency + 7 days: the list the desk calls. It is as of now, whatever the period.
"""

from datetime import timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
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


def _came_back(frequency_weeks: int) -> Exists:
    later = Appointment.objects.filter(
        CAME_OR_COMING,
        client=OuterRef("client"),
        starts_at__gt=OuterRef("starts_at"),
        starts_at__lte=OuterRef("starts_at") + window(frequency_weeks),
    )
    return Exists(later)


def came_back(period: Period, therapist=None, now=None) -> dict:
    """Clients judged and clients who came back on time every time (one query)."""
    now = now or timezone.now()
    returned = Q()
    decided = Q()
    for frequency in Frequency:
        on_plan = Q(session_note__treatment_plan__frequency_weeks=frequency.value)
        returned |= on_plan & Q(_came_back(frequency.value))
        decided |= on_plan & Q(starts_at__lte=now - window(frequency.value))
    visits = (
        in_period(period, therapist)
        .filter(status__in=ATTENDED, session_note__treatment_plan__isnull=False)
        .exclude(session_note__treatment_plan__status=PlanStatus.COMPLETED)
    )
    counts = visits.aggregate(
        judged=Count("client", distinct=True, filter=returned | decided),
        missed=Count("client", distinct=True, filter=decided & ~returned),
    )
    kept = counts["judged"] - counts["missed"]
    return {"clients": counts["judged"], "came_back": kept, "rate": rate(kept, counts["judged"])}


def rebooked_at_checkout(period: Period, therapist=None) -> dict:
    """Attended visits, and those whose client booked a later visit that same day (one query)."""
    zone = period.zone
    booked_that_day = Appointment.objects.annotate(
        booked_on=TruncDate("booked_at", tzinfo=zone)
    ).filter(
        client=OuterRef("client"),
        starts_at__gt=OuterRef("starts_at"),
        # The outer visit's start, typed, so its local day can be taken inside the subquery.
        booked_on=TruncDate(
            ExpressionWrapper(OuterRef("starts_at"), output_field=DateTimeField()), tzinfo=zone
        ),
    )
    counts = (
        in_period(period, therapist)
        .filter(status__in=ATTENDED)
        .aggregate(visits=Count("pk"), rebooked=Count("pk", filter=Q(Exists(booked_that_day))))
    )
    return {**counts, "rate": rate(counts["rebooked"], counts["visits"])}


def lapsed(therapist=None, now=None) -> list[dict]:
    """Clients lapsed from their active plan, longest gap first, with a phone (one query)."""
    now = now or timezone.now()
    last_visit = (
        Appointment.objects.filter(client=OuterRef("client"), status__in=ATTENDED)
        .values("client")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
    ahead = Appointment.objects.filter(
        client=OuterRef("client"), status__in=UPCOMING, starts_at__gte=now
    )
    overdue = Q()
    for frequency in Frequency:
        since = now - window(frequency.value)
        overdue |= Q(frequency_weeks=frequency.value) & (
            Q(last_visit__lt=since) | Q(last_visit__isnull=True, created_at__lt=since)
        )
    plans = (
        TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE)
        .annotate(last_visit=Subquery(last_visit), booked_ahead=Exists(ahead))
        .filter(overdue, booked_ahead=False)
        .select_related("client", "therapist__user")
        .order_by(F("last_visit").asc(nulls_first=True), "client__last_name", "pk")
    )
    if therapist is not None:
        plans = plans.filter(therapist=therapist)
    return [
        {
            "client": plan.client.full_name,
            "phone": str(plan.client.phone) if plan.client.phone else "",
            "email": plan.client.email,
            "therapist": plan.therapist.name,
            "last_visit": local_date(plan.last_visit).isoformat() if plan.last_visit else None,
            "days_since": (now - plan.last_visit).days if plan.last_visit else None,
            "frequency": plan.get_frequency_weeks_display(),
        }
        for plan in plans
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
    )
    return Section("retention", "Retention", figures=figures, tables=[summary, lapsed_table])
