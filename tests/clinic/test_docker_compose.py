"""No Docker engine runs here: check what can be checked of the production shape."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_compose_file_follows_the_compose_spec():
    result = subprocess.run(
        [
            Path(sys.executable).parent / "check-jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            "docker-compose.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_postgres_redis_web_worker_and_beat_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "balancer"}
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert "gunicorn" in services["web"]["command"] and "healthcheck" in services["web"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "clinic", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "clinic", "beat"]


SCALED = ("web", "worker")


def test_scaled_services_publish_no_host_port_and_take_no_fixed_name():
    """`docker compose up --scale web=3 --scale worker=3` starts three of each: a fixed host
    port or container name would let only one of them start."""
    services = compose()["services"]
    for name in SCALED:
        assert "ports" not in services[name] and "container_name" not in services[name]
    assert services["web"]["expose"] == ["8000"]


def test_one_balancer_publishes_the_port_and_spreads_requests_over_every_web_container():
    balancer = compose()["services"]["balancer"]
    assert balancer["ports"] == ["${TRANQUIL_HTTP_PORT:-8000}:8000"]
    mount = "./deploy/balancer.conf:/etc/nginx/conf.d/default.conf:ro"
    assert mount in balancer["volumes"]
    conf = (ROOT / "deploy" / "balancer.conf").read_text()
    # Docker's DNS, asked again as web containers come and go, names every one of them.
    assert "resolver 127.0.0.11 valid=10s" in conf
    assert "set $web http://web:8000;" in conf and "proxy_pass $web;" in conf
    # The balancer is transparent: the TLS proxy's headers go through unchanged, so the one
    # trusted proxy (TRUSTED_PROXY_COUNT=1) still names the client.
    assert "proxy_set_header X-Forwarded-For $http_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;" in conf


def test_migrations_run_once_before_any_web_or_worker_container_starts():
    services = compose()["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in str(services[name]["command"])
        wait = services[name]["depends_on"]["migrate"]
        assert wait == {"condition": "service_completed_successfully"}


def test_app_containers_keep_no_local_state():
    """Uploads on one shared volume, cache and broker on the shared Redis, data in PostgreSQL:
    any web or worker container can serve any request or task."""
    services = compose()["services"]
    for name in ("migrate", *SCALED, "beat"):
        service = services[name]
        assert "media:/app/var/media" in service["volumes"]
        assert service["environment"]["MEDIA_ROOT"] == "/app/var/media"
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["environment"]["DATABASE_URL"].endswith("@db:5432/tranquil")
    assert "media" in compose()["volumes"]


def test_with_redis_configured_the_cache_is_shared_and_sessions_live_in_the_database():
    """What a web container keeps between requests lives outside it: the cache in Redis when
    REDIS_URL is set, sessions in PostgreSQL (never a container's memory or disk)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "REDIS_URL": "redis://redis:6379/0",
        "SECRET_KEY": "k" * 50,
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND']); print(s.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    cache, sessions = result.stdout.split()
    assert cache == "clinic.core.redis_cache.SharedClientRedisCache"  # Django's, on Redis
    assert sessions == "django.contrib.sessions.backends.db"


def test_the_settings_compose_gives_the_app_pass_check_deploy():
    app_env = compose()["services"]["web"]["environment"]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    for key, value in app_env.items():
        # ${VAR:-default} / ${VAR:?message}: stand in a production-like value.
        env[key] = str(value).split(":-")[-1].rstrip("}") if "${" in str(value) else str(value)
    env["SECRET_KEY"] = "compose-secret-" + "k" * 50
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
    env["REDIS_URL"] = os.environ.get("REDIS_URL", "")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_health_check_answers_ok_over_the_proxy_path(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response.content == b"ok"


def test_behind_its_proxy_the_web_service_reads_the_client_address_from_x_forwarded_for():
    env = compose()["services"]["web"]["environment"]
    assert env["TRUSTED_PROXY_IP_HEADER"] == "${TRUSTED_PROXY_IP_HEADER:-HTTP_X_FORWARDED_FOR}"
    assert env["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
