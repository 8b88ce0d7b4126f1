"""Exactly once, with a real Celery worker on the test Redis: a batch, a worker killed mid-send,
two beats at once, two commands at once, a flushed Redis, and a rolled-back booking.

The worker delivers mail into a folder, one file per message named by its reminder id, so
each test counts deliveries per reminder. Claims lapse after 2 seconds here, so a reminder
whose task was lost is picked up again quickly.
"""

import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clinic.booking import booking
from clinic.core.tasks import ping
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus
from clinic.reminders.planning import plan_for_appointment
from clinic.reminders.tasks import send_reminders
from intake.services import submit_intake
from tests.celery_worker import BeatProcess, WorkerProcess, manage, wait_for
from tests.factories import AppointmentFactory, ClientFactory
from tests.intake.answers_fixtures import clear_answers

from .mailbox import Outbox

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
LEASE_SECONDS = 2


@pytest.fixture(scope="module")
def mail_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("reminder-mail")


@pytest.fixture(scope="module")
def worker_env(mail_folder):
    return {
        "EMAIL_BACKEND": "tests.reminders.mailbox.PausableFileBackend",
        "EMAIL_FILE_PATH": str(mail_folder),
        "REMINDER_CLAIM_SECONDS": str(LEASE_SECONDS),
    }


@pytest.fixture(scope="module")
def database_name(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return connection.settings_dict["NAME"]


@pytest.fixture(scope="module")
def worker(database_name, worker_env):
    """One worker for the tests that do not kill it."""
    process = WorkerProcess(database_name, env=worker_env).wait_ready()
    yield process
    process.stop()


@pytest.fixture
def outbox(mail_folder, settings):
    settings.REMINDER_CLAIM_SECONDS = LEASE_SECONDS
    box = Outbox(mail_folder)
    box.resume()
    box.clear()
    yield box
    box.resume()


def drain():
    """Wait until the worker has run every task queued so far (it runs them in order)."""
    assert ping.delay().get(timeout=60) == "pong"


@pytest.fixture
def due_batch(db):
    """`n` visits 47 hours 59 minutes ahead, each with its 48-hour reminder due a minute ago
    (planned as booking would have, an hour earlier); returns the due reminders' ids."""

    def make(n):
        now = timezone.now()
        for _ in range(n):
            client = ClientFactory()
            submit_intake(client, clear_answers(), None)
            visit = AppointmentFactory(
                client=client, starts_at=now + timedelta(hours=48) - timedelta(minutes=1)
            )
            plan_for_appointment(visit, now=now - timedelta(hours=1))
        due = Reminder.objects.filter(next_attempt_at__lte=timezone.now())
        ids = sorted(due.values_list("pk", flat=True))
        assert len(ids) == n
        return ids

    return make


def all_sent(ids):
    def all_sent():
        return Reminder.objects.filter(pk__in=ids, status=ReminderStatus.SENT).count() == len(ids)

    return all_sent


def dispatch_until_sent(ids, timeout=60):
    """Run dispatch passes, as beat would, until every reminder is sent."""
    deadline = time.monotonic() + timeout
    while not all_sent(ids)():
        assert time.monotonic() < deadline, "reminders were lost"
        dispatch_pass()
        time.sleep(0.25)


def test_a_batch_of_due_reminders_is_sent_once_each(worker, outbox, due_batch):
    ids = due_batch(20)
    assert dispatch_pass()["claimed"] == 20
    wait_for(all_sent(ids))
    for pk in ids:  # every reminder's task delivered a second time changes nothing
        send_reminders.delay([pk])
    send_reminders.delay(ids)
    drain()
    assert outbox.delivered() == {pk: 1 for pk in ids}
    assert set(Reminder.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_send_and_restarted_still_sends_each_once(
    database_name, worker_env, outbox, due_batch
):
    ids = due_batch(15)
    first = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        dispatch_pass()
        wait_for(lambda: len(outbox.delivered()) >= 5)
        outbox.pause()
        wait_for(outbox.paused_on)
        first.kill()  # SIGKILL, inside a send
    finally:
        first.stop()
    interrupted = outbox.paused_on()[0]
    assert outbox.delivered()[interrupted] == 0
    outbox.resume()
    second = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        dispatch_until_sent(ids)
        drain()
    finally:
        second.stop()
    assert outbox.delivered() == {pk: 1 for pk in ids}


def test_two_beats_at_once_still_send_each_reminder_once(
    worker, database_name, worker_env, outbox, due_batch
):
    env = {**worker_env, "REMINDER_DISPATCH_INTERVAL": "1"}
    beats = [BeatProcess(database_name, env).wait_started()]
    beats.append(BeatProcess(database_name, env).wait_started())
    try:
        with transaction.atomic():  # all due at once, with both beats already dispatching
            ids = due_batch(30)
        wait_for(all_sent(ids))
        wait_for(lambda: all("dispatch_due_reminders" in "".join(b.lines) for b in beats))
    finally:
        for beat in beats:
            beat.stop()
    drain()
    assert outbox.delivered() == {pk: 1 for pk in ids}


def test_two_send_due_reminders_commands_at_once_send_each_once(
    database_name, worker_env, outbox, due_batch
):
    ids = due_batch(40)
    commands = [
        manage(database_name, "send_due_reminders", "--batch-size", "4", env=worker_env)
        for _ in range(2)
    ]
    outputs = [command.communicate(timeout=120)[0] for command in commands]
    assert [c.returncode for c in commands] == [0, 0], outputs
    assert outbox.delivered() == {pk: 1 for pk in ids}
    handled = [int(out.strip().splitlines()[-1].split()[0]) for out in outputs]
    assert sum(handled) == 40


def test_a_flushed_redis_loses_no_reminder(worker, outbox, due_batch):
    ids = due_batch(15)
    outbox.pause()  # the worker holds its first send while the queue is wiped
    dispatch_pass()
    wait_for(outbox.paused_on)
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushall()
    outbox.resume()
    dispatch_until_sent(ids)
    drain()
    assert outbox.delivered() == {pk: 1 for pk in ids}


def test_a_rolled_back_booking_plans_and_sends_nothing(
    worker, outbox, a_client, therapist, bookable
):
    starts_at = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=30)
    # Working hours around the clock, so the test can book at any hour.
    therapist.working_hours.update(start_time="00:00", end_time="23:59")
    bookable.duration_minutes = 5
    bookable.save()

    def book():
        return booking.book(
            client=a_client,
            therapist=therapist,
            service=bookable,
            starts_at=starts_at,
            notify=False,
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        book()  # with no intake on file, its intake reminder would be due at once
        raise RuntimeError("the request failed after booking")
    dispatch_pass()
    drain()
    assert Reminder.objects.count() == 0 and outbox.delivered() == {}
    # The same booking committed: its intake reminder goes, once.
    visit = book()
    dispatch_pass()
    wait_for(lambda: len(outbox.delivered()) == 1)
    drain()
    (sent,) = Reminder.objects.filter(status=ReminderStatus.SENT)
    assert (sent.kind, sent.appointment) == (ReminderKind.INTAKE, visit)


def test_two_workers_and_two_beats_on_one_database_send_each_reminder_once(
    database_name, worker_env, outbox, due_batch
):
    """The scaled-out shape (docker compose up --scale worker=N, a second beat by mistake):
    both workers take sends at once, and still every reminder goes out once."""
    env = {**worker_env, "REMINDER_DISPATCH_INTERVAL": "1"}
    workers = [WorkerProcess(database_name, env=worker_env) for _ in range(2)]
    beats = []
    try:
        for process in workers:
            process.wait_ready()
        ids = due_batch(45)  # three send tasks of up to 20 ids
        outbox.pause()  # each worker holds its first send, so the second must take a task
        beats = [BeatProcess(database_name, env).wait_started() for _ in range(2)]
        # Two sends held at once: two workers each took a task (the module's worker, when it
        # runs, may hold a third).
        wait_for(lambda: len(outbox.paused_on()) >= 2)
        outbox.resume()
        wait_for(all_sent(ids))
        for beat in beats:
            beat.stop()
        time.sleep(LEASE_SECONDS * 2)  # a reminder claimed twice would be sent again by now
    finally:
        for process in [*beats, *workers]:
            process.stop()
    assert outbox.delivered() == {pk: 1 for pk in ids}
    assert set(Reminder.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}
