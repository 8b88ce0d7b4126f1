"""The texts sent in a test, through the SMS gateway's stand-in (clinic.reminders.sms's locmem
backend), emptied before and after each test.

Autouse where it is imported: the conftests of the apps that send texts (reminders, waitlist)
import it, so their tests never reach a gateway, and every other test keeps the configured one.
"""

import pytest

from clinic.reminders import sms


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "clinic.reminders.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
