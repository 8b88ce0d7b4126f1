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
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert "migrate" in services["web"]["command"] and "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "clinic", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "clinic", "beat"]


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
