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

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import (
    Case,
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
from django.db.models.functions import Coalesce, Lead, TruncDate
from django.db.models.lookups import Exact, GreaterThan, LessThan
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


LONGEST = max(window(f.value) for f in Frequency)


def _following(field: str) -> Window:
    """`field` of the client's next row by start: one pass over the rows, sorted once."""
    return Window(
        Lead(field), partition_by=[F("client_id")], order_by=[F("starts_at").asc(), F("pk").asc()]
    )


def _period_clients(visits, period: Period, therapist):
    """`visits` limited to the clients with a visit in the period (the therapist's when given):
    a client's next visit may be with anyone, so every row of theirs stays in the window."""
    if therapist is None:
        return visits
    return visits.filter(client__in=in_period(period, therapist).values("client"))


def came_back(period: Period, therapist=None, now=None) -> dict:
    """Clients judged and clients who came back on time every time (one query)."""
    now = now or timezone.now()
    # Each visit's next one that was not called off is the following such row of its client.
    # A next visit after the longest deadline a visit in the period can have is late anyway,
    # so the rows end there: the query reads the period and a few weeks, not the history.
    rows = Appointment.objects.filter(
        CAME_OR_COMING,
        starts_at__gte=period.starts_at,
        starts_at__lt=period.ends_at + LONGEST,
    )
    rows = _period_clients(rows, period, therapist).annotate(
        next_visit=_following("starts_at"),
        # Annotated (a LEFT JOIN), not filtered: visits without a note stay in the window.
        frequency=F("session_note__treatment_plan__frequency_weeks"),
        plan_status=F("session_note__treatment_plan__status"),
    )
    judged = Q(
        starts_at__gte=period.starts_at,
        starts_at__lt=period.ends_at,
        status__in=ATTENDED,
        frequency__isnull=False,
    ) & ~Q(plan_status=PlanStatus.COMPLETED)
    if therapist is not None:
        judged &= Q(therapist=therapist)
    decided = Q()
    late = Q()
    for frequency in Frequency:
        on_plan = Q(frequency=frequency.value)
        deadline = F("starts_at") + window(frequency.value)
        decided |= on_plan & Q(starts_at__lte=now - window(frequency.value))
        late |= on_plan & (Q(next_visit__isnull=True) | Q(GreaterThan(F("next_visit"), deadline)))
    counts = rows.aggregate(
        judged=Count("client", distinct=True, filter=judged & decided),
        missed=Count("client", distinct=True, filter=judged & decided & late),
    )
    kept = counts["judged"] - counts["missed"]
    return {"clients": counts["judged"], "came_back": kept, "rate": rate(kept, counts["judged"])}


def rebooked_at_checkout(period: Period, therapist=None) -> dict:
    """Attended visits, and those whose client's next visit was booked that same day (one
    query)."""
    zone = period.zone
    # The next visit (any status) is the following row of the client's, read in one pass over
    # the period and the year after it. A visit in the period with no row after it there
    # (rare: a year's gap) looks its next visit up in the (client, starts_at) index.
    horizon = timedelta(days=366)
    rows = Appointment.objects.filter(
        starts_at__gte=period.starts_at, starts_at__lt=period.ends_at + horizon
    )
    later = Appointment.objects.filter(
        client=OuterRef("client"), starts_at__gt=OuterRef("starts_at")
    )
    next_booked_at = Coalesce(
        _following("booked_at"),
        Subquery(later.order_by("starts_at").values("booked_at")[:1]),
        output_field=DateTimeField(),
    )
    attended = Q(starts_at__lt=period.ends_at, status__in=ATTENDED)
    if therapist is not None:
        attended &= Q(therapist=therapist)
    rows = _period_clients(rows, period, therapist).annotate(
        # CASE evaluates lazily: only the period's attended visits may look anything up.
        next_booked_at=Case(When(attended, then=next_booked_at), output_field=DateTimeField()),
    )
    same_day = Exact(TruncDate("next_booked_at", tzinfo=zone), TruncDate("starts_at", tzinfo=zone))
    counts = rows.aggregate(
        visits=Count("pk", filter=attended), rebooked=Count("pk", filter=attended & same_day)
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


# The row a lapsed plan gives: plain values, phones as stored (E.164), no model instances.
LAPSED_FIELDS = (
    "client__first_name",
    "client__last_name",
    "client__phone",
    "client__email",
    "therapist__user__first_name",
    "therapist__user__last_name",
    "last_visit",
    "frequency_weeks",
)
FREQUENCIES = dict(Frequency.choices)
# The page lists the longest gaps first; the CSV has every lapsed client.
LAPSED_SHOWN = 50


def _lapsed_row(values, now) -> dict:
    first, last, phone, email, t_first, t_last, last_visit, frequency = values
    return {
        "client": f"{first} {last}".strip(),
        "phone": str(phone or ""),
        "email": email,
        "therapist": f"{t_first} {t_last}".strip(),
        "last_visit": local_date(last_visit).isoformat() if last_visit else None,
        "days_since": (now - last_visit).days if last_visit else None,
        "frequency": FREQUENCIES.get(frequency, frequency),
    }


def lapsed(therapist=None, now=None) -> Iterator[dict]:
    """Every client lapsed from their active plan, longest gap first, with a phone (one query,
    read in chunks: a chain has thousands)."""
    now = now or timezone.now()
    rows = lapsed_plans(therapist, now).values_list(*LAPSED_FIELDS)
    return (_lapsed_row(values, now) for values in rows.iterator(chunk_size=2000))


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
    return [_lapsed_row(values[:-1], now) for values in rows], total


def section(period: Period, therapist=None) -> Section:
    back = came_back(period, therapist)
    rebooked = rebooked_at_checkout(period, therapist)
    first, total = lapsed_first(therapist, LAPSED_SHOWN)
    figures = [
        ("Clients on a plan seen in the period", back["clients"]),
        ("Came back within frequency + 7 days", back["came_back"]),
        ("Came back on time (%)", back["rate"]),
        ("Attended visits", rebooked["visits"]),
        ("Rebooked at checkout", rebooked["rebooked"]),
        ("Rebooked at checkout (%)", rebooked["rate"]),
        ("Clients lapsed from an active plan (now)", total),
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
        first,
        empty="No client has lapsed from an active plan.",
        total=total,
        everything=lambda: lapsed(therapist),
    )
    return Section("retention", "Retention", figures=figures, tables=[summary, lapsed_table])
