"""Fault: PostgreSQL is restarted under a running site.

Simulated with a private, throw-away cluster (never the shared one nor CI's): ``initdb`` in
a temporary folder as the ``postgres`` user (``runuser``, as .ci/run does), started on a
free port; the site runs in a separate gunicorn process (one sync worker, so every request
reuses the same worker and its persistent connection) with the production settings
(``CONN_MAX_AGE=600``, ``CONN_HEALTH_CHECKS`` on). ``/healthz`` runs ``SELECT 1`` on every
request (it needs no table, so the cluster is not migrated). The cluster is restarted with
``pg_ctl restart -m fast``, which cuts the worker's connection.

Shown: before the restart the worker keeps one connection open across requests; the FIRST
request after the restart answers 200 (the health check finds the broken connection and
opens a new one), without restarting the site.

Needs root (for ``runuser``) and PostgreSQL's server programs
(/usr/lib/postgresql/*/bin); skipped with the reason otherwise (a failure in CI).
"""

import glob
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from .conftest import free_port, need

START_TIMEOUT_S = 30


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(*command, **kwargs):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command],
        check=True,
        capture_output=True,
        timeout=60,
        **kwargs,
    )


@pytest.fixture
def cluster():
    """A PostgreSQL cluster of the test's own: (bin folder, port), stopped afterwards."""
    pg_bin = _pg_bin()
    need(os.geteuid() == 0, "the private PostgreSQL cluster is started as root (runuser)")
    need(pg_bin is not None, "PostgreSQL's server programs are not installed")
    need(shutil.which("runuser") is not None, "runuser is missing")
    # Not under pytest's folder: the postgres user cannot enter root's private /tmp folder.
    work = pathlib.Path(tempfile.mkdtemp(prefix="danvan-faults-pg-"))
    shutil.chown(work, "postgres", "postgres")
    data, port = work / "data", free_port()
    _as_postgres(
        f"{pg_bin}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8",
    )  # fmt: skip
    options = (
        f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    _as_postgres(
        f"{pg_bin}/pg_ctl", "-D", str(data), "-l", str(work / "log"), "-w", "-t", "60",
        "-o", options, "start",
    )  # fmt: skip
    try:
        _as_postgres(f"{pg_bin}/createdb", "-h", "127.0.0.1", "-p", str(port), "danvan")
        yield pg_bin, data, port
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", f"{pg_bin}/pg_ctl", "-D", str(data), "-m",
             "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def site(cluster, tmp_path):
    """gunicorn with one sync worker and the production settings on the private cluster."""
    _pg_bin, _data, pg_port = cluster
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.production",
        "SECRET_KEY": "faults-" + "x" * 50,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/danvan",
        "CONN_MAX_AGE": "600",
        "CONN_HEALTH_CHECKS": "true",
        "CELERY_BROKER_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [
        sys.executable, "-m", "gunicorn", "danvan.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "sync",
        "--timeout", "30",
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            try:
                if get(url) == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{(tmp_path / 'gunicorn.log').read_text()}")
            time.sleep(0.2)
        yield url, tmp_path / "gunicorn.log"
    finally:
        server.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def backend_pids(pg_bin: str, port: int) -> list[str]:
    result = _as_postgres(
        f"{pg_bin}/psql", "-h", "127.0.0.1", "-p", str(port), "-AtX", "-d", "postgres", "-c",
        "SELECT pid FROM pg_stat_activity WHERE datname = 'danvan' ORDER BY pid",
    )  # fmt: skip
    return result.stdout.decode().split()


def test_first_request_after_a_restart_succeeds(cluster, site):
    pg_bin, data, port = cluster
    url, log_path = site
    assert [get(url), get(url)] == [200, 200]
    before = backend_pids(pg_bin, port)
    assert len(before) == 1  # one worker, one persistent connection reused

    # -l: the server's output goes to its log, not to this process's pipes.
    _as_postgres(
        f"{pg_bin}/pg_ctl", "-D", str(data), "-l", str(data.parent / "log"), "-m", "fast", "-w",
        "restart",
    )  # fmt: skip

    assert get(url) == 200, log_path.read_text()[-3000:]
    after = backend_pids(pg_bin, port)
    assert len(after) == 1 and after != before  # a new connection, kept again
    assert get(url) == 200
