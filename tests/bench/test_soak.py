"""``bench/soak.py`` end to end, for a few seconds: the tiny seed, four people (one of each
role), gunicorn, a Celery worker and beat on a Redis of their own, against a copy of the
test database (``conftest.tiny_scale_env``). It must log everyone in through the form, run
their tasks without one wrong answer, sample memory and write its JSON."""

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.worker
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
@pytest.mark.django_db(transaction=True)
def test_soak_runs_every_role_without_errors_and_writes_json(tmp_path, tiny_scale_env):
    command = [
        sys.executable, "bench/soak.py", "--users", "scale", "--size", "test",
        "--people", "4", "--seconds", "12", "--think", "0.1", "0.3", "--ramp", "1",
        "--interval", "2", "--workers", "2", "--celery-concurrency", "1",
        "--out", str(tmp_path), "--allow-sqlite",
    ]  # fmt: skip

    run = subprocess.run(
        command, cwd=ROOT, env=tiny_scale_env, capture_output=True, text=True, timeout=240
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (written,) = tmp_path.glob("soak-*.json")
    report = json.loads(written.read_text())
    assert report["errors"] == 0
    pages = {page["page"]: page for page in report["pages"]}
    assert pages["login"]["n"] == 4
    assert "(client)" not in pages
    for role in ("officer", "reviewer", "secretariat"):  # each task's first page is its own
        assert any(page.startswith(f"{role}: ") for page in pages), role
    assert len(report["samples"]) >= 2
    assert all(s["celery_worker_mb"] > 0 for s in report["samples"])
    assert all(len(s["gunicorn_workers_mb"]) == 2 for s in report["samples"])
    assert report["memory"]["celery_worker"]["first"] > 0
    assert "| login |" in run.stdout
