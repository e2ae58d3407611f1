"""Fault: the Celery worker is killed while it makes a report.

Simulated with a real worker process (``celery worker --pool=solo``) on a Redis of the
test's own and the test database (PostgreSQL: a second process must see the data; the test
is transactional). The worker's app (``tests.faults.slow_worker``) makes every generator
sleep before it makes its file, so the test sees the report's first file "running" and
then kills the worker with SIGKILL — no clean-up runs, as after the kernel's OOM killer.

Shown: nothing half-made is offered (the job's download answers 404, its page says it is
not ready, no file under MEDIA_ROOT); the message stays in Redis unacknowledged
(``acks_late``: it is not lost); the periodic sweep does not leave the job "running"
forever but fails it with a clear message once it is older than ``STALE_AFTER``; a new
worker makes the files that were still waiting, and retrying the run makes it done.
"""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse

from danvan import generation, generation_recovery
from danvan.models import GeneratedFile, GeneratedFileStatus
from reports import runs
from reports.enums import ReportKind
from reports.models import Report, ReportStatus
from tests.reports.test_services import two_profiles

from .conftest import broker_at, database_url, need_postgresql

TIMEOUT_S = 90


@pytest.fixture
def shared_database():
    """Skipped (a failure in CI) unless the worker can open the test database."""
    need_postgresql("a worker sharing the test database")


def start_worker(redis_url: str, log_path, *, slow_s: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": redis_url,
        "FAULTS_SLOW_S": str(slow_s),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "tests.faults.slow_worker", "worker",
        "--pool=solo", "-l", "info", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "-n", f"faults-{os.getpid()}-{slow_s}@%h",
    ]  # fmt: skip
    with log_path.open("ab") as log:
        worker = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wait_for(lambda: "ready." in log_path.read_text(), worker, log_path, "the worker to start")
    return worker


def wait_for(condition, worker, log_path, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}):\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} in {TIMEOUT_S} s:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.kill()
        worker.wait(timeout=30)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_report_of_a_killed_worker_is_never_half_served_and_ends(
    shared_database, client, world, redis_server, tmp_path
):
    two_profiles(world)
    log_path = tmp_path / "worker.log"
    with broker_at(redis_server.url):
        worker = start_worker(redis_server.url, log_path, slow_s=120)
        try:
            report = runs.report_request(
                kind=ReportKind.ANNUAL, campaign=world.campaign, by=world.secretariat
            )
            jobs = GeneratedFile.objects.filter(pk__in=[j.pk for j in report.files()])
            wait_for(
                lambda: jobs.filter(status=GeneratedFileStatus.RUNNING).exists(),
                worker,
                log_path,
                "file being made",
            )

            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)

            running = jobs.get(status=GeneratedFileStatus.RUNNING)
            client.force_login(world.secretariat)
            download = client.get(reverse("generated_file_download", args=[running.pk]))
            report_download = client.get(
                reverse("reports:report_download", args=[report.pk, running.params["format"]])
            )
            page = client.get(running.get_absolute_url())
            assert (download.status_code, report_download.status_code) == (404, 404)
            assert page.status_code == 200
            assert page.context["job"].status == GeneratedFileStatus.RUNNING
            assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []
            # acks_late: the message the worker held is not lost with it.
            assert redis_server.client.hlen("unacked") == 1

            later = running.started_at + generation.STALE_AFTER + datetime.timedelta(minutes=1)
            assert generation_recovery.generated_files_sweep(now=later)[1] == 1
            running.refresh_from_db()
            assert [running.status, running.error] == [
                GeneratedFileStatus.FAILED,
                str(generation_recovery.WORKER_LOST),
            ]

            worker = start_worker(redis_server.url, log_path, slow_s=0)
            wait_for(lambda: Report.objects.get(pk=report.pk).is_finished, worker, log_path, "end")
            report.refresh_from_db()
            assert report.status == ReportStatus.FAILED  # the lost file failed
            runs.report_retry(report=report, by=world.secretariat)
            wait_for(
                lambda: Report.objects.get(pk=report.pk).is_finished, worker, log_path, "retry"
            )
        finally:
            stop(worker)
    report.refresh_from_db()
    assert [report.status, report.error] == [ReportStatus.DONE, ""], log_path.read_text()[-3000:]
    assert [j.status for j in jobs] == [GeneratedFileStatus.DONE] * 3
    assert not [p for p in settings.MEDIA_ROOT.rglob("*.part")]
