"""A clinic without beat runs `send_due_reminders` from cron: it sweeps the waitlist too, so
freed slots are offered, offers sent, and held offers lapse to the next client. No worker runs
here, so only the command can send (the on-commit tasks of a test transaction never run)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from clinic.booking import booking
from clinic.waitlist.models import Offer, OfferStatus

pytestmark = pytest.mark.django_db


def run_command(capsys) -> str:
    call_command("send_due_reminders")
    return capsys.readouterr().out


def test_the_command_offers_a_freed_slot_and_sends_the_offer(visit, waiting, mailoutbox, capsys):
    entry = waiting()
    booking.cancel(visit, reason="Flu", notify=False)
    out = run_command(capsys)
    offer = Offer.objects.get()
    assert offer.entry == entry and offer.sent_at is not None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [entry.client.email]
    assert "Waitlist: 0 offers lapsed, 1 slots offered, 1 offers sent." in out
    assert out.strip().splitlines()[-1].startswith("0 due reminders handled")


def test_running_the_command_again_sends_nothing_twice(visit, waiting, mailoutbox, capsys):
    waiting()
    booking.cancel(visit, notify=False)
    run_command(capsys)
    out = run_command(capsys)
    assert Offer.objects.count() == 1 and len(mailoutbox) == 1
    assert "0 slots offered, 0 offers sent." in out


def test_the_command_lapses_a_held_offer_and_offers_the_next_client(
    visit, waiting, mailoutbox, capsys
):
    first = waiting(created_at=timezone.now() - timedelta(days=2))
    second = waiting(created_at=timezone.now() - timedelta(days=1))
    booking.cancel(visit, notify=False)
    run_command(capsys)
    Offer.objects.filter(entry=first).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = run_command(capsys)
    assert Offer.objects.get(entry=first).status == OfferStatus.LAPSED
    assert Offer.objects.get(entry=second).sent_at is not None
    assert [m.to for m in mailoutbox] == [[first.client.email], [second.client.email]]
    assert "1 offers lapsed, 1 slots offered, 1 offers sent." in out
