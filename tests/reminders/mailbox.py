"""A file email backend for worker tests: one file per message, named by its reminder id.

It stands in for the mail server, outside the product. A test counts deliveries per reminder
from the file names, and can hold the next delivery mid-send: while a file named `pause`
exists in the folder, a send first leaves `paused-<reminder id>` there and waits, which lets
a test kill the worker at a known point inside a send.
"""

import time
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

PAUSE = "pause"


class PausableFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        for message in email_messages:
            reminder = message.extra_headers.get("X-Tranquil-Reminder", "other")
            if (self.folder / PAUSE).exists():
                (self.folder / f"paused-{reminder}").touch()
                deadline = time.monotonic() + 60
                while (self.folder / PAUSE).exists() and time.monotonic() < deadline:
                    time.sleep(0.02)
            path = self.folder / f"{reminder}-{uuid.uuid4().hex}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)


class Outbox:
    """The test's view of the folder the worker's backend writes to."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def clear(self):
        for path in self.folder.iterdir():
            path.unlink()

    def delivered(self) -> Counter:
        """How many messages each reminder id got."""
        return Counter(int(p.name.split("-")[0]) for p in self.folder.glob("[0-9]*.eml"))

    def pause(self):
        (self.folder / PAUSE).touch()

    def resume(self):
        (self.folder / PAUSE).unlink(missing_ok=True)

    def paused_on(self) -> list[int]:
        return [int(p.name.split("-")[1]) for p in self.folder.glob("paused-*")]
