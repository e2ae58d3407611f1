"""A report run made by a real Celery worker process against the broker (Redis in CI):
the request is sent after commit, the worker makes the three files in the test database
and the run ends done with the same bytes as the in-process path.

Needs ``CELERY_BROKER_URL`` and a database a second process can open (PostgreSQL); skipped
otherwise, and a failure on the CI machine (``CI=true``), like tests/danvan/test_tasks.py.
"""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from danvan.celery import app
from danvan.models import GeneratedFile
from reports import runs
from reports.enums import ReportKind
from reports.models import Report, ReportStatus
from tests.conftest import in_ci
from tests.reports.test_services import two_profiles

WORKER_TIMEOUT_S = 180


def _need(condition: bool, message: str) -> None:
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


def _routes_changed() -> None:
    """Celery caches the routing table (``amqp._rtable``, read once by the first task sent
    in this process, e.g. by tests/faults) and the router built on it: both are rebuilt."""
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@pytest.fixture
def worker_queue(tmp_path):
    """A worker on a queue of its own, reading the test database and this test's media
    folder; the tasks of ``danvan.generate_file`` are routed to it meanwhile."""
    _need(bool(settings.CELERY_BROKER_URL), "CELERY_BROKER_URL is not set: no broker")
    _need(connection.vendor == "postgresql", "the worker needs PostgreSQL to share the data")
    queue = f"test-report-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "danvan", "worker",
        "--pool=prefork", "--concurrency=2", "-l", "info",
        "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    saved = (app.conf.task_always_eager, app.conf.task_routes)
    app.conf.task_always_eager = False
    app.conf.task_routes = {"danvan.generate_file": {"queue": queue}}
    _routes_changed()
    try:
        yield worker, log_path
    finally:
        app.conf.task_always_eager, app.conf.task_routes = saved
        _routes_changed()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_report_run_is_made_by_a_real_worker(world, worker_queue):
    worker, log_path = worker_queue
    two_profiles(world)

    report = runs.report_request(
        kind=ReportKind.ANNUAL, campaign=world.campaign, by=world.secretariat
    )

    assert [report.is_new, report.broker_down] == [True, False]
    deadline = time.monotonic() + WORKER_TIMEOUT_S
    while not Report.objects.get(pk=report.pk).is_finished:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}):\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no run in {WORKER_TIMEOUT_S} s:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.5)
    report.refresh_from_db()
    assert [report.status, report.error] == [ReportStatus.DONE, ""], log_path.read_text()[-4000:]
    made = [
        GeneratedFile.objects.get(pk=getattr(report, f"{fmt}_id"))
        for fmt in ("pdf", "docx", "xlsx")
    ]
    # The same inputs made in this process give the same bytes.
    expected = runs.report_files(runs.ReportSpec.of(report))
    assert [f.file.read() for f in made] == [content for _n, _t, content in expected]
    assert "danvan.generate_file" in log_path.read_text()
