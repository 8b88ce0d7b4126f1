"""The embedded default (no DATABASE_URL): SQLite in WAL mode with IMMEDIATE transactions."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import django, sys
django.setup()
from django.db import transaction
from clinic.accounts.models import Client
for i in range(150):
    with transaction.atomic():
        # read, then write: the pattern that deadlocks under DEFERRED transactions
        n = Client.objects.filter(last_name=sys.argv[1]).count()
        Client.objects.create(first_name=f"w{n}", last_name=sys.argv[1])
print("done")
"""

PAGE = """
import django
django.setup()
from django.test import Client
response = Client().get("/accounts/login/")
assert response.status_code == 200, response.status_code
# SQLite keeps no history (no triggers): a plan changes and its page says so, without error.
from sessions.models import TreatmentPlan
from sessions.plans import save_plan
plan = TreatmentPlan.objects.first()
save_plan(plan.client, plan.therapist, {"visits_planned": 9}, plan.therapist.user, plan)
browser = Client()
browser.force_login(plan.therapist.user)
response = browser.get(f"/treatment/plans/{plan.pk}/")
assert response.status_code == 200 and b"No changes recorded" in response.content
# The reports page renders on the demo: the PostgreSQL-only reports are named, not a 500.
from clinic.accounts.models import User
admin = Client()
admin.force_login(User.objects.get(email="admin@tranquil.test"))
response = admin.get("/reports/")
assert response.status_code == 200 and b"need PostgreSQL" in response.content, response.status_code
assert b'id="visits"' in response.content
assert admin.get("/reports/lapsed.csv").status_code == 200
assert admin.get("/reports/outcomes.csv").status_code == 404
print("page ok")
"""


def sqlite_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="clinic.settings",
        SQLITE_PATH=str(tmp_path / "tranquil.sqlite3"),
        TRANQUIL_VAR_DIR=str(tmp_path / "var"),
    )
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_sqlite_default_migrates_seeds_serves_and_takes_concurrent_writers(tmp_path):
    env = sqlite_env(tmp_path)
    assert run(["manage.py", "migrate", "--no-input"], env).returncode == 0
    seeded = run(["manage.py", "seed_demo"], env)
    assert seeded.returncode == 0, seeded.stderr
    assert "desk@tranquil.test" in seeded.stdout
    page = run(["-c", PAGE], env)
    assert page.returncode == 0, page.stderr

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Alpha", "Beta")
    ]
    results = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "database is locked" not in err
        assert "done" in out
    count = run(
        [
            "manage.py",
            "shell",
            "-c",
            "from clinic.accounts.models import Client;"
            "print(Client.objects.filter(last_name__in=['Alpha','Beta']).count())",
        ],
        env,
    )
    assert count.stdout.strip().endswith("300")
