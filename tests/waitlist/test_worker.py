"""The waitlist with a real Celery worker on the test Redis: a cancellation is offered and sent
once, a worker killed mid-send and a flushed Redis lose no offer and send none twice, and two
beats at once offer each slot to one client at a time.

The worker writes offer emails into a folder, one file per message named by its offer id.
"""

import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from clinic.booking import booking
from clinic.core.tasks import ping
from clinic.reminders.offers import enqueue_unsent
from clinic.reminders.tasks import send_waitlist_offer
from clinic.waitlist import offering
from clinic.waitlist.models import FreedSlot, Offer, OfferStatus
from tests.celery_worker import BeatProcess, WorkerProcess, wait_for
from tests.factories import AppointmentFactory
from tests.reminders.mailbox import Outbox

from .conftest import ten_am

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def mail_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("offer-mail")


@pytest.fixture(scope="module")
def worker_env(mail_folder):
    return {
        "EMAIL_BACKEND": "tests.waitlist.mailbox.OfferFileBackend",
        "EMAIL_FILE_PATH": str(mail_folder),
    }


@pytest.fixture(scope="module")
def database_name(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return connection.settings_dict["NAME"]


@pytest.fixture
def outbox(mail_folder):
    box = Outbox(mail_folder)
    box.resume()
    box.clear()
    yield box
    box.resume()


@pytest.fixture
def worker(database_name, worker_env):
    process = WorkerProcess(database_name, env=worker_env).wait_ready()
    yield process
    process.stop()


def drain():
    assert ping.delay().get(timeout=60) == "pong"


def sent(offer_ids=None):
    def sent_offers():
        rows = Offer.objects.filter(sent_at__isnull=False)
        if offer_ids is not None:
            rows = rows.filter(pk__in=offer_ids)
        return rows.count() >= (len(offer_ids) if offer_ids is not None else 1)

    return sent_offers


def send_until_sent(timeout=60):
    """Run the dispatch pass's offer step, as beat would, until every live offer is sent."""
    deadline = time.monotonic() + timeout
    while Offer.objects.filter(status=OfferStatus.OFFERED, sent_at__isnull=True).exists():
        assert time.monotonic() < deadline, "an offer was lost"
        enqueue_unsent(timezone.now() + timedelta(seconds=10))
        time.sleep(0.25)


def test_a_cancellation_is_offered_to_the_best_match_and_sent_once(worker, outbox, visit, waiting):
    best = waiting(created_at=timezone.now() - timedelta(days=5))
    waiting()
    booking.cancel(visit, reason="Flu", notify=False)
    cancelled_at = timezone.now()
    wait_for(sent())
    (offer,) = Offer.objects.all()
    latency = (offer.sent_at - cancelled_at).total_seconds()
    print(f"\ncancellation to first offer sent: {latency * 1000:.0f} ms")
    send_waitlist_offer.delay(offer.pk)  # a duplicate task changes nothing
    drain()
    assert offer.entry == best and offer.status == OfferStatus.OFFERED
    assert outbox.delivered() == {offer.pk: 1}
    assert latency < 10


def test_a_worker_killed_mid_send_loses_no_offer_and_sends_it_once(
    database_name, worker_env, outbox, visit, waiting
):
    waiting()
    first = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        outbox.pause()
        booking.cancel(visit, notify=False)
        wait_for(outbox.paused_on)
        first.kill()  # SIGKILL inside the send, after the offer was marked sent
    finally:
        first.stop()
    (offer,) = Offer.objects.all()
    assert offer.sent_at is None  # the killed send's mark rolled back
    assert outbox.delivered() == {}
    outbox.resume()
    second = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        send_until_sent()
        send_waitlist_offer.delay(offer.pk)
        drain()
    finally:
        second.stop()
    assert outbox.delivered() == {offer.pk: 1}


def test_a_flushed_redis_loses_no_offer_and_sends_none_twice(
    database_name, worker_env, outbox, visit, waiting
):
    waiting()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    booking.cancel(visit, notify=False)  # its offer task is queued, with no worker yet
    broker.flushall()
    assert offering.sweep()["offered"] == 1  # beat's sweep finds the open slot
    broker.flushall()  # and the offer's send task is lost too
    process = WorkerProcess(database_name, env=worker_env).wait_ready()
    try:
        send_until_sent()
        (offer,) = Offer.objects.all()
        send_waitlist_offer.delay(offer.pk)
        drain()
    finally:
        process.stop()
    assert outbox.delivered() == {offer.pk: 1}


def test_two_beats_offer_each_slot_to_one_client_at_a_time_and_send_each_once(
    worker, database_name, worker_env, outbox, waiting, hours, therapist, room, service
):
    for _ in range(3):
        waiting()
    visits = [
        AppointmentFactory(
            therapist=therapist, room=room, service=service, starts_at=ten_am() + timedelta(hours=h)
        )
        for h in range(3)
    ]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for visit in visits:
        booking.cancel(visit, notify=False)
    # Their sends too, before the rows go: a send still queued would deliver a deleted offer.
    wait_for(lambda: Offer.objects.filter(sent_at__isnull=False).count() == 3)
    drain()
    Offer.objects.all().delete()  # as if every offer task had been lost
    broker.flushall()
    outbox.clear()
    env = {**worker_env, "WAITLIST_SWEEP_INTERVAL": "1", "REMINDER_DISPATCH_INTERVAL": "1"}
    beats = [BeatProcess(database_name, env).wait_started() for _ in range(2)]
    try:
        wait_for(lambda: Offer.objects.filter(sent_at__isnull=False).count() == 3)
        time.sleep(3)  # a few more sweeps by both beats
    finally:
        for beat in beats:
            beat.stop()
    drain()
    offers = list(Offer.objects.all())
    assert len(offers) == 3 and len({o.slot_id for o in offers}) == 3
    assert FreedSlot.objects.count() == 3
    assert outbox.delivered() == {o.pk: 1 for o in offers}


def test_with_the_default_beat_a_lost_offer_task_is_made_good_within_a_sweep(
    worker, database_name, worker_env, outbox, visit, waiting, monkeypatch
):
    """The timing in the README: beat at its default intervals (60 s). A cancellation's offer
    normally goes out at once (its own task); with that task lost, the next sweep offers the
    slot and its send follows at once."""
    from clinic.waitlist import tasks

    waiting()
    beat = BeatProcess(database_name, worker_env).wait_started()
    try:
        # After beat's first sweep, so the lost task waits for a whole interval's next tick.
        wait_for(lambda: "sweep-waitlist" in "".join(beat.lines), every=0.2)
        monkeypatch.setattr(tasks.offer_slot, "delay", lambda *args: None)  # the task is lost
        booking.cancel(visit, notify=False)
        cancelled_at = timezone.now()
        wait_for(sent(), timeout=settings.WAITLIST_SWEEP_INTERVAL + 15, every=0.2)
    finally:
        beat.stop()
    (offer,) = Offer.objects.all()
    latency = (offer.sent_at - cancelled_at).total_seconds()
    print(f"\nlost offer task, default beat: cancellation to offer sent in {latency:.1f} s")
    drain()
    assert outbox.delivered() == {offer.pk: 1}
    assert latency <= settings.WAITLIST_SWEEP_INTERVAL + 10


def test_two_clients_accepting_two_offers_of_one_slot_make_one_booking(
    worker, outbox, visit, waiting, client
):
    """A stale link: the first client's offer lapsed and went to the second, who books it;
    the first then presses Book it too and is told the time is gone."""
    from django.urls import reverse

    from clinic.booking.models import Appointment, AppointmentStatus
    from clinic.waitlist import links

    waiting(created_at=timezone.now() - timedelta(days=3))
    waiting()
    booking.cancel(visit, notify=False)
    wait_for(sent())
    first = Offer.objects.get()
    offering.sweep(now=timezone.now() + timedelta(minutes=21))  # the hold ran out
    wait_for(lambda: Offer.objects.filter(sent_at__isnull=False).count() == 2)
    second = Offer.objects.get(status=OfferStatus.OFFERED)
    url = reverse("api-waitlist-answer")

    def accept(offer):
        body = {"token": links.make_token(offer), "answer": "accept"}
        return client.post(url, body, content_type="application/json")

    assert accept(second).status_code == 200
    stale = accept(first)
    assert stale.status_code == 409 and not stale.json()["booked"]
    booked = Appointment.objects.filter(status=AppointmentStatus.BOOKED)
    assert [a.client_id for a in booked] == [second.client_id]
    drain()
    assert outbox.delivered() == {first.pk: 1, second.pk: 1}


def test_hours_added_are_offered_and_sent_once_by_the_worker(
    worker, outbox, waiting, therapist, room
):
    from datetime import time

    from clinic.booking import catalog
    from clinic.waitlist.models import FreedReason

    entry = waiting()
    day = timezone.localdate() + timedelta(days=2)
    rows = [catalog.HoursRow(day.weekday(), time(9), time(17), room)]
    opened_at = timezone.now()
    catalog.set_weekly_hours(therapist=therapist, rows=rows, by=None)
    wait_for(sent())
    (offer,) = Offer.objects.all()
    print(f"\nhours added to offer sent: {(offer.sent_at - opened_at).total_seconds():.2f} s")
    send_waitlist_offer.delay(offer.pk)  # a duplicate task changes nothing
    drain()
    assert (offer.entry, offer.slot.reason) == (entry, FreedReason.HOURS)
    assert outbox.delivered() == {offer.pk: 1}
