"""Secure by default: a deployment that only turns DEBUG off gets https-only settings."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIMAL_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "8f2c1e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c",
    "ALLOWED_HOSTS": "clinic.example.com",
}


def run(args, env):
    # Exactly the given environment: nothing inherited from bin/test, which turns https off.
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_in(env, *names):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print([getattr(settings, n) for n in {list(names)!r}])"
    )
    result = run(["-c", code], {**env, "DJANGO_SETTINGS_MODULE": "clinic.settings"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_passes_with_only_debug_secret_key_and_allowed_hosts():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], MINIMAL_PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_turns_on_secure_cookies_hsts_and_ssl_redirect():
    names = (
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SITE_URL",
    )
    assert settings_in(MINIMAL_PRODUCTION, *names) == (
        "[True, True, True, 31536000, True, False, 'https://clinic.example.com']"
    )


def test_each_https_setting_can_be_turned_off_explicitly():
    env = {**MINIMAL_PRODUCTION, "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false"}
    assert settings_in(env, "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE") == "[False, False]"


def test_the_proxy_header_is_trusted_only_as_configured():
    env = {**MINIMAL_PRODUCTION, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_SCHEME"}
    assert settings_in(env, "SECURE_PROXY_SSL_HEADER") == "[('HTTP_X_FORWARDED_SCHEME', 'https')]"
    assert settings_in({**env, "SECURE_PROXY_SSL_HEADER": ""}, "SECURE_PROXY_SSL_HEADER") == (
        "[None]"
    )


WITHOUT_KEY = {k: v for k, v in MINIMAL_PRODUCTION.items() if k != "SECRET_KEY"}


@pytest.mark.parametrize(
    "start",
    [
        ["-c", "import clinic.wsgi"],  # what gunicorn loads (the Dockerfile's CMD)
        ["-c", "import clinic.asgi"],
        ["manage.py", "send_due_reminders"],  # reminders carry signed links
    ],
)
def test_debug_off_without_a_secret_key_refuses_to_start(start):
    result = run(start, {**WITHOUT_KEY, "DJANGO_SETTINGS_MODULE": "clinic.settings"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_a_celery_worker_refuses_to_start_without_a_secret_key(tmp_path):
    worker = ["-m", "celery", "-A", "clinic", "worker", "-P", "solo", "--without-mingle"]
    result = run(worker, {**WITHOUT_KEY, "TRANQUIL_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stdout + result.stderr


def test_beat_refuses_to_start_without_a_secret_key_and_starts_with_one(settings):
    from celery.signals import beat_init

    settings.DEBUG, settings.SECRET_KEY_FROM_ENVIRONMENT = False, False
    # Celery swallows a receiver's exception, so the refusal is a SystemExit that it cannot.
    with pytest.raises(SystemExit, match="SECRET_KEY must be set"):
        beat_init.send(sender=None)
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    beat_init.send(sender=None)


def test_commands_that_sign_nothing_still_run_on_a_bare_checkout():
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], WITHOUT_KEY)
    assert result.returncode == 0, result.stderr


def test_debug_on_runs_on_the_development_key():
    assert settings_in({"DEBUG": "true"}, "DEBUG") == "[True]"
