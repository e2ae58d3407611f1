"""The processes a soak (``bench/soak.py``) runs beside gunicorn — a Redis on a free port,
a Celery worker and one Celery beat — and what it samples of them every few seconds:
the resident memory of each process tree (``/proc/<pid>/status`` VmRSS, children
included), PostgreSQL's connections against ``max_connections``, requests and errors.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit(
            "error: redis-server is not installed (Debian: apt-get install redis-server);\n"
            "the soak runs a real Celery worker, which needs a broker."
        )
    command = [
        server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--logfile", str(workdir / "redis.log"),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit(f"error: redis-server did not answer on port {port}")


def start_celery(kind: str, env: dict, workdir: Path, concurrency: int) -> subprocess.Popen:
    """``celery -A danvan worker`` (prefork, ``concurrency`` processes) or ``beat`` (its
    schedule file in ``workdir``), logging at INFO to ``workdir/celery-<kind>.log``."""
    command = [sys.executable, "-m", "celery", "-A", "danvan", kind, "-l", "info"]
    if kind == "worker":
        command += ["--concurrency", str(concurrency), "--hostname", f"soak-{os.getpid()}@%h"]
    else:
        command += ["--schedule", str(workdir / "beat-schedule"), "--pidfile", ""]
    log = (workdir / f"celery-{kind}.log").open("w")
    print(f"Starting: celery {' '.join(command[4:])}  (log: {log.name})", flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_worker(worker: subprocess.Popen, workdir: Path, seconds: float = 90) -> None:
    log = workdir / "celery-worker.log"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            break
        if " ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise SystemExit(f"error: the Celery worker did not start; its log:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen | None, seconds: float = 30) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- memory and connections ------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children(current)
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    return sum(rss_mb(p) for p in tree(pid))


class Sampler(threading.Thread):
    """Every ``interval`` seconds: the RSS of each gunicorn worker, of the Celery worker
    (with its pool) and beat, PostgreSQL's client connections, requests per second and
    errors since the previous sample, the load average."""

    def __init__(self, *, interval, server, worker, beat, redis, recorder, started):
        super().__init__(name="sampler", daemon=True)
        self.interval, self.recorder, self.started = interval, recorder, started
        self.server, self.worker, self.beat, self.redis = server, worker, beat, redis
        self.samples: list[dict] = []
        self.done = threading.Event()
        self._last = (0, 0, started)

    def run(self) -> None:
        try:
            while not self.done.wait(self.interval):
                self.take()
            self.take()
        finally:
            from django.db import connection

            connection.close()

    def take(self) -> None:
        now = time.monotonic()
        total, failed = self.recorder.totals()
        last_total, last_failed, last_time = self._last
        self._last = (total, failed, now)
        workers = {str(pid): round(rss_mb(pid), 1) for pid in children(self.server.pid)}
        self.samples.append(
            {
                "t_s": round(now - self.started, 1),
                "gunicorn_workers_mb": workers,
                "gunicorn_mb": round(sum(workers.values()) + rss_mb(self.server.pid), 1),
                "celery_worker_mb": round(tree_rss_mb(self.worker.pid), 1),
                "celery_worker_processes": len(tree(self.worker.pid)),
                "celery_beat_mb": round(tree_rss_mb(self.beat.pid), 1),
                "redis_mb": round(rss_mb(self.redis.pid), 1),
                **pg_connections(),
                "requests": total - last_total,
                "req_per_s": round((total - last_total) / max(now - last_time, 1e-9), 2),
                "errors": failed - last_failed,
                "load_1m": os.getloadavg()[0],
            }
        )


def pg_connections() -> dict:
    """PostgreSQL's client backends now (all databases; this sampler's own included) and
    the server's ``max_connections``; nothing on another database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE backend_type = 'client backend'), "
            "count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'active'), "
            "current_setting('max_connections')::int FROM pg_stat_activity"
        )
        clients, active, most = cursor.fetchone()
    return {"pg_connections": clients, "pg_active": active, "pg_max_connections": most}
