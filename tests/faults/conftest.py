"""What the fault tests share: free ports, a broker somewhere else (closed port or a Redis of
the test's own), a real ``redis-server`` and a skip that is a failure in CI."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.db import connection

from danvan.celery import app
from tests.conftest import in_ci
from tests.reports.conftest import tree, world  # noqa: F401 -- fixtures shared with reports

# A port nobody listens on: connecting is refused at once, as when Redis is stopped.
CLOSED_BROKER = "redis://127.0.0.1:1/0"


def need(condition: bool, message: str) -> None:
    """Skip unless ``condition``; on the CI machine (CI=true) a missing service fails."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def need_postgresql(what: str) -> None:
    need(connection.vendor == "postgresql", f"{what} needs PostgreSQL (DATABASE_URL)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The test database as a URL another process (a worker, a server) can open."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


@contextmanager
def broker_at(url: str):
    """This process sends tasks to ``url`` (broker and result backend, as production does)
    instead of running them in process; the connection pools are renewed on entry and exit."""
    conf = app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.result_backend)

    def renew():
        app._after_fork()  # drops the connection and producer pools
        app._backend_cache = None  # the result backend, built again from the URL
        app._local.__dict__.pop("backend", None)

    conf.task_always_eager = False
    conf.broker_url = conf.broker_write_url = conf.result_backend = url
    renew()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.result_backend = saved
        renew()


@pytest.fixture
def broker_down():
    """Redis is down: the configured broker answers nothing (a closed port)."""
    with broker_at(CLOSED_BROKER):
        yield CLOSED_BROKER


class RedisServer:
    """A throw-away ``redis-server`` on a free port (no persistence), stopped by the test."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(directory),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = self._client()

    def _client(self):
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return client
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of the test's own; skipped (a failure in CI) without ``redis-server``."""
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()
