"""A real Celery worker as a subprocess, on the test Redis and the test database."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    """Starts `celery worker` and waits until it says it is ready; stop() or kill() ends it."""

    def __init__(self, database_name, extra_args=(), env=None):
        """`env` adds or overrides environment variables (settings) for the worker."""
        if not os.environ.get("REDIS_URL"):
            raise RuntimeError("REDIS_URL is not set: bin/test starts a Redis for the tests.")
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", **(env or {})}
        # The same server as the suite, but the test database pytest-django made.
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + database_name))
        self.lines = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clinic",
                "worker",
                "-P",
                "solo",
                "-l",
                "info",
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *extra_args,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Celery worker did not start:\n" + "".join(self.lines[-40:]))
        return self

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
