"""A file email backend for the waitlist's worker tests: one file per message, named by its
offer id, that can hold a send mid-way (see tests/reminders/mailbox.py, whose Outbox reads it)."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from tests.reminders.mailbox import PAUSE


class OfferFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        for message in email_messages:
            offer = message.extra_headers.get("X-Tranquil-Offer")
            if offer is None:
                continue  # booking's own emails are not counted here
            if (self.folder / PAUSE).exists():
                (self.folder / f"paused-{offer}").touch()
                deadline = time.monotonic() + 60
                while (self.folder / PAUSE).exists() and time.monotonic() < deadline:
                    time.sleep(0.02)
            (self.folder / f"{offer}-{uuid.uuid4().hex}.eml").write_bytes(
                message.message().as_bytes()
            )
        return len(email_messages)
