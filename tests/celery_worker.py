"""Celery worker, beat and management commands as subprocesses on the test database."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition, timeout=60, every=0.05):
    """Poll `condition` until it holds; fail after `timeout` seconds naming it."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition.__name__}")
        time.sleep(every)


def process_env(database_name, extra=None) -> dict:
    """The environment of a subprocess on the suite's server but the test database pytest-django
    made, with `extra` variables (settings) added or overridden."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", **(extra or {})}
    url = urlsplit(os.environ["DATABASE_URL"])
    env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + database_name))
    return env


class CeleryProcess:
    """A `celery` subprocess whose output is kept in `lines`; `started` is set once a line
    containing one of `markers` appears."""

    what = "Celery"
    markers: tuple[str, ...] = ()

    def __init__(self, database_name, args, env=None):
        self.lines = []
        self.started = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "clinic", *args],
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
            if any(marker in line for marker in self.markers):
                self.started.set()

    def wait_started(self, timeout=60):
        deadline = time.monotonic() + timeout
        while not self.started.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.what} did not start:\n" + "".join(self.lines[-40:]))
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


class WorkerProcess(CeleryProcess):
    """`celery worker` (solo pool) on the test Redis; wait_ready() waits until it says ready."""

    what = "Celery worker"
    markers = (" ready.",)

    def __init__(self, database_name, extra_args=(), env=None):
        if not os.environ.get("REDIS_URL"):
            raise RuntimeError("REDIS_URL is not set: bin/test starts a Redis for the tests.")
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        args = [
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
        ]
        super().__init__(database_name, args, env)

    wait_ready = CeleryProcess.wait_started


class BeatProcess(CeleryProcess):
    """`celery beat` with the project's DatabaseScheduler."""

    what = "Celery beat"
    markers = ("Writing entries", "beat: Waking up")

    def __init__(self, database_name, env=None):
        super().__init__(database_name, ["beat", "-l", "debug"], env)


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
