import os
import subprocess
import sys
import time
import uuid

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings

from danvan.celery import app
from danvan.tasks import ping

WORKER_TIMEOUT_S = 60


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.mark.django_db
def test_ping_without_broker_runs_in_process():
    # Arrange: the test settings run tasks eagerly, whatever the broker configuration.
    assert settings.CELERY_TASK_ALWAYS_EAGER is True

    # Act
    result = ping.delay("x").get(timeout=5)

    # Assert
    assert result["token"] == "x"
    assert result["db"] is True


@pytest.mark.worker
def test_ping_with_real_broker_is_answered_by_a_worker_process(tmp_path):
    # Arrange: a real worker on a queue of its own, so that no other worker sharing the
    # broker (e.g. a developer's `make worker`) can answer in its place.
    if not settings.CELERY_BROKER_URL:
        message = "CELERY_BROKER_URL is not set: no broker for a real Celery worker"
        if _in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    token = uuid.uuid4().hex
    queue = f"test-ping-{token}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.local",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PYTHONUNBUFFERED": "1",
    }
    # The worker uses the configured database as is (pytest-django's test database lives
    # only in this process); the ping task needs nothing from it but `SELECT 1`.
    log_path = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "danvan", "worker",
        "--pool=solo", "--concurrency=1", "-l", "info",
        "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    # The test settings run tasks in process; this test wants the broker.
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        # Act
        async_result = ping.apply_async(args=[token], queue=queue)
        result = None
        deadline = time.monotonic() + WORKER_TIMEOUT_S
        while result is None:
            if worker.poll() is not None:
                pytest.fail(
                    f"the worker exited with code {worker.returncode}:\n{log_path.read_text()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no answer from the worker in {WORKER_TIMEOUT_S} s:\n{log_path.read_text()}"
                )
            try:
                result = async_result.get(timeout=1)
            except CeleryTimeoutError:
                continue

        # Assert
        assert result["token"] == token
        assert result["db"] is True
    finally:
        app.conf.task_always_eager = was_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
