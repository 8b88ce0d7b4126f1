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
