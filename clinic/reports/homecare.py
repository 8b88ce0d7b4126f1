"""Home-care adherence across active plans: practice days logged ÷ practice days planned.

For each active plan with home care, the planned days are the plan's weekdays between the later
of its start and the period's start, and the earlier of the period's end and today; the days
done are the practice logs in that window, at most one a day and never more than were planned.
"""

from datetime import date
from types import SimpleNamespace

from django.db.models import Count

from clinic.core.clinic_time import today
from sessions.homecare import practice_days
from sessions.models import PlanStatus, PracticeLog, TreatmentPlan

from .availability import weekday_counts
from .period import Period
from .tables import Chart, Section, Table, rate

BANDS = [(80, "80% or more"), (50, "50–79%"), (0, "under 50%")]


def plan_rows(period: Period, therapist=None, until: date | None = None) -> list[dict]:
    """Per active plan with home care: its therapist, days planned and done (two queries)."""
    until = min(period.end, until or today(period.zone))
    plans = TreatmentPlan.objects.filter(status=PlanStatus.ACTIVE).exclude(home_care=[])
    if therapist is not None:
        plans = plans.filter(therapist=therapist)
    # Plain values, not model instances: a chain has tens of thousands of active plans.
    plans = plans.values_list(
        "pk", "starts_on", "home_care", "therapist__user__first_name", "therapist__user__last_name"
    )
    # Practice days logged in the period, per plan; a plan's logs never predate it.
    logged = dict(
        PracticeLog.objects.filter(
            plan__in=plans.values("pk"), practiced_on__gte=period.start, practiced_on__lte=until
        )
        .values_list("plan")
        .annotate(n=Count("pk"))
        .values_list("plan", "n")
    )
    rows = []
    for pk, starts_on, home_care, first_name, last_name in plans:
        start = max(starts_on, period.start)
        if start > until:
            continue
        counts = weekday_counts(start, until)
        days = practice_days(SimpleNamespace(home_care=home_care))  # the rule reads home_care
        planned = sum(counts[day] for day in days)
        if planned:
            rows.append(
                {
                    "therapist": f"{first_name} {last_name}".strip(),
                    "planned": planned,
                    "done": min(logged.get(pk, 0), planned),
                }
            )
    return rows


def section(period: Period, therapist=None) -> Section:
    plans = plan_rows(period, therapist)
    by_therapist: dict[str, dict] = {}
    bands = {label: 0 for _, label in BANDS}
    for plan in plans:
        row = by_therapist.setdefault(
            plan["therapist"], {"therapist": plan["therapist"], "plans": 0, "planned": 0, "done": 0}
        )
        row["plans"] += 1
        row["planned"] += plan["planned"]
        row["done"] += plan["done"]
        share = 100 * plan["done"] / plan["planned"]
        bands[next(label for floor, label in BANDS if share >= floor)] += 1
    rows = sorted(by_therapist.values(), key=lambda row: row["therapist"])
    for row in rows:
        row["adherence_percent"] = rate(row["done"], row["planned"])
    planned = sum(plan["planned"] for plan in plans)
    done = sum(plan["done"] for plan in plans)
    figures = [
        ("Active plans with home care", len(plans)),
        ("Practice days planned", planned),
        ("Practice days done", done),
        ("Adherence (%)", rate(done, planned)),
    ]
    band_rows = [{"band": label, "plans": count} for label, count in bands.items()]
    chart = Chart(
        "bar",
        [row["band"] for row in band_rows],
        [{"label": "Active plans", "data": [row["plans"] for row in band_rows]}],
        "Plans",
    )
    tables = [
        Table(
            "homecare",
            "Home-care adherence per therapist (active plans)",
            [
                ("therapist", "Therapist"),
                ("plans", "Active plans"),
                ("planned", "Days planned"),
                ("done", "Days done"),
                ("adherence_percent", "Adherence (%)"),
            ],
            rows,
        ),
        Table(
            "homecare-bands",
            "Active plans by adherence (the chart's data)",
            [("band", "Adherence"), ("plans", "Active plans")],
            band_rows,
        ),
    ]
    return Section("homecare", "Home-care adherence", figures=figures, tables=tables, chart=chart)
