"""Booking benchmark: the day view and the free-slot search on a year of history, and on a tenth.

Run from the repository root:

    .venv/bin/python bench/booking.py

Without DATABASE_URL it starts a private, throwaway PostgreSQL cluster the way bin/test does
(initdb with trust auth into a temporary folder, as the postgres user when run as root, on a
free port, fsync off) and removes it afterwards. With DATABASE_URL set (a role that may create
databases), it creates and drops its own databases `bench_booking_full` and
`bench_booking_tenth` on that server instead.

Each database gets 30 therapists (each with a room, working Monday to Saturday 8:00-20:00),
4 services, 3,000 clients (two in three with an intake on file) and the given stretch of history
(a year: about 100,000 appointments, some cancelled or no-shows) plus the next two weeks half
booked. It prints the median server time of the front desk's day view (a full day, through
Django's test client: middleware, queries, template) and of the free-slot search for one week
across all therapists, for both sizes, and the growth between them.
Targets: slot search under 50 ms, growth under 1.5x.
"""

import glob
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import time as wall
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
THERAPISTS = 30
CLIENTS = 3000
RUNS = 10
ROUNDS = 3
SIZES = [("tenth", 30), ("full", 365)]  # days of history


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


@contextmanager
def private_postgres():
    """A throwaway cluster on a free port, stopped and deleted on exit (as bin/test does)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL server not found (apt-get install postgresql), or set DATABASE_URL.")
    pg_bin = Path(found[-1]).parent
    work = Path(tempfile.mkdtemp(prefix="tranquil-bench."))
    data = work / "pg"
    data.mkdir()
    if os.getuid() == 0:
        shutil.chown(work, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
        work.chmod(0o755)
    port = free_port()
    options = (
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        subprocess.run(
            as_postgres([str(pg_bin / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data)]),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            as_postgres(
                [
                    str(pg_bin / "pg_ctl"),
                    "-D",
                    str(data),
                    "-w",
                    "-l",
                    str(data / "log"),
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin_sql(url, statement):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def run_worker(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    env["DEBUG"] = "false"
    # Production settings refuse to start without a key; a throwaway one serves a benchmark.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    env["SECURE_SSL_REDIRECT"] = "false"  # the benchmark's client speaks plain http
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def orchestrate(base_url):
    """Fill both databases, then measure them in alternating rounds, so that whatever else the
    machine is doing weighs on both sizes alike."""
    urls, results = {}, {}
    for label, days in SIZES:
        name = f"bench_booking_{label}"
        admin_sql(base_url, f"DROP DATABASE IF EXISTS {name}")
        admin_sql(base_url, f"CREATE DATABASE {name}")
        urls[label] = with_database(base_url, name)
        print(f"filling {label} ({days} days of history)...", flush=True)
        results[label] = run_worker(urls[label], "--fill", str(days))
    for round_number in range(ROUNDS):
        print(f"measuring, round {round_number + 1} of {ROUNDS}...", flush=True)
        for label in urls:
            measured = run_worker(urls[label], "--measure")
            for key in ("day_view_ms", "slot_search_ms"):
                results[label].setdefault(key, []).extend(measured.pop(key))
            results[label].update(measured)
    for label in urls:
        admin_sql(base_url, f"DROP DATABASE bench_booking_{label}")
    report(results)


def report(results):
    tenth, full = results["tenth"], results["full"]
    print()
    print(f"{'':40}{'tenth':>10}{'full':>10}{'growth':>9}")
    print(f"{'appointments':40}{tenth['appointments']:>10,}{full['appointments']:>10,}")
    for key, label in [
        ("day_view_ms", "day view, median ms"),
        ("slot_search_ms", "slot search, 1 week x 30, median ms"),
    ]:
        small, large = statistics.median(tenth[key]), statistics.median(full[key])
        print(f"{label:40}{small:>10.1f}{large:>10.1f}{large / small:>8.2f}x")
    print(f"{'visits on the day view':40}{tenth['day_visits']:>10}{full['day_visits']:>10}")
    print(f"{'free slots found in the week':40}{tenth['slots']:>10,}{full['slots']:>10,}")
    print("\ntargets: slot search < 50 ms; growth < 1.5x")


# --- inside the worker process, with Django set up on one benchmark database ---------------


def fill(history_days):
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from clinic.accounts.models import Client, Role, Therapist, User
    from clinic.booking.models import (
        Appointment,
        AppointmentStatus,
        Room,
        Service,
        WorkingHours,
    )
    from clinic.core.clinic_time import at_local, today
    from intake.models import Intake

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"t{n}@bench.test",
            first_name=f"Therapist{n}",
            last_name="Bench",
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
            Service(name="Initial assessment 75 min", duration_minutes=75, buffer_minutes=15),
        ]
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(therapist=t, weekday=d, start_time=wall(8), end_time=wall(20), room=r)
        for t, r in zip(therapists, rooms, strict=True)
        for d in range(6)
    )
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client{n}", last_name="Bench", email=f"c{n}@bench.test")
        for n in range(CLIENTS)
    )
    now = timezone.now()
    Intake.objects.bulk_create(
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
    )
    # Each therapist sees their own pool of clients, so no client is ever in two rooms at once.
    pool = CLIENTS // THERAPISTS
    first_day, last_day = today() - timedelta(days=history_days), today() + timedelta(days=14)
    rows = []
    for index, (therapist, room) in enumerate(zip(therapists, rooms, strict=True)):
        own_clients = clients[index * pool : (index + 1) * pool]
        day = first_day
        while day <= last_day:
            if day.weekday() < 6:
                fill_rate = 0.93 if day < today() else 0.5
                moment = at_local(day, wall(8))
                closing = at_local(day, wall(20))
                while True:
                    service = rng.choice(services)
                    if moment + service.duration > closing:
                        break
                    if rng.random() < fill_rate:
                        status = AppointmentStatus.BOOKED
                        if moment < now:
                            status = rng.choices(
                                [
                                    AppointmentStatus.COMPLETED,
                                    AppointmentStatus.CANCELLED,
                                    AppointmentStatus.NO_SHOW,
                                ],
                                [90, 6, 4],
                            )[0]
                        rows.append(
                            Appointment(
                                client=rng.choice(own_clients),
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
                        moment += timedelta(minutes=rng.choice([15, 30, 45]))
            day += timedelta(days=1)
    Appointment.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return len(rows)


def timings_ms(action):
    action()  # warm up caches and the connection
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def measure():
    from django.test import Client as HttpClient

    from clinic.accounts.models import Role, User
    from clinic.booking.availability import free_slots
    from clinic.booking.models import Service
    from clinic.core.clinic_time import day_bounds, today, week_start

    desk, _ = User.objects.get_or_create(
        email="desk@bench.test", defaults={"role": Role.FRONT_DESK}
    )
    http = HttpClient()
    http.force_login(desk)
    # The busiest kind of day: yesterday, or Saturday when today is Monday (Sundays are off).
    busy_day = today() - timedelta(days=1 if today().weekday() != 0 else 2)
    day_url = f"/booking/day/?date={busy_day.isoformat()}"
    page = http.get(day_url)
    assert page.status_code == 200, page.status_code

    service = Service.objects.get(name="Gluteal release 60 min")
    monday = week_start(today()) + timedelta(days=7)
    start, end = day_bounds(monday)[0], day_bounds(monday + timedelta(days=7))[0]
    return {
        "day_visits": page.content.decode().count('class="visit '),
        "slots": len(free_slots(service, start, end)),
        "day_view_ms": timings_ms(lambda: http.get(day_url)),
        "slot_search_ms": timings_ms(lambda: free_slots(service, start, end)),
    }


def worker(args):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args[0] == "--fill":
        print(json.dumps({"appointments": fill(int(args[1]))}))
    else:
        print(json.dumps(measure()))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--fill", "--measure"):
        worker(sys.argv[1:])
    elif os.environ.get("DATABASE_URL"):
        orchestrate(os.environ["DATABASE_URL"])
    else:
        with private_postgres() as url:
            orchestrate(url)
