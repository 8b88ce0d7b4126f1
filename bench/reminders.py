"""Reminders benchmark: 100,000 due reminders sent by a real worker on Redis, beside empty tasks.

Run from the repository root:

    .venv/bin/python bench/reminders.py [--reminders 100000] [--future 1000000]
        [--pool prefork --concurrency 2 | --pool solo] [--rounds 4]

Without DATABASE_URL it starts a private, throwaway PostgreSQL cluster the way bin/test does
(bench/booking.py's helper), and without REDIS_URL a private redis-server on a free port; both
go away afterwards. With DATABASE_URL set (a role that may create databases) it creates and
drops its own database `bench_reminders` there.

It starts one Celery worker shaped like docker-compose.yml's (prefork, two processes; `--pool
solo` for the one bin/run and the tests use) with Django's dummy email backend, and in
alternating rounds (so the machine's other load weighs on both alike) it plans a share of the
reminders in PostgreSQL (clients with visits ahead, five reminders each, all due; not timed),
then times:

1. empty tasks: as many no-op tasks as the round has reminders, through the same broker and
   worker, from the first enqueued until the last has run;
2. reminders: dispatch passes (the beat task's code: claim in batches, enqueue send tasks of
   up to 20 ids after each claim commits) until every reminder is sent, then checks each was
   sent exactly once (status sent, one attempt);
3. the due-row scan: the dispatcher's SELECT (500 due rows, FOR UPDATE SKIP LOCKED), median of
   30 runs, with no rows waiting in the future and then with `--future` (1,000,000) pending
   rows not yet due, and its query plan.

Targets: reminders per second at least half the empty-task rate; the scan flat.
"""

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking import admin_sql, free_port, private_postgres, with_database  # noqa: E402

CLIENTS, VISITS_EACH, REMINDERS_EACH = 2000, 10, 5
SCAN_RUNS, SCAN_DUE = 30, 1000


@contextmanager
def private_redis():
    if not shutil.which("redis-server"):
        sys.exit("Redis server not found (apt-get install redis-server), or set REDIS_URL.")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="tranquil-bench-redis.")
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def services():
    with (
        (
            private_postgres() if not os.environ.get("DATABASE_URL") else _given("DATABASE_URL")
        ) as postgres,
        private_redis() if not os.environ.get("REDIS_URL") else _given("REDIS_URL") as redis,
    ):
        yield postgres, redis


@contextmanager
def _given(name):
    yield os.environ[name]


def seed(reminders, batch=0):
    """Clients with visits ahead, and `reminders` appointment reminders all due now (`batch`
    keeps each round's names apart)."""
    from django.utils import timezone

    from clinic.accounts.models import Client, Role, Therapist, User
    from clinic.booking.models import Appointment, Room, Service
    from clinic.core.models import ClinicSettings
    from clinic.reminders.models import Reminder

    clinic = ClinicSettings.load()
    clinic.quiet_hours_start = clinic.quiet_hours_end  # no quiet hours: send whatever the hour
    clinic.save()
    clients_needed = reminders // (VISITS_EACH * REMINDERS_EACH)
    users = User.objects.bulk_create(
        User(email=f"t{batch}-{n}@bench.test", role=Role.THERAPIST, password="!")
        for n in range(clients_needed)
    )
    therapists = Therapist.objects.bulk_create(Therapist(user=u) for u in users)
    rooms = Room.objects.bulk_create(Room(name=f"Room {batch}-{n}") for n in range(clients_needed))
    service, _ = Service.objects.get_or_create(name="Bench massage", duration_minutes=60)
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client{n}", last_name="Bench", email=f"c{batch}-{n}@bench.test")
        for n in range(clients_needed)
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    visits = Appointment.objects.bulk_create(
        Appointment(
            client=client,
            therapist=therapist,
            room=room,
            service=service,
            starts_at=now + timedelta(days=3, hours=2 * k),
            ends_at=now + timedelta(days=3, hours=2 * k + 1),
            busy_until=now + timedelta(days=3, hours=2 * k + 1),
        )
        for client, therapist, room in zip(clients, therapists, rooms, strict=True)
        for k in range(VISITS_EACH)
    )
    due = timezone.now() - timedelta(minutes=5)
    Reminder.objects.bulk_create(
        (
            Reminder(
                kind="appointment",
                client_id=visit.client_id,
                appointment=visit,
                channel="email",
                due_at=due - timedelta(seconds=r),
                next_attempt_at=due - timedelta(seconds=r),
            )
            for visit in visits
            for r in range(REMINDERS_EACH)
        ),
        batch_size=5000,
    )
    return Reminder.objects.filter(status="pending").count()


def start_worker(env, pool, concurrency, log):
    args = ["-P", pool] + (["--concurrency", str(concurrency)] if pool != "solo" else [])
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clinic",
            "worker",
            *args,
            "-l",
            "warning",
            "-I",
            "bench.tasks",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from clinic.core.tasks import ping

    assert ping.delay().get(timeout=120) == "pong"
    return worker


def wait_drained():
    """Every task queued before this one has run (the solo worker takes them in order)."""
    from clinic.core.tasks import ping

    assert ping.delay().get(timeout=3600) == "pong"


def time_empty_tasks(count):
    """Seconds for `count` empty tasks, from the first enqueued to the last run."""
    from bench.tasks import empty

    started = time.perf_counter()
    with empty.app.producer_or_acquire() as producer:
        for _ in range(count):
            empty.apply_async(producer=producer)
    wait_drained()
    return time.perf_counter() - started


def time_reminders(count):
    """Seconds to send the `count` due reminders, from the first dispatch pass (the beat
    task's code) to the last one sent; then checks every reminder so far was sent once."""
    from clinic.reminders.dispatch import dispatch_pass
    from clinic.reminders.models import Reminder

    started = time.perf_counter()
    claimed = 0
    while claimed < count:
        claimed += dispatch_pass()["claimed"]
    wait_drained()
    pending = Reminder.objects.filter(status="pending")
    while pending.exists():  # a pool of several processes may finish the last ones later
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    wrong = Reminder.objects.exclude(status="sent", attempts=1).count()
    assert not wrong, f"{wrong} reminders were not sent exactly once"
    return elapsed


def scan_ms():
    """The dispatcher's due-row scan (as claim_due runs it), median of SCAN_RUNS, rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from clinic.reminders.dispatch import BATCH_SIZE
    from clinic.reminders.models import Reminder

    timings = []
    for _ in range(SCAN_RUNS):
        with transaction.atomic():
            due = (
                Reminder.objects.filter(status="pending", next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:BATCH_SIZE]
            )
            started = time.perf_counter()
            found = len(list(due))
            timings.append((time.perf_counter() - started) * 1000)
            plan = due.explain()
            transaction.set_rollback(True)
    assert found == BATCH_SIZE
    return statistics.median(timings), plan


def add_pending(count, *, future):
    """`count` pending practice reminders, due from now on (future) or due now, in SQL."""
    from datetime import date

    from django.db import connection

    from clinic.accounts.models import Client
    from sessions.models import TreatmentPlan

    client = Client.objects.first()
    plan, _ = TreatmentPlan.objects.get_or_create(
        client=client,
        defaults={
            "therapist_id": client.appointments.first().therapist_id,
            "review_on": date(2030, 1, 1),
        },
    )
    # Due from an hour ahead onwards, a second apart; or from a minute ago backwards.
    direction, offset = (1, "1 hour") if future else (-1, "1 minute")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reminders_reminder (kind, client_id, plan_id, channel, due_at,
                next_attempt_at, status, skip_reason, attempts, last_error, created_at,
                updated_at)
            SELECT 'practice', %s, %s, 'email', t, t, 'pending', '', 0, '', now(), now()
            FROM (SELECT now() + %s * (%s::interval + n * interval '1 second') AS t
                  FROM generate_series(1, %s) AS n) AS times
            """,
            [client.pk, plan.pk, direction, offset, count],
        )
        cursor.execute("ANALYZE reminders_reminder")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--future", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo"])
    parser.add_argument("--concurrency", type=int, default=2)
    options = parser.parse_args()
    each = options.reminders // options.rounds
    with services() as (postgres, redis), tempfile.TemporaryDirectory() as var:
        admin_sql(postgres, "DROP DATABASE IF EXISTS bench_reminders")
        admin_sql(postgres, "CREATE DATABASE bench_reminders")
        env = {
            **os.environ,
            "DATABASE_URL": with_database(postgres, "bench_reminders"),
            "REDIS_URL": redis,
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DEBUG": "false",
            # Production settings refuse to start without a key; a throwaway one serves here.
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "TRANQUIL_VAR_DIR": var,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # The whole backlog is claimed before the worker can send it all: no lease lapses.
            "REMINDER_CLAIM_SECONDS": "3600",
        }
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        print("migrating...", flush=True)
        call_command("migrate", verbosity=0)
        log = open(Path(var) / "worker.log", "w")  # noqa: SIM115 (closed below)
        worker = start_worker(env, options.pool, options.concurrency, log)
        empty_seconds = reminder_seconds = 0.0
        try:
            # Alternating rounds, so that whatever else the machine does weighs on both alike.
            for round_number in range(options.rounds):
                planned = seed(each, round_number)
                empty = time_empty_tasks(planned)
                sent = time_reminders(planned)
                empty_seconds, reminder_seconds = empty_seconds + empty, reminder_seconds + sent
                print(
                    f"round {round_number + 1}/{options.rounds}: {planned:,} empty tasks "
                    f"{planned / empty:,.0f}/s, {planned:,} reminders {planned / sent:,.0f}/s",
                    flush=True,
                )
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            log.close()
            errors = [
                line for line in Path(log.name).read_text().splitlines(True) if "ERROR" in line
            ]
            if errors:
                print("worker errors:\n" + "".join(errors[:20]))
        add_pending(SCAN_DUE, future=False)
        print("timing the due-row scan...", flush=True)
        scan_empty, _ = scan_ms()
        add_pending(options.future, future=True)
        scan_full, plan = scan_ms()
        from django.db import connections

        connections.close_all()
        admin_sql(postgres, "DROP DATABASE bench_reminders")
    total = each * options.rounds
    empty, reminders = total / empty_seconds, total / reminder_seconds
    shape = options.pool + (f" x{options.concurrency}" if options.pool != "solo" else "")
    print(f"\nworker: {shape}; {total:,} of each, in {options.rounds} alternating rounds")
    print(f"{'empty Celery tasks per second':44}{empty:>10,.0f}")
    print(
        f"{'reminders sent per second':44}{reminders:>10,.0f}   "
        f"({reminders / empty:.0%} of the empty-task rate; target at least 50%)"
    )
    print(f"{'due-row scan, 0 rows not yet due':44}{scan_empty:>10.2f} ms")
    print(
        f"{'due-row scan, ' + format(options.future, ',') + ' rows not yet due':44}"
        f"{scan_full:>10.2f} ms   ({scan_full / scan_empty:.2f}x; target flat)"
    )
    print(f"\nscan plan:\n{plan}")


if __name__ == "__main__":
    main()
