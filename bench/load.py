"""Load benchmark: each page beside a bare login_required view, under gunicorn, on a chain.

Run from the repository root:

    .venv/bin/python bench/load.py                 # a chain and a tenth (seeding: minutes)
    .venv/bin/python bench/load.py --scale 0.05    # a quick try: 0.05 and 0.005 of a chain
    .venv/bin/python bench/load.py --pages bare,search,appointments --duration 5

Without DATABASE_URL it starts a private, throwaway PostgreSQL (bench/booking.py's helper) and
without REDIS_URL a private Redis (bench/reminders.py's), as production has both. With
DATABASE_URL set (a role that may create databases) it keeps its databases `bench_load_<scale>`
and reuses them on the next run (migrated, not seeded again; `--fresh` seeds anew), so a
re-run after a change takes minutes.

For each size, `manage.py seed_chain --scale S` fills the database (S and S/10; S is 1 unless
`--scale`), then gunicorn serves it as production does (3 sync workers, DEBUG off, a throwaway
SECRET_KEY, plain http on loopback), with bench/settings.py adding the bare view and a
middleware reporting time inside Django and in SQL. Eight users (threads, each with its own
session and connection per request) request one page at a time for `--duration` seconds;
every page runs in the same server as the bare view, `--rounds` times in turn. It prints
req/s, p95, the share of the bare view's req/s, full/tenth (tenth req/s over full req/s) and
the median time inside Django, in SQL and the queries per request at both sizes.

The machine's other load weighs on every figure: compare pages within a run, and runs made on
a quiet machine. Add a page to PAGES when one lands (reports, billing, waitlist); a page that
answers 404 on this branch is listed as absent.
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking import admin_sql, free_port, private_postgres, with_database  # noqa: E402
from bench.reminders import private_redis  # noqa: E402


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    role: str  # whose sessions: desk, therapist or admin
    path: str  # formatted with the ids bench/load.py --prepare found
    method: str = "GET"
    body: str = ""  # JSON, formatted like the path
    expect: int = 200


PAGES = [
    Page("bare", "bare view", "desk", "/bench/ok/"),
    Page("day", "desk day view, {therapists} therapists", "desk", "/booking/day/?date={day}"),
    Page("week", "week view", "desk", "/booking/week/?date={day}"),
    Page("search", 'client search ("Gagnon")', "desk", "/booking/clients/?q=Gagnon"),
    Page(
        "availability",
        "availability API, 1 week × {therapists} therapists",
        "desk",
        "/api/availability/?service={service}&start={week_start}&end={week_end}",
    ),
    Page("record", "therapist's client record", "therapist", "/treatment/clients/{client}/record/"),
    Page("progress", "progress page", "therapist", "/treatment/clients/{client}/progress/"),
    Page(
        "intake",
        "intake submit (API)",
        "therapist",
        "/api/intakes/",
        "POST",
        '{{"client": {own_client}, "answers": {answers}}}',
        expect=201,
    ),
    Page(
        "note",
        "note save (API)",
        "therapist",
        "/api/notes/{own_note}/",
        "PATCH",
        '{{"subjective": "Saved by the load benchmark."}}',
    ),
    Page("appointments", "appointment list API, first page", "desk", "/api/appointments/"),
    Page(
        "appointments_day", "appointment list API, one day", "desk", "/api/appointments/?date={day}"
    ),
    # Pages being built beside this benchmark: check their paths when they land. Billing next.
    Page("reports", "reports (clinic admin)", "admin", "/reports/"),
    Page("waitlist", "waitlist (front desk)", "desk", "/waitlist/"),
]
USERS = 8


def request_for(page, ids, number):
    """User `number`'s request for `page`: method, path, body and headers."""
    own = {
        "own_client": ids["own_clients"][number % len(ids["own_clients"])],
        "own_note": ids["draft_notes"][number % len(ids["draft_notes"])],
    }
    sessions = ids["sessions"][page.role]
    body = page.body.format(**ids, **own).encode() if page.body else None
    headers = {
        "Cookie": f"{ids['session_cookie']}={sessions[number % len(sessions)]}; "
        f"{ids['csrf_cookie']}={ids['csrf']}",
        "X-CSRFToken": ids["csrf"],
    }
    if body:
        headers["Content-Type"] = "application/json"
    return page.method, page.path.format(**ids, **own), body, headers


def send(port, request):
    """One request on a new connection (gunicorn's sync workers close it after each response):
    seconds taken, status and the timing headers bench/web.py adds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(*request)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        # A worker killed past gunicorn's timeout drops the connection: a failed request.
        return time.perf_counter() - started, 0, None, None, None
    finally:
        connection.close()
    return (
        time.perf_counter() - started,
        response.status,
        response.getheader("X-Bench-Django-Ms"),
        response.getheader("X-Bench-Sql-Ms"),
        response.getheader("X-Bench-Queries"),
    )


def measure_page(port, page, ids, seconds):
    """`USERS` threads requesting `page` for `seconds`: req/s, latencies and Django's headers."""
    done: list[tuple] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def user(number):
        request = request_for(page, ids, number)
        mine = []
        while time.perf_counter() < stop_at:
            mine.append(send(port, request))
        with lock:
            done.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [seconds_taken * 1000 for seconds_taken, *_ in done]
    timed = [(float(d), float(s), int(q)) for _, _, d, s, q in done if d is not None]
    failures = [status for _, status, *_ in done if status != page.expect]
    return {
        "requests": len(done),
        # Throughput counts answers as the page means them: a timeout or an error is no page.
        "rps": (len(done) - len(failures)) / elapsed,
        "p95": statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0],
        "django_ms": statistics.median(t[0] for t in timed) if timed else None,
        "sql_ms": statistics.median(t[1] for t in timed) if timed else None,
        "queries": statistics.median(t[2] for t in timed) if timed else None,
        "failures": len(failures),
        "failure_statuses": sorted(set(failures)),
    }


def probe(port, page, ids):
    """A few requests' statuses, which also warm each worker up for the page."""
    return [send(port, request_for(page, ids, n))[1] for n in range(3)]


def django_env(url, redis, var):
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        # Production settings refuse to start without a key; a throwaway one serves a benchmark.
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(48),
        SECURE_SSL_REDIRECT="false",  # the load generator speaks plain http
        TRANQUIL_VAR_DIR=var,
        PYTHONPATH=str(ROOT),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def manage(env, *args, quiet=False):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=quiet,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed" + (done.stderr if quiet else ""))


def holds_visits(url):
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT EXISTS (SELECT 1 FROM booking_appointment)").fetchone()[0]


def prepare(env):
    done = subprocess.run(
        [sys.executable, __file__, "--prepare"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def gunicorn(env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi:application", "--workers", "3"]
        + ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/health/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not answer /health/")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


def run_size(base_url, redis, scale, args):
    name = "bench_load_" + f"{scale:g}".replace(".", "_")
    url = with_database(base_url, name)
    with tempfile.TemporaryDirectory(prefix="tranquil-load.") as var:
        (Path(var) / "staticfiles").mkdir()  # no page here asks for static files
        env = django_env(url, redis, var)
        if args.fresh:
            admin_sql(base_url, f"DROP DATABASE IF EXISTS {name}")
        try:
            admin_sql(base_url, f"CREATE DATABASE {name}")
        except psycopg.errors.DuplicateDatabase:
            print(f"reusing {name}", flush=True)  # kept from an earlier run
        manage(env, "migrate", "--verbosity", "0")
        if not holds_visits(url):
            print(f"seeding {name} (scale {scale:g})...", flush=True)
            manage(env, "seed_chain", "--scale", str(scale))
        ids = prepare(env)
        results: dict = {"scale": scale, "therapists": ids["therapists"], "pages": {}}
        wanted = [p for p in PAGES if not args.pages or p.key in args.pages or p.key == "bare"]
        with gunicorn(env) as port:
            for page in wanted:
                statuses = probe(port, page, ids)
                if any(status != page.expect for status in statuses):
                    print(f"  {page.key}: answers {statuses}, skipped", flush=True)
                    results["pages"][page.key] = {"absent": statuses}
            for round_number in range(args.rounds):
                for page in wanted:
                    if "absent" in results["pages"].get(page.key, {}):
                        continue
                    measured = measure_page(port, page, ids, args.duration)
                    print(
                        f"  scale {scale:g} round {round_number + 1}: {page.key:<18}"
                        f"{measured['rps']:8.1f} req/s  p95 {measured['p95']:7.0f} ms"
                        + (f"  {measured['failures']} failed" if measured["failures"] else ""),
                        flush=True,
                    )
                    results["pages"].setdefault(page.key, []).append(measured)
    return results


def orchestrate(base_url, redis, args):
    sizes = {"tenth": args.scale / 10, "full": args.scale}
    results = {label: run_size(base_url, redis, scale, args) for label, scale in sizes.items()}
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def combined(runs):
    """A page's figures over the rounds: median req/s, worst p95, median Django figures."""
    pick = [r for r in runs if r["requests"]]
    return {
        "rps": statistics.median(r["rps"] for r in pick),
        "p95": max(r["p95"] for r in pick),
        "django_ms": statistics.median(r["django_ms"] or 0 for r in pick),
        "sql_ms": statistics.median(r["sql_ms"] or 0 for r in pick),
        "queries": statistics.median(r["queries"] or 0 for r in pick),
        "failures": sum(r["failures"] for r in pick),
    }


def report(results):
    tenth, full = results["tenth"], results["full"]
    print(
        f"\nscales: full {full['scale']:g}, tenth {tenth['scale']:g}; {USERS} users; "
        "req/s · p95 · % of the bare view's req/s\n"
    )
    print(
        "| page | tenth | full | full/tenth | inside Django: ms (SQL ms, queries), tenth → full |"
    )
    print("| --- | --- | --- | --- | --- |")
    bare = {label: combined(results[label]["pages"]["bare"]) for label in results}
    for page in PAGES:
        if page.key not in full["pages"] or page.key not in tenth["pages"]:
            continue
        label = page.label.format(therapists=full["therapists"])
        if "absent" in full["pages"][page.key]:
            statuses = full["pages"][page.key]["absent"]
            print(f"| {label} | | answers {statuses}: not measured | | |")
            continue
        cells, figures = [], {}
        for size in ("tenth", "full"):
            figures[size] = combined(results[size]["pages"][page.key])
            share = figures[size]["rps"] / bare[size]["rps"] * 100
            failed = f" · {figures[size]['failures']} failed" if figures[size]["failures"] else ""
            cells.append(
                f"{figures[size]['rps']:,.1f} · {figures[size]['p95']:,.0f} ms · {share:.0f}%"
                + failed
            )
        growth = figures["tenth"]["rps"] / (figures["full"]["rps"] or float("nan"))
        # Server-side time is steadier than req/s on a shared machine: both sizes side by side.
        inside = " → ".join(
            f"{f['django_ms']:,.0f} ms ({f['sql_ms']:,.0f} ms, {f['queries']:.0f})"
            for f in (figures["tenth"], figures["full"])
        )
        print(f"| {label} | {cells[0]} | {cells[1]} | {growth:.2f}× | {inside} |")
    print("\ntargets: every page ≥ 25% of bare, p95 < 100 ms, full/tenth < 1.3×")


@contextmanager
def _given(url):
    yield url


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the full size (tenth: /10)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pages", type=lambda s: s.split(","), default=None, help="keys, a,b")
    parser.add_argument("--fresh", action="store_true", help="seed kept databases again")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--report", help="print the table of a --json file again, and stop")
    return parser.parse_args(argv)


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        from bench.load_prepare import main

        main()
    else:
        options = parse(sys.argv[1:])
        if options.report:
            report(json.loads(Path(options.report).read_text()))
            sys.exit()
        with (
            private_postgres()
            if not os.environ.get("DATABASE_URL")
            else _given(os.environ["DATABASE_URL"]) as postgres,
            private_redis()
            if not os.environ.get("REDIS_URL")
            else _given(os.environ["REDIS_URL"]) as redis,
        ):
            orchestrate(postgres, redis, options)
