"""Reminders really go out on the embedded default bin/run uses: SQLite (no SKIP LOCKED) and
kombu's filesystem broker, with a worker and beat as separate processes."""

import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.celery_worker import ROOT
from tests.clinic.test_sqlite_default import run, sqlite_env

from .mailbox import Outbox

pytestmark = pytest.mark.celery_worker

SETUP = """
import sys
from datetime import time, timedelta
import django
django.setup()
from django.utils import timezone
from clinic.core.models import ClinicSettings
from clinic.reminders.models import Reminder
from tests.factories import AppointmentFactory, ClientFactory, TherapistFactory

clinic = ClinicSettings.load()
clinic.quiet_hours_start = clinic.quiet_hours_end = time(0)
clinic.save()
due_at = timezone.now() - timedelta(minutes=1)
therapist = TherapistFactory()  # one password to hash, not one per visit
for n in range(int(sys.argv[1])):
    visit = AppointmentFactory(client=ClientFactory(), therapist=therapist,
                               starts_at=timezone.now() + timedelta(days=1, hours=2 * n))
    Reminder.objects.create(kind="appointment", client=visit.client, appointment=visit,
                            channel="email", due_at=due_at, next_attempt_at=due_at)
"""


def celery(role, env):
    args = ["worker", "-P", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", *(args if role == "worker" else [role])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def statuses(path):
    with sqlite3.connect(path) as db:
        return dict(db.execute("select id, status from reminders_reminder").fetchall())


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated SQLite file; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("sqlite")
    done = run(["manage.py", "migrate", "--no-input"], sqlite_env(folder))
    assert done.returncode == 0, done.stderr
    return folder / "tranquil.sqlite3"


@pytest.fixture
def sqlite_site(tmp_path, migrated):
    env = sqlite_env(tmp_path)
    env.update(
        EMAIL_BACKEND="tests.reminders.mailbox.PausableFileBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        REMINDER_DISPATCH_INTERVAL="1",
    )
    shutil.copy(migrated, env["SQLITE_PATH"])
    for folder in ("queue", "processed", "results"):
        (tmp_path / "var" / "celery" / folder).mkdir(parents=True)
    return env, Outbox(tmp_path / "mail")


def test_beat_and_a_worker_on_sqlite_and_the_filesystem_broker_send_each_reminder_once(
    sqlite_site,
):
    env, outbox = sqlite_site
    assert run(["-c", SETUP, "12"], env).returncode == 0
    processes = [celery("worker", env), celery("beat", env)]
    try:
        deadline = time.monotonic() + 90
        while sum(outbox.delivered().values()) < 12 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    assert set(statuses(env["SQLITE_PATH"]).values()) == {"sent"}
    assert sorted(outbox.delivered().values()) == [1] * 12


def test_two_commands_at_once_on_sqlite_send_each_reminder_once(sqlite_site):
    env, outbox = sqlite_site
    assert run(["-c", SETUP, "30"], env).returncode == 0
    commands = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_due_reminders", "--batch-size", "3"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [command.communicate(timeout=120)[0] for command in commands]
    assert [c.returncode for c in commands] == [0, 0], outputs
    assert set(statuses(env["SQLITE_PATH"]).values()) == {"sent"}
    assert sorted(outbox.delivered().values()) == [1] * 30
