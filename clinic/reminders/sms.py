"""Text messages through a small pluggable backend, chosen by settings.SMS_BACKEND.

Development uses ConsoleBackend (prints) or FileBackend (appends one JSON line per message to
a file in settings.SMS_FILE_PATH); tests may use LocmemBackend (`sms.outbox`).

A real gateway is one more class: subclass BaseBackend, implement send_messages() with the
gateway's client, raise SmsError for anything the gateway refuses or cannot be reached about
(the reminder is then retried with backoff), and point SMS_BACKEND at it, e.g.
`SMS_BACKEND=clinic.reminders.sms_gateway.TwilioBackend`. Pass `message.reference` to the
gateway as its idempotency or client-reference key where it has one, so a retried send after a
crash mid-request is dropped by the gateway instead of delivered twice.
"""

import json
import os
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# Messages LocmemBackend has "sent", like django.core.mail.outbox.
outbox: list["SmsMessage"] = []
_file_lock = threading.Lock()


class SmsError(Exception):
    """The gateway refused the message or could not be reached."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    # A stable key for this message (e.g. "reminder-42"): the same on every retry.
    reference: str = ""


class BaseBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send the messages; return how many were sent, or raise SmsError."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages):
        for message in messages:
            self.stream.write(f"SMS to {message.to} [{message.reference}]\n{message.body}\n\n")
        self.stream.flush()
        return len(messages)


class FileBackend(BaseBackend):
    """One JSON line per message in SMS_FILE_PATH/sms.jsonl (appends are atomic per line)."""

    def __init__(self, path=None):
        self.folder = Path(path or settings.SMS_FILE_PATH)

    def send_messages(self, messages):
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lines = "".join(json.dumps(asdict(m)) + "\n" for m in messages)
            with _file_lock, open(self.folder / "sms.jsonl", "a", encoding="utf-8") as file:
                file.write(lines)
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            raise SmsError(f"Could not write {self.folder}: {error}") from error
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str, reference: str = "") -> None:
    """Send one text message through the configured backend (SmsError when it fails)."""
    get_backend().send_messages([SmsMessage(to=to, body=body, reference=reference)])
