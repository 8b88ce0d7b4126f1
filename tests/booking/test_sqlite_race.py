"""On the embedded SQLite default there is no exclusion constraint: the booking service's check
and insert run under one IMMEDIATE write lock, so processes racing for a slot book it once."""

import subprocess
import sys
import time

from tests.clinic.test_sqlite_default import ROOT, run, sqlite_env

SETUP = """
import django
django.setup()
from datetime import time
from clinic.accounts.models import Client, Role, Therapist, User
from clinic.booking.models import Room, Service, WorkingHours
therapist = Therapist.objects.create(user=User.objects.create_user("t@x.test", role=Role.THERAPIST))
room = Room.objects.create(name="Willow")
Service.objects.create(name="Massage", duration_minutes=60, buffer_minutes=15)
for day in range(7):
    WorkingHours.objects.create(
        therapist=therapist, weekday=day, start_time=time(9), end_time=time(17), room=room
    )
for n in range(8):
    Client.objects.create(first_name=f"C{n}", last_name="Race")
print("ready")
"""

ATTEMPT = """
import django, sys, time
django.setup()
from datetime import datetime
from clinic.accounts.models import Client, Therapist
from clinic.booking.booking import BookingClash, book
from clinic.booking.models import Service
start = datetime.fromisoformat("2030-03-12T10:00:00-04:00")
time.sleep(max(0, float(sys.argv[2]) - time.time()))  # everyone starts together
try:
    book(client=Client.objects.get(first_name=sys.argv[1]), therapist=Therapist.objects.get(),
         service=Service.objects.get(), starts_at=start)
    print("booked")
except BookingClash as clash:
    print(clash.conflicts[0].kind)
"""


def test_processes_racing_for_one_slot_on_sqlite_book_it_once(tmp_path):
    env = sqlite_env(tmp_path)
    assert run(["manage.py", "migrate", "--no-input"], env).returncode == 0
    assert "ready" in run(["-c", SETUP], env).stdout
    go_at = time.time() + 6  # after every process has started Django
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", ATTEMPT, f"C{n}", str(go_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        assert racer.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["booked"] + ["therapist"] * 7
