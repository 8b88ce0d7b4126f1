"""Reports benchmark: each report's time on a chain's data.

Run from the repository root:

    .venv/bin/python bench/reports.py               # full: 100 therapists, ~1,000,000 visits
    .venv/bin/python bench/reports.py --scale 0.1   # a tenth of the history (~100,000 visits)

Without DATABASE_URL it starts a private, throwaway PostgreSQL cluster (bench/booking.py's) and
removes it afterwards; with DATABASE_URL it creates and drops a database `bench_reports` there.

Until the chain seed (`seed_chain`) exists, it fills the database itself, in SQL for speed:
100 therapists (each with a room, Monday to Saturday 8:00-20:00), 200 clients per therapist,
nine visits a day per therapist over `scale` x 1,300 days of history and the next two weeks
(90% attended, 6% cancelled, 4% no-shows in the past), an appointment reminder per visit (some
confirmed or cancelled from their link), a plan per client (half active, with home care), signed
notes for each client's first six visits from its start day (below) and practice logs over the
last eight weeks. Triggers (history, append-only guards) are off while it fills; the exclusion
constraints stay on.

With DATABASE_URL, `--keep` leaves the filled database `bench_reports` in place and `--reuse`
measures it again without filling (for trying a change to a report on the same data).

Each client's charted treatment (its signed notes) starts on a day of its own, spread evenly
over the history, so the outcomes report (clients whose first signed note is in the period) has
a real cohort at every scale: about 28% of the clients over the last year at full scale.

It prints the median time of each report over the last four weeks and over the last year, for
every therapist (the clinic admin's view) and for one therapist. Target: under 1 s each.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from booking import admin_sql, private_postgres, with_database  # noqa: E402

THERAPISTS = 100
CLIENTS_PER_THERAPIST = 200
FULL_DAYS = 1300
RUNS = 3


def run_worker(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    env["DEBUG"] = "false"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def orchestrate(base_url, scale, keep=False, reuse=False):
    """Fill (unless `reuse`: measure the database a `keep` run left), measure, drop (unless
    `keep`)."""
    name = "bench_reports"
    url = with_database(base_url, name)
    if reuse:
        counts = {"appointments": run_worker(url, "--count")["appointments"]}
    else:
        admin_sql(base_url, f"DROP DATABASE IF EXISTS {name}")
        admin_sql(base_url, f"CREATE DATABASE {name}")
        days = max(int(FULL_DAYS * scale), 28)
        print(f"filling: {THERAPISTS} therapists, {days} days of history...", flush=True)
        started = time.perf_counter()
        counts = run_worker(url, "--fill", str(days))
        print(f"filled in {time.perf_counter() - started:.0f} s: {json.dumps(counts)}", flush=True)
    results = run_worker(url, "--measure")
    if not keep:
        admin_sql(base_url, f"DROP DATABASE {name}")
    print()
    print(
        f"{'report (median of ' + str(RUNS) + ' runs, ms)':34}"
        + "".join(f"{label:>14}" for label in results["columns"])
    )
    for key, row in results["rows"].items():
        print(f"{key:34}" + "".join(f"{value:>14.0f}" for value in row))
    print(f"\nappointments: {counts['appointments']:,}; target: each report under 1,000 ms")


# --- inside the worker process, with Django set up on the benchmark database ----------------

SEED_SQL = """
SET session_replication_role = replica;
SELECT setseed(0.7);
INSERT INTO booking_appointment (client_id, therapist_id, room_id, service_id, starts_at,
    ends_at, busy_until, status, booked_at, self_booked, refer_override_reason,
    cancellation_reason, late_cancellation, updated_at)
SELECT c.id, t.therapist_id, t.room_id, %(service)s, s.starts_at,
    s.starts_at + interval '60 minutes', s.starts_at + interval '75 minutes',
    CASE WHEN s.starts_at > now() THEN 'booked'
         WHEN s.r < 0.06 THEN 'cancelled' WHEN s.r < 0.10 THEN 'no_show' ELSE 'completed' END,
    CASE WHEN s.r2 < 0.3 THEN s.starts_at - interval '7 days' + interval '1 hour' * (s.r2 * 10)
         ELSE s.starts_at - interval '8 days' END,
    false, '', '', s.r < 0.02, now()
FROM (SELECT row_number() OVER (ORDER BY th.id) - 1 AS n, th.id AS therapist_id, r.id AS room_id
      FROM accounts_therapist th JOIN booking_room r ON r.name = 'Room ' || th.id) t
CROSS JOIN LATERAL (
    SELECT ((d::date + time '08:00' + slot * interval '75 minutes')
            AT TIME ZONE %(zone)s) AS starts_at, random() AS r, random() AS r2,
           (d::date - %(first)s::date) * 9 + slot AS k
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') d,
         generate_series(0, 8) slot
    WHERE extract(isodow FROM d) < 7
) s
JOIN accounts_client c ON c.id = %(first_client)s + t.n * %(pool)s + (s.k * 7919) %% %(pool)s;
INSERT INTO reminders_reminder (kind, client_id, appointment_id, channel, due_at,
    next_attempt_at, status, skip_reason, attempts, last_error, sent_at, response,
    responded_at, created_at, updated_at)
SELECT 'appointment', a.client_id, a.id, CASE WHEN a.id %% 3 = 0 THEN 'sms' ELSE 'email' END,
    a.starts_at - interval '48 hours', a.starts_at - interval '48 hours',
    CASE WHEN a.starts_at - interval '48 hours' > now() THEN 'pending'
         WHEN a.id %% 50 = 0 THEN 'failed' WHEN a.id %% 40 = 0 THEN 'skipped' ELSE 'sent' END,
    CASE WHEN a.id %% 40 = 0 AND a.id %% 50 <> 0 THEN 'opted_out' ELSE '' END, 1, '',
    CASE WHEN a.starts_at - interval '48 hours' <= now() THEN a.starts_at - interval '48 hours'
    END,
    CASE WHEN a.id %% 5 = 0 THEN 'confirmed' WHEN a.status = 'cancelled' THEN 'cancelled'
         ELSE '' END,
    NULL, now(), now()
FROM booking_appointment a;
INSERT INTO treatment_treatmentplan (client_id, therapist_id, status, goals, target_muscles,
    techniques, avoid_regions, frequency_weeks, visits_planned, home_care, review_on, notes,
    starts_on, created_at, updated_at)
SELECT c.id, c.primary_therapist_id, CASE WHEN c.id %% 2 = 0 THEN 'active' ELSE 'completed' END,
    '[]', '[]', '[]', '[]', 1 + c.id %% 2, 6,
    '[{"tool": "ball", "technique": "kneading", "minutes": 5, "days": ["mon", "wed", "fri"]}]',
    current_date + 30, '', current_date - 400, now() - interval '400 days', now()
FROM accounts_client c;
INSERT INTO treatment_sessionnote (appointment_id, client_id, therapist_id, treatment_plan_id,
    session_on, subjective, objective, assessment, plan, pain_before, pain_after, techniques,
    trigger_points, body_map, client_response, home_care, psfs, created_at, updated_at,
    signed_at, signed_by_id, content_hash, charted_late)
SELECT v.id, v.client_id, v.therapist_id, p.id, (v.starts_at AT TIME ZONE %(zone)s)::date,
    '', '', '', '', greatest(0, 7 - v.n + (v.id %% 3)), greatest(0, 5 - v.n), '[]', '[]', '{}', '',
    '', CASE WHEN v.n IN (1, 5) THEN
        jsonb_build_array(jsonb_build_object('activity', 'Sitting', 'score', v.n + 2))
        ELSE '[]'::jsonb END,
    v.starts_at, v.starts_at, v.starts_at, u.id, repeat('x', 64), false
FROM (SELECT a.*, row_number() OVER (PARTITION BY a.client_id ORDER BY a.starts_at) AS n
      FROM booking_appointment a
      WHERE a.status = 'completed'
        AND a.starts_at >= %(first)s::date + (a.client_id %% %(days)s) * interval '1 day') v
JOIN treatment_treatmentplan p ON p.client_id = v.client_id
JOIN accounts_therapist th ON th.id = v.therapist_id
JOIN accounts_user u ON u.id = th.user_id
WHERE v.n <= 6;
INSERT INTO treatment_practicelog (client_id, plan_id, practiced_on, done_at, source)
SELECT p.client_id, p.id, d::date, now(), 'reminder'
FROM treatment_treatmentplan p, generate_series(current_date - 56, current_date, '1 day') d
WHERE p.status = 'active' AND (p.id + extract(doy FROM d)::int) %% 3 <> 0;
SET session_replication_role = DEFAULT;
"""


def fill(history_days):
    from datetime import time as wall
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from clinic.accounts.models import Client, Role, Therapist, User
    from clinic.booking.models import Appointment, Room, Service, WorkingHours
    from clinic.core.clinic_time import clinic_zone, today

    call_command("migrate", verbosity=0)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"t{n}@bench.test",
            first_name=f"Therapist{n:03d}",
            last_name="Bench",
            role=Role.THERAPIST,
            password=password,
        )
        for n in range(THERAPISTS)
    )
    therapists = Therapist.objects.bulk_create(
        Therapist(user=u, calendar_token=f"bench-token-{u.pk:032d}") for u in users
    )
    Room.objects.bulk_create(Room(name=f"Room {t.pk}") for t in therapists)
    service = Service.objects.create(
        name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=15
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=t, weekday=d, start_time=wall(8), end_time=wall(20))
        for t in therapists
        for d in range(6)
    )
    clients = Client.objects.bulk_create(
        (
            Client(
                first_name=f"Client{n}",
                last_name="Bench",
                email=f"c{n}@bench.test",
                phone=f"+1416555{n % 10000:04d}",
                primary_therapist=therapists[n // CLIENTS_PER_THERAPIST],
            )
            for n in range(THERAPISTS * CLIENTS_PER_THERAPIST)
        ),
        batch_size=5000,
    )
    params = {
        "service": service.pk,
        "zone": str(clinic_zone()),
        "first": today() - timedelta(days=history_days),
        "last": today() + timedelta(days=14),
        "first_client": clients[0].pk,
        "pool": CLIENTS_PER_THERAPIST,
        "days": history_days,
    }
    with connection.cursor() as cursor:
        for statement in SEED_SQL.split(";\n"):
            if statement.strip():
                cursor.execute(statement, params)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"appointments": Appointment.objects.count()}


def measure():
    from datetime import timedelta

    from clinic.accounts.models import Therapist
    from clinic.core.clinic_time import clinic_zone, today
    from clinic.reports import sections
    from clinic.reports.period import Period

    zone, end = clinic_zone(), today()
    one = Therapist.objects.order_by("pk").first()
    views = [
        ("4 weeks, all", Period(end - timedelta(days=27), end, zone), None),
        ("year, all", Period(end - timedelta(days=365), end, zone), None),
        ("4 weeks, one", Period(end - timedelta(days=27), end, zone), one),
        ("year, one", Period(end - timedelta(days=365), end, zone), one),
    ]
    rows = {}
    for key in sections.REPORTS:
        row = []
        for _, period, therapist in views:
            sections.report(key, period, therapist)  # warm up
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                sections.report(key, period, therapist)
                timings.append((time.perf_counter() - started) * 1000)
            row.append(statistics.median(timings))
        rows[key] = row
    return {"columns": [label for label, _, _ in views], "rows": rows}


def worker(args):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args[0] == "--fill":
        print(json.dumps(fill(int(args[1]))))
    elif args[0] == "--count":
        from clinic.booking.models import Appointment

        print(json.dumps({"appointments": Appointment.objects.count()}))
    else:
        print(json.dumps(measure()))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--fill", "--measure", "--count"):
        worker(sys.argv[1:])
    else:
        scale = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
        keep, reuse = "--keep" in sys.argv, "--reuse" in sys.argv
        if os.environ.get("DATABASE_URL"):
            orchestrate(os.environ["DATABASE_URL"], scale, keep, reuse)
        else:
            with private_postgres() as url:
                orchestrate(url, scale)
