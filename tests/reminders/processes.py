"""Celery beat and management commands as subprocesses on the test database (the worker is
tests/celery_worker.py's WorkerProcess)."""

import os
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from tests.celery_worker import ROOT


def process_env(database_name, extra=None) -> dict:
    """The environment of a subprocess using the test database, with `extra` settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", **(extra or {})}
    url = urlsplit(os.environ["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + database_name))
    return env


class BeatProcess:
    """`celery beat` with the project's DatabaseScheduler; waits until it has started."""

    def __init__(self, database_name, env=None):
        self.lines = []
        self.started = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "clinic", "beat", "-l", "debug"],
            cwd=ROOT,
            env=process_env(database_name, env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if "Writing entries" in line or "beat: Waking up" in line:
                self.started.set()

    def wait_started(self, timeout=60):
        deadline = time.monotonic() + timeout
        while not self.started.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Celery beat did not start:\n" + "".join(self.lines[-40:]))
        return self

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def manage(database_name, *args, env=None) -> subprocess.Popen:
    """Start `manage.py <args>` on the test database; the caller waits for it."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_env(database_name, env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
