"""The /reports/ page and the lapsed clients' CSV, timed on a seeded chain, read-only.

Run from the repository root against a database `seed_chain` filled (bench/load.py keeps
`bench_load_1`):

    DATABASE_URL=postgres://.../bench_load_1 .venv/bin/python bench/report_page.py
    DATABASE_URL=... .venv/bin/python bench/report_page.py --start 2025-12-03 --end 2026-12-02

It calls the views directly as the clinic admin (no sign-in, no session: nothing is written, so
it can read another run's database), renders the page three times after a warm-up and prints
each time with its queries and time in SQL, then streams the whole lapsed clients' CSV and
prints when its first line came and when its last. The machine's other load weighs on every
figure.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", default="")
    parser.add_argument("--end", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from clinic.accounts.models import Role, User
    from clinic.reports import views

    admin = User.objects.filter(role=Role.CLINIC_ADMIN).order_by("pk").first()
    query = {name: value for name, value in vars(args).items() if value}

    def get(path, view, *view_args):
        request = RequestFactory().get(path, query)
        request.user = admin
        return view(request, *view_args)

    get("/reports/", views.reports)  # warm up
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = get("/reports/", views.reports)
            took = time.perf_counter() - started
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(
            f"/reports/: {response.status_code}, {len(response.content):,} bytes in "
            f"{took * 1000:.0f} ms, {len(queries.captured_queries)} queries, "
            f"{sql * 1000:.0f} ms in SQL"
        )
    started = time.perf_counter()
    response = get("/reports/lapsed.csv", views.report_csv, "lapsed")
    first, lines, size = None, 0, 0
    for chunk in response.streaming_content:
        first = first if first is not None else time.perf_counter() - started
        lines, size = lines + 1, size + len(chunk)
    print(
        f"lapsed.csv: first line after {(first or 0) * 1000:.0f} ms; {lines - 1:,} clients, "
        f"{size:,} bytes in {(time.perf_counter() - started) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
