"""Text messages go to the client's number in E.164; the front desk's lists show it so too."""

from datetime import date

import pytest

from clinic.accounts.models import Client
from clinic.reminders.dispatch import dispatch_pass
from clinic.reminders.models import ReminderStatus, SkipReason

from .conftest import soon
from .test_sending import due

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(visit_for):
    return visit_for(soon(30))


def test_a_text_message_goes_to_the_number_in_e164(visit, both_channels, sms_outbox):
    both_channels.phone = "416-555-0199"
    both_channels.save()
    due(visit, channel="sms")
    dispatch_pass(inline=True)
    (text,) = sms_outbox
    assert text.to == "+14165550199"


def test_a_number_kept_as_typed_is_skipped_for_want_of_an_address(visit, both_channels, sms_outbox):
    # Only a number saved before numbers were checked can still be unreadable.
    Client.objects.filter(pk=both_channels.pk).update(phone="ask at the desk")
    reminder = due(visit, channel="sms")
    dispatch_pass(inline=True)
    reminder.refresh_from_db()
    assert sms_outbox == []
    assert (reminder.status, reminder.skip_reason) == (
        ReminderStatus.SKIPPED,
        SkipReason.NO_ADDRESS,
    )


def test_the_rebook_list_gives_the_phone_number_in_e164(client_as, plan_for, a_client):
    a_client.phone = "(416) 555-0199"
    a_client.save()
    plan_for(starts_on=date(2026, 1, 5))
    (entry,) = client_as("front_desk").get("/api/reminders/rebook/").json()
    assert entry["phone"] == "+14165550199"
