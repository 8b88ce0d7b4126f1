"""Emailed links name the server that sent them: bin/run derives SITE_URL from TRANQUIL_PORT."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bin_run_environment(**env):
    """Run bin/run's own port and SITE_URL lines (not the server) and return what they export."""
    lines = [
        line
        for line in (ROOT / "bin" / "run").read_text().splitlines()
        if line.startswith(("export TRANQUIL_PORT=", "export SITE_URL="))
    ]
    script = "\n".join([*lines, 'echo "$TRANQUIL_PORT $SITE_URL"'])
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "TRANQUIL_PORT"}}
    result = subprocess.run(
        ["bash", "-c", script], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_bin_run_points_links_at_the_port_it_serves():
    assert bin_run_environment(TRANQUIL_PORT="8310") == ["8310", "http://127.0.0.1:8310"]


def test_bin_run_serves_port_8000_by_default():
    assert bin_run_environment() == ["8000", "http://127.0.0.1:8000"]


def test_bin_run_keeps_a_site_url_already_set():
    port, site_url = bin_run_environment(TRANQUIL_PORT="8310", SITE_URL="https://clinic.test")
    assert site_url == "https://clinic.test"


def test_the_web_process_serves_tranquil_port():
    assert "${TRANQUIL_PORT}" in (ROOT / "Procfile.dev").read_text().split("web:")[1]


def test_development_settings_follow_tranquil_port_without_site_url():
    env = {
        k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DEBUG="true", TRANQUIL_PORT="8310", DJANGO_SETTINGS_MODULE="clinic.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8310", result.stderr
