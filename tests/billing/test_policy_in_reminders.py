"""The appointment reminder tells the client the cancellation policy's fees."""

from decimal import Decimal

import pytest
from django.utils import timezone

from clinic.core.models import ClinicSettings
from clinic.reminders.compose import compose
from clinic.reminders.models import Channel, Reminder, ReminderKind

pytestmark = pytest.mark.django_db


def reminder_text(visit):
    reminder = Reminder.objects.create(
        kind=ReminderKind.APPOINTMENT,
        client=visit.client,
        appointment=visit,
        channel=Channel.EMAIL,
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    message = compose(reminder, ClinicSettings.load())
    return message.text + message.html


def test_the_reminder_names_the_late_cancellation_and_no_show_fees(make_visit):
    text = reminder_text(make_visit())
    assert "late cancellation, charged 30.00 CAD." in text
    assert "A missed visit is charged 40.00 CAD." in text


def test_a_clinic_without_fees_mentions_none(make_visit, clinic):
    clinic.late_cancel_fee = clinic.no_show_fee = Decimal("0")
    clinic.save()
    text = reminder_text(make_visit())
    assert "late cancellation." in text and "charged" not in text


@pytest.fixture
def card_required(clinic, settings):
    settings.PAYMENT_GATEWAY = "stripe"
    clinic.require_card_for_online_booking = True
    clinic.save()


def test_when_the_clinic_requires_a_card_the_reminder_names_the_one_on_file(
    make_visit, card_required, a_client
):
    from clinic.billing.models import CardOnFile

    CardOnFile.objects.create(
        client=a_client,
        customer="cus_1",
        payment_method="pm_1",
        brand="visa",
        last4="4242",
        exp_month=1,
        exp_year=2030,
    )
    text = reminder_text(make_visit())
    assert "The clinic keeps your card on file (Visa •••• 4242) for these fees." in text


def test_a_client_without_a_card_is_asked_for_one_when_the_clinic_requires_it(
    make_visit, card_required
):
    text = reminder_text(make_visit())
    assert "The clinic asks for a card on file for these fees" in text
    assert "/billing/mine/card/" in text


def test_no_word_of_a_card_when_the_clinic_does_not_require_one(make_visit):
    assert "card on file" not in reminder_text(make_visit())
