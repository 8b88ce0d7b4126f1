import pytest

from clinic.core.tasks import ping

pytestmark = pytest.mark.celery_worker


def test_a_real_worker_on_redis_runs_a_task(celery_worker_process):
    assert ping.delay().get(timeout=60) == "pong"
