"""Home-care adherence across active plans: practice days logged ÷ practice days planned.

For each active plan with home care, the planned days are the plan's weekdays between the later
of its start and the period's start, and the earlier of the period's end and today; the days
done are the practice logs in that window, at most one a day and never more than were planned.
"""

from datetime import date

from django.db import connection

from clinic.core.clinic_time import today
from sessions.models import PlanStatus
from sessions.vocab import Weekday

from .period import Period
from .tables import Chart, Figure, Section, Table, rate

BANDS = [(80, "80% or more"), (50, "50–79%"), (0, "under 50%")]

# Plain SQL, because a chain has tens of thousands of active plans. The database lists each
# plan's practice weekdays (from its home care, JSON) and first day in the period; plans share
# a handful of such shapes, so the days planned are counted once per shape (weekday w falls
# (until - first - gap) / 7 + 1 times, gap being the days from `first` to the first w), then
# summed per therapist with the days done and the plans in each band.
ADHERENCE_SQL = """
WITH plan AS MATERIALIZED (
    SELECT p.id, p.therapist_id, greatest(p.starts_on, %(start)s) AS first_day,
           jsonb_path_query_array(p.home_care, '$[*].days[*]') AS days
    FROM treatment_treatmentplan p
    WHERE p.status = %(active)s AND p.home_care <> '[]'::jsonb
      AND greatest(p.starts_on, %(start)s) <= %(until)s
      AND (%(therapist)s::bigint IS NULL OR p.therapist_id = %(therapist)s)
), shape AS (
    SELECT s.first_day, s.days, sum(
        CASE WHEN gap.days <= %(until)s - s.first_day
             THEN (%(until)s - s.first_day - gap.days) / 7 + 1 ELSE 0 END) AS planned
    FROM (SELECT DISTINCT first_day, days FROM plan) s
    CROSS JOIN LATERAL (
        SELECT DISTINCT array_position(%(weekdays)s, day) - 1 AS weekday
        FROM jsonb_array_elements_text(s.days) AS day
    ) practice
    CROSS JOIN LATERAL (
        SELECT (practice.weekday - extract(isodow FROM s.first_day)::int + 8) %% 7 AS days
    ) gap
    GROUP BY s.first_day, s.days
), judged AS (
    SELECT plan.therapist_id, shape.planned,
           least(coalesce(logged.days, 0), shape.planned) AS done
    FROM plan
    JOIN shape USING (first_day, days)
    LEFT JOIN (
        SELECT l.plan_id, count(*) AS days FROM treatment_practicelog l
        WHERE l.plan_id IN (SELECT id FROM plan)
          AND l.practiced_on >= %(start)s AND l.practiced_on <= %(until)s
        GROUP BY l.plan_id
    ) logged ON logged.plan_id = plan.id
    WHERE shape.planned > 0
)
SELECT u.first_name, u.last_name, count(*), sum(judged.planned)::bigint,
       sum(judged.done)::bigint,
       count(*) FILTER (WHERE judged.done * 100 >= judged.planned * %(high)s),
       count(*) FILTER (WHERE judged.done * 100 >= judged.planned * %(middle)s
                          AND judged.done * 100 < judged.planned * %(high)s),
       count(*) FILTER (WHERE judged.done * 100 < judged.planned * %(middle)s)
FROM judged
JOIN accounts_therapist t ON t.id = judged.therapist_id
JOIN accounts_user u ON u.id = t.user_id
GROUP BY t.id, u.first_name, u.last_name
ORDER BY u.first_name, u.last_name, t.id
"""


def therapist_rows(period: Period, therapist=None, until: date | None = None) -> list[dict]:
    """Per therapist: active plans with home care, days planned and done, and how many plans
    are in each band (one query)."""
    (high, _), (middle, _), _ = BANDS
    params = {
        "start": period.start,
        "until": min(period.end, until or today(period.zone)),
        "active": PlanStatus.ACTIVE.value,
        "therapist": therapist.pk if therapist is not None else None,
        "weekdays": [day.value for day in Weekday],  # Monday first, as date.weekday()
        "high": high,
        "middle": middle,
    }
    with connection.cursor() as cursor:
        cursor.execute(ADHERENCE_SQL, params)
        found = cursor.fetchall()
    return [
        {
            "therapist": f"{first} {last}".strip(),
            "plans": plans,
            "planned": planned,
            "done": done,
            "adherence_percent": rate(done, planned),
            "bands": bands,
        }
        for first, last, plans, planned, done, *bands in found
    ]


def section(period: Period, therapist=None) -> Section:
    rows = therapist_rows(period, therapist)
    bands = [row.pop("bands") for row in rows]  # the chart's, not the table's
    planned = sum(row["planned"] for row in rows)
    done = sum(row["done"] for row in rows)
    band_rows = [
        {"band": label, "plans": sum(counts[n] for counts in bands)}
        for n, (_, label) in enumerate(BANDS)
    ]
    figures = [
        Figure(
            "plans_with_home_care", "Active plans with home care", sum(row["plans"] for row in rows)
        ),
        Figure("days_planned", "Practice days planned", planned),
        Figure("days_done", "Practice days done", done),
        Figure("adherence_rate", "Adherence (%)", rate(done, planned)),
    ]
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
