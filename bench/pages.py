"""Page benchmark: server time and queries of the chain's busiest pages, through the test client.

Run from the repository root:

    .venv/bin/python bench/pages.py            # fill a throwaway PostgreSQL, measure, drop it
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --keep   # fill once, reuse

Without DATABASE_URL it starts a private PostgreSQL cluster as bench/booking.py does. With it,
it uses the database `bench_pages` on that server, filled on the first run and (with `--keep`)
kept for the next. `--profile NAME` prints a cProfile of one page instead of the table.

The data is a chain's day: 100 therapists (each with a room, Monday to Saturday 8:00-20:00),
20,000 clients, 60 days of history and two weeks ahead (about 45,000 appointments) and one
client with three years of signed weekly notes. Each page is requested RUNS times after a
warm-up by a logged-in user of the page's role (middleware, queries, template, serializer);
the table gives the median and fastest wall-clock milliseconds, the least CPU time of this
process (Django's own work, without the database server's; steadier on a busy machine), and the
queries and size of one response.
"""

import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from datetime import time as wall
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from booking import ROOT, admin_sql, private_postgres, with_database  # noqa: E402

THERAPISTS = 100
CLIENTS = 20_000
HISTORY_DAYS = 60
NOTE_WEEKS = 156
RUNS = 15
DATABASE = "bench_pages"


def fill():
    """The chain's data (see the module docstring), in bulk inserts."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from clinic.accounts.models import Client, Role, Therapist, User
    from clinic.booking.models import Appointment, AppointmentStatus, Room, Service, WorkingHours
    from clinic.core.clinic_time import at_local, local_date, today
    from intake.models import Intake
    from sessions.models import SessionNote

    call_command("migrate", verbosity=0)
    rng = random.Random(13)
    password = make_password("bench-password")
    User.objects.bulk_create(
        [
            User(email="desk@bench.test", role=Role.FRONT_DESK, password=password),
            User(email="admin@bench.test", role=Role.CLINIC_ADMIN, password=password),
        ]
    )
    users = User.objects.bulk_create(
        User(
            email=f"t{n}@bench.test",
            first_name=rng.choice(["Maya", "Omar", "June", "Lea", "Sam", "Noor", "Ivan"]),
            last_name=f"Therapist{n:03d}",
            role=Role.THERAPIST,
            password=password,
        )
        for n in range(THERAPISTS)
    )
    therapists = Therapist.objects.bulk_create(
        Therapist(user=u, calendar_token=f"bench-token-{u.pk:032d}") for u in users
    )
    rooms = Room.objects.bulk_create(Room(name=f"Room {n + 1}") for n in range(THERAPISTS))
    services = Service.objects.bulk_create(
        [
            Service(name="Gluteal release 60 min", duration_minutes=60, buffer_minutes=15),
            Service(name="Low back and hips 45 min", duration_minutes=45, buffer_minutes=15),
            Service(name="Follow-up 30 min", duration_minutes=30, buffer_minutes=10),
        ]
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=t, weekday=d, start_time=wall(8), end_time=wall(20), room=r)
        for t, r in zip(therapists, rooms, strict=True)
        for d in range(6)
    )
    surnames = ["Gagnon", "Roy", "Tremblay", "Smith", "Nguyen", "Martin", "Singh", "Cote"]
    clients = Client.objects.bulk_create(
        (
            Client(
                first_name=f"Client{n}",
                last_name=f"{rng.choice(surnames)}{n % 997}" if n % 50 else "Gagnon",
                email=f"client{n}@bench.test",
                phone=f"+1416555{n:04d}"[:12],
            )
            for n in range(CLIENTS)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    Intake.objects.bulk_create(
        (
            Intake(
                client=c,
                answers={},
                outcome="clear",
                rules_version="bench",
                signature="x",
                consented_at=now,
                submitted_at=now,
                valid_until=now + timedelta(days=90),
            )
            for c in clients[: CLIENTS * 2 // 3]
        ),
        batch_size=5000,
    )
    pool = CLIENTS // THERAPISTS  # each therapist's own clients: none is in two rooms at once
    rows = []
    first_day, last_day = today() - timedelta(days=HISTORY_DAYS), today() + timedelta(days=14)
    for index, (therapist, room) in enumerate(zip(therapists, rooms, strict=True)):
        own = clients[index * pool + 1 : (index + 1) * pool]
        day = first_day
        while day <= last_day:
            moment, closing = at_local(day, wall(8)), at_local(day, wall(20))
            while day.weekday() < 6:
                service = rng.choice(services)
                if moment + service.duration > closing:
                    break
                if rng.random() < (0.9 if day < today() else 0.5):
                    status = AppointmentStatus.BOOKED
                    if moment < now:
                        status = rng.choices(
                            [AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED],
                            [94, 6],
                        )[0]
                    rows.append(
                        Appointment(
                            client=rng.choice(own),
                            therapist=therapist,
                            room=room,
                            service=service,
                            starts_at=moment,
                            ends_at=moment + service.duration,
                            busy_until=moment + service.duration + service.buffer,
                            status=status,
                            booked_at=moment - timedelta(days=7),
                        )
                    )
                    moment += service.duration + service.buffer
                else:
                    moment += timedelta(minutes=30)
            day += timedelta(days=1)
    # The record client: three years of weekly visits on Sundays, when nobody else works.
    record_client, therapist = clients[0], therapists[0]
    record_client.primary_therapist = therapist
    record_client.save(update_fields=["primary_therapist"])
    sundays = [
        today() - timedelta(days=today().weekday() + 1) - timedelta(weeks=w)
        for w in range(NOTE_WEEKS)
    ]
    visits = [
        Appointment(
            client=record_client,
            therapist=therapist,
            room=rooms[0],
            service=services[0],
            starts_at=at_local(day, wall(10)),
            ends_at=at_local(day, wall(11)),
            busy_until=at_local(day, wall(11, 15)),
            status=AppointmentStatus.COMPLETED,
        )
        for day in sundays
    ]
    Appointment.objects.bulk_create(rows + visits, batch_size=5000)
    SessionNote.objects.bulk_create(
        SessionNote(
            appointment=visit,
            client=record_client,
            therapist=therapist,
            session_on=local_date(visit.starts_at),
            subjective="Low back ache after sitting.",
            pain_before=rng.randint(4, 8),
            pain_after=rng.randint(1, 4),
            signed_at=visit.ends_at,
            signed_by=therapist.user,
            content_hash="bench",
        )
        for visit in visits
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return len(rows) + len(visits)


def pages():
    """(name, role's user email, path) of every page measured."""
    from clinic.accounts.models import Client, Therapist
    from clinic.booking.models import Service
    from clinic.core.clinic_time import day_bounds, today, week_start

    busy_day = today() - timedelta(days=1 if today().weekday() != 0 else 2)
    monday = week_start(today()) + timedelta(days=7)
    start, end = day_bounds(monday)[0], day_bounds(monday + timedelta(days=7))[0]
    service = Service.objects.get(name="Gluteal release 60 min")
    record_client = Client.objects.filter(primary_therapist__isnull=False).get()
    therapist = Therapist.objects.get(pk=record_client.primary_therapist_id)
    week = f"{start.isoformat()}&end={end.isoformat()}".replace("+", "%2B")
    desk, own = "desk@bench.test", therapist.user.email
    day, free = f"date={busy_day}", f"service={service.pk}&start={week}"
    return [
        ("desk day view", desk, f"/booking/day/?{day}"),
        ("desk day view, 5th page of therapists", desk, f"/booking/day/?{day}&page=5"),
        ("desk week view", desk, f"/booking/week/?{day}"),
        ("week view, one therapist", desk, f"/booking/week/?{day}&therapist={therapist.pk}"),
        ("client search (Gagnon)", desk, "/booking/clients/?q=Gagnon"),
        ("client search (email)", desk, "/booking/clients/?q=client1234%40bench"),
        ("availability API, week x 100", desk, f"/api/availability/?{free}"),
        ("client record, 3 years of notes", own, f"/treatment/clients/{record_client.pk}/record/"),
        ("appointment list API, first page", desk, "/api/appointments/"),
        ("appointment list API, one day", desk, f"/api/appointments/?{day}"),
    ]


def measure(profile=None):
    from django.db import connection
    from django.test import Client as HttpClient

    from clinic.accounts.models import User

    results = []
    for name, email, path in pages():
        if profile and profile not in name:
            continue
        http = HttpClient()
        http.force_login(User.objects.get(email=email))
        response = http.get(path)
        assert response.status_code == 200, (name, response.status_code)
        queries: list[str] = []

        def count(run, sql, *args, queries=queries):
            queries.append(sql)
            return run(sql, *args)

        with connection.execute_wrapper(count):
            http.get(path)
        if profile:
            profiler = cProfile.Profile()
            for _ in range(5):
                profiler.runcall(http.get, path)
            pstats.Stats(profiler).sort_stats(
                os.environ.get("BENCH_SORT", "cumulative")
            ).print_stats(45)
            continue
        timings, cpu = [], []
        for _ in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            http.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        results.append(
            (name, statistics.median(timings), min(timings), min(cpu), len(queries), response)
        )
    print(f"{'page':40}{'median':>9}{'fastest':>11}{'cpu':>11}{'queries':>9}{'size':>10}")
    for name, median, fastest, least_cpu, count, response in results:
        size = len(response.content) / 1024
        print(
            f"{name:40}{median:>6.1f} ms{fastest:>8.1f} ms{least_cpu:>8.1f} ms"
            f"{count:>9}{size:>6.0f} KiB"
        )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from clinic.accounts.models import Therapist

    if not (_migrated() and Therapist.objects.exists()):
        print("filling...", flush=True)
        print(f"{fill():,} appointments", flush=True)
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    measure(profile)


def _migrated():
    from django.db import connection

    return "accounts_therapist" in connection.introspection.table_names()


def _create_once(base_url):
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if found.fetchone() is None:
            connection.execute(f"CREATE DATABASE {DATABASE}")


def run(base_url):
    admin_sql(base_url, f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(base_url, f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = with_database(base_url, DATABASE)
    try:
        main()
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(base_url, f"DROP DATABASE {DATABASE}")


if __name__ == "__main__":
    if os.environ.get("DATABASE_URL") and "--keep" in sys.argv:
        url = os.environ["DATABASE_URL"]
        if not url.rstrip("/").endswith("/" + DATABASE):
            _create_once(url)
            os.environ["DATABASE_URL"] = with_database(url, DATABASE)
        main()
    elif os.environ.get("DATABASE_URL"):
        run(os.environ["DATABASE_URL"])
    else:
        with private_postgres() as url:
            run(url)
