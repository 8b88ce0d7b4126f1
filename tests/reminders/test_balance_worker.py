"""Balance reminders with a real Celery worker on the test Redis: one sent exactly once for an
unpaid invoice (also with the worker killed mid-send), none when it was paid first or the clinic
has not opted in, and the repeats stop at the clinic's maximum."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from clinic.billing.payments import record_payment
from clinic.core.tasks import ping
from clinic.reminders.balance import replan_balances
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus
from clinic.reminders.tasks import send_reminders
from tests.celery_worker import WorkerProcess, wait_for

from .mailbox import Outbox

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
LEASE_SECONDS = 2


@pytest.fixture(scope="module")
def mail_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("balance-mail")


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


@pytest.fixture
def outbox(mail_folder, settings):
    settings.REMINDER_CLAIM_SECONDS = LEASE_SECONDS
    box = Outbox(mail_folder)
    box.resume()
    box.clear()
    yield box
    box.resume()


@pytest.fixture
def worker(database_name, worker_env, outbox):
    process = WorkerProcess(database_name, env=worker_env).wait_ready()
    yield process
    process.stop()


def drain():
    """Wait until the worker has run every task queued so far."""
    assert ping.delay().get(timeout=60) == "pong"


def eight_days_ago():
    # Seven days after issue has passed: the first balance reminder is due.
    return timezone.now().replace(microsecond=0) - timedelta(days=8)


def balance_sent():
    return Reminder.objects.filter(kind=ReminderKind.BALANCE, status=ReminderStatus.SENT)


def dispatch_until(condition, timeout=60):
    """Run dispatch passes, as beat would, until `condition` holds."""
    wait_for(lambda: dispatch_pass() is not None and condition(), timeout=timeout, every=0.25)


def test_an_unpaid_invoice_gets_one_balance_reminder_exactly_once(
    balance_reminders_on, issued_invoice, worker, outbox
):
    invoice = issued_invoice(eight_days_ago())
    (row,) = Reminder.objects.filter(invoice=invoice)
    dispatch_until(lambda: balance_sent().exists())
    send_reminders.delay([row.pk])  # a redelivered task changes nothing
    dispatch_pass()
    drain()
    assert outbox.delivered() == {row.pk: 1}


def test_a_worker_killed_mid_send_still_sends_the_balance_reminder_once(
    balance_reminders_on, issued_invoice, database_name, worker_env, outbox
):
    row = Reminder.objects.get(invoice=issued_invoice(eight_days_ago()))
    first = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        outbox.pause()
        dispatch_pass()
        wait_for(outbox.paused_on)
        first.kill()  # SIGKILL inside the send, holding the client's lock
    finally:
        first.stop()
    outbox.resume()
    assert outbox.delivered() == {}
    second = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        dispatch_until(lambda: balance_sent().exists())
        drain()
    finally:
        second.stop()
    assert outbox.delivered() == {row.pk: 1}


def test_no_balance_reminder_when_paid_before_it_was_due(
    balance_reminders_on, issued_invoice, worker, outbox
):
    invoice = issued_invoice(eight_days_ago())
    record_payment(
        invoice=invoice, method="cash", amount=invoice.total, idempotency_key="k", by=None
    )
    assert dispatch_pass()["claimed"] == 0
    replan_balances()
    dispatch_pass()
    drain()
    assert outbox.delivered() == {} and not balance_sent().exists()


def test_no_balance_reminder_when_the_clinic_has_not_opted_in(issued_invoice, worker, outbox):
    issued_invoice(eight_days_ago())
    replan_balances()
    dispatch_pass()
    drain()
    assert outbox.delivered() == {} and not Reminder.objects.exists()


def test_balance_reminders_repeat_and_stop_at_the_maximum(
    balance_reminders_on, issued_invoice, worker, outbox
):
    issued_invoice(timezone.now().replace(microsecond=0) - timedelta(days=60))
    for round_ in range(1, 5):
        wanted = min(round_, 3)
        dispatch_until(lambda wanted=wanted: balance_sent().count() >= wanted, timeout=30)
        # Dated as sent at its due time, as if on its own day, so the next is not "today's".
        balance_sent().update(sent_at=F("due_at"))
        replan_balances()  # the hourly sweep plans the next one while the maximum allows
    dispatch_pass()
    drain()
    sent = list(balance_sent().values_list("pk", flat=True))
    assert len(sent) == balance_reminders_on.balance_reminder_max == 3
    assert outbox.delivered() == {pk: 1 for pk in sent}
    assert not Reminder.objects.filter(status=ReminderStatus.PENDING).exists()
