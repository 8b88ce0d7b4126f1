"""Outcomes over a client's first six visits: did pain fall meaningfully, and PSFS change?

The cohort is the clients whose first signed session note falls in the period. Pain is the
score a client arrives with (pain before, as the latest amendment corrected it); it fell
meaningfully when the lowest of visits 2 to 6 is 2 points or 30% below visit 1's (the rule of
sessions/progress.py). PSFS change is the average score at the last PSFS taken within those six
visits minus the baseline's (signed scores). Clients with one scored visit are not judged yet.
"""

from django.db import connection

from sessions.progress import MEANINGFUL_FRACTION, MEANINGFUL_POINTS

from .period import Period
from .tables import Figure, Section, Table, rate

FIRST_VISITS = 6

# Plain SQL, so that the figures are summed in the database, however many clients start in a
# year. The cohort: clients with a signed note in the period (by the therapist, when given) and
# none before it, read by (client, session_on). Their signed notes are numbered in order, with
# pain before as the latest amendment corrected it (to nothing, too), and a PSFS average per
# note over its numeric scores; per client, visit 1's pain, the lowest of visits 2 to 6, and
# the PSFS averages taken within the six, in order.
OUTCOMES_SQL = """
WITH cohort AS (
    SELECT DISTINCT n.client_id FROM treatment_sessionnote n
    WHERE n.signed_at IS NOT NULL AND n.session_on >= %(start)s AND n.session_on <= %(end)s
      AND (%(therapist)s::bigint IS NULL OR n.therapist_id = %(therapist)s)
      AND NOT EXISTS (
          SELECT 1 FROM treatment_sessionnote e
          WHERE e.client_id = n.client_id AND e.signed_at IS NOT NULL
            AND e.session_on < %(start)s)
), visit AS (
    SELECT n.id, n.client_id, n.pain_before, n.psfs,
           row_number() OVER (PARTITION BY n.client_id ORDER BY n.session_on, n.id) AS number
    FROM treatment_sessionnote n
    WHERE n.signed_at IS NOT NULL AND n.client_id IN (SELECT client_id FROM cohort)
), fix AS (
    SELECT DISTINCT ON (a.note_id) a.note_id, (a.corrections ->> 'pain_before')::int AS pain
    FROM treatment_amendment a
    WHERE a.corrections ? 'pain_before'
    ORDER BY a.note_id, a.created_at DESC, a.id DESC
), scored AS (
    SELECT visit.client_id, visit.number,
           CASE WHEN fix.note_id IS NULL THEN visit.pain_before ELSE fix.pain END AS pain,
           (SELECT avg((entry ->> 'score')::numeric)
            FROM jsonb_array_elements(CASE jsonb_typeof(visit.psfs)
                                      WHEN 'array' THEN visit.psfs ELSE '[]' END) AS entry
            WHERE jsonb_typeof(entry -> 'score') = 'number') AS psfs
    FROM visit LEFT JOIN fix ON fix.note_id = visit.id
    WHERE visit.number <= %(visits)s
), client AS (
    SELECT max(pain) FILTER (WHERE number = 1) AS baseline,
           min(pain) FILTER (WHERE number > 1) AS lowest,
           array_agg(psfs ORDER BY number) FILTER (WHERE psfs IS NOT NULL) AS taken
    FROM scored GROUP BY client_id
)
SELECT count(*),
       count(*) FILTER (WHERE baseline IS NOT NULL AND lowest IS NOT NULL),
       count(*) FILTER (WHERE lowest < baseline AND (baseline - lowest >= %(points)s
           OR (baseline - lowest)::numeric / baseline >= %(fraction)s)),
       count(*) FILTER (WHERE cardinality(taken) >= 2),
       avg(taken[cardinality(taken)] - taken[1]) FILTER (WHERE cardinality(taken) >= 2)
FROM client
"""


def figures(period: Period, therapist=None) -> dict:
    """Clients who started in the period, those judged and improved, and PSFS change (one
    query). Pain fell meaningfully by sessions/progress.py's rule: 2 points or 30%."""
    params = {
        "start": period.start,
        "end": period.end,
        "therapist": therapist.pk if therapist is not None else None,
        "visits": FIRST_VISITS,
        "points": MEANINGFUL_POINTS,
        "fraction": MEANINGFUL_FRACTION,
    }
    with connection.cursor() as cursor:
        cursor.execute(OUTCOMES_SQL, params)
        clients, judged, improved, psfs_clients, psfs_change = cursor.fetchone()
    return {
        "clients": clients,
        "judged": judged,
        "improved": improved,
        "improved_rate": rate(improved, judged),
        "psfs_clients": psfs_clients,
        "psfs_change": round(float(psfs_change), 1) if psfs_change is not None else None,
    }


def section(period: Period, therapist=None) -> Section:
    result = figures(period, therapist)
    rows = [
        Figure("clients_started", "Clients who started treatment in the period", result["clients"]),
        Figure(
            "clients_judged", "Clients with pain scored at two visits or more", result["judged"]
        ),
        Figure("pain_improved", "Pain fell by 2 points or 30% within 6 visits", result["improved"]),
        Figure("pain_improved_rate", "Pain fell meaningfully (%)", result["improved_rate"]),
        Figure("psfs_clients", "Clients with two PSFS or more", result["psfs_clients"]),
        Figure("psfs_change", "Average PSFS change (points, 0–10)", result["psfs_change"]),
    ]
    table = Table(
        "outcomes",
        "Outcomes within the first 6 visits of clients who started in the period",
        [("measure", "Measure"), ("value", "Value")],
        [{"measure": label, "value": value} for label, value in rows],
    )
    return Section("outcomes", "Outcomes", figures=rows, tables=[table])
