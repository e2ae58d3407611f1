"""``make prod-check``: the production stack started as deploy/ describes it, and checked.

Against the PostgreSQL server of ``DATABASE_URL`` and the Redis of ``CELERY_BROKER_URL``
(both required), with ``danvan.settings.production``:

1. a database of its own, ``PROD_CHECK_DATABASE`` (default ``danvan_prodcheck``) on the
   same server, dropped and created again (never the database ``DATABASE_URL`` names);
2. ``migrate``, ``collectstatic``, ``seed_demo``, ``check --deploy --fail-level WARNING``;
3. gunicorn with deploy/gunicorn.conf.py on a free loopback port, a Celery worker and
   Celery beat — the commands of the systemd units — each logging to a file;
4. deploy/smoke.py through real HTTP; beat's schedule in the database; nothing crashed.

Prints a table of the checks with their times; exits 1 on any failure (with the last lines
of the processes' logs). The processes are stopped and the database dropped at the end
whatever happens (``PROD_CHECK_KEEP=1`` keeps the database and the logs' folder).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python deploy/prod_check.py
"""

import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.smoke import Outcome, Smoke, table  # noqa: E402

PY = sys.executable
START_TIMEOUT_S = 90
# What beat writes into django-celery-beat's tables when it starts (CELERY_BEAT_SCHEDULE).
BEAT_ENTRIES = ("notification-digest", "registration-reminders", "scoring-reminders")


class StepFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_connect(url: str):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=parts.path.lstrip("/") or "postgres",
    )
    connection.autocommit = True
    return connection


def recreate_database(server_url: str, name: str, *, drop_only: bool = False) -> None:
    connection = pg_connect(server_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    finally:
        connection.close()


class Stack:
    """The processes of the check, each in its own process group with its log file."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs = env, logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        print(f"    {name}: {' '.join(command)}", flush=True)
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def wait_for(self, name: str, ready, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready():
            if self.processes[name].poll() is not None:
                raise StepFailed(f"{name} exited ({self.processes[name].returncode})")
            if time.monotonic() > deadline:
                raise StepFailed(f"{name}: no {what} in {START_TIMEOUT_S} s")
            time.sleep(0.3)

    def dead(self) -> list[str]:
        return [f"{n} ({p.returncode})" for n, p in self.processes.items() if p.poll() is not None]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def tails(self, lines: int = 30) -> None:
        for name in self.processes:
            print(f"--- last lines of {self.logs / name}.log")
            print("\n".join(self.log(name).splitlines()[-lines:]))


def http_ok(port: int, path: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            return s.recv(64).split(b" ")[1:2] == [b"200"]
    except OSError:
        return False


def main() -> int:
    server_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    name = os.environ.get("PROD_CHECK_DATABASE", "danvan_prodcheck")
    keep = os.environ.get("PROD_CHECK_KEEP") == "1"
    if not server_url.startswith(("postgres://", "postgresql://")) or not broker:
        print(
            "error: prod-check needs DATABASE_URL (PostgreSQL; its server gets a database "
            f"{name!r} of the check's own) and CELERY_BROKER_URL (Redis).",
            file=sys.stderr,
        )
        return 2
    if urlsplit(server_url).path.lstrip("/") == name:
        print(
            f"error: PROD_CHECK_DATABASE is the database of DATABASE_URL ({name})", file=sys.stderr
        )
        return 2

    # Stopped from outside (CI's timeout): still stop the processes and drop the database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="danvan-prodcheck."))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.production",
        "DATABASE_URL": database_url(server_url, name),
        "CELERY_BROKER_URL": broker,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "BACKUP_DIR": str(work / "backups"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "CELERY_WORKER_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_RESULT_BACKEND", None)  # follows the broker, as in production
    stack = Stack(env, work)
    outcomes: list[Outcome] = []

    def step(title: str, function) -> None:
        print(f"\n==> {title}", flush=True)
        started = time.perf_counter()
        try:
            detail = function() or ""
        except Exception as error:
            outcomes.append(Outcome(title, False, time.perf_counter() - started, str(error)))
            raise StepFailed(f"{title}: {error}") from error
        outcomes.append(Outcome(title, True, time.perf_counter() - started, detail))

    def manage(*args: str) -> None:
        command = [PY, "manage.py", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdin=subprocess.DEVNULL)

    def start_stack() -> str:
        stack.start(
            "gunicorn", [PY, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "danvan.wsgi"]
        )
        stack.start("worker", [PY, "-m", "celery", "-A", "danvan", "worker", "-l", "info"])
        stack.start("beat", [PY, "-m", "celery", "-A", "danvan", "beat", "-l", "info"])
        stack.wait_for("gunicorn", lambda: http_ok(port, "/healthz"), "answer on /healthz")
        stack.wait_for("worker", lambda: " ready." in stack.log("worker"), "'ready.'")
        stack.wait_for("beat", lambda: "beat: Starting" in stack.log("beat"), "start")
        return f"gunicorn on 127.0.0.1:{port}"

    def beat_schedule() -> str:
        connection = pg_connect(env["DATABASE_URL"])
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name FROM django_celery_beat_periodictask WHERE name = ANY(%s)",
                    [list(BEAT_ENTRIES)],
                )
                found = {row[0] for row in cursor.fetchall()}
        finally:
            connection.close()
        missing = set(BEAT_ENTRIES) - found
        if missing:
            raise StepFailed(f"beat did not write {sorted(missing)}")
        return f"{len(found)} periodic tasks in the database"

    def media_file(content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        media = Path(env["MEDIA_ROOT"])
        stored = [p for p in media.rglob("*") if p.is_file() and p.read_bytes() == content]
        if not content or not stored:
            raise StepFailed(f"no file with SHA-256 {digest[:12]}… under MEDIA_ROOT")
        return f"{len(stored)} file, SHA-256 {digest[:12]}…"

    def still_running() -> str:
        dead = stack.dead()
        if dead:
            raise StepFailed(f"exited: {', '.join(dead)}")
        return "gunicorn, worker and beat still running"

    failed = True
    try:
        step(f"create database {name}", lambda: recreate_database(server_url, name))
        step("migrate", lambda: manage("migrate", "--noinput", "-v", "0"))
        step("collectstatic", lambda: manage("collectstatic", "--noinput", "-v", "0"))
        step("seed_demo", lambda: manage("seed_demo"))
        step("check --deploy", lambda: manage("check", "--deploy", "--fail-level", "WARNING"))
        step("start gunicorn, worker, beat", start_stack)
        print("\n==> smoke test (deploy/smoke.py)", flush=True)
        smoke = Smoke("127.0.0.1", port)
        smoke.run()
        outcomes.extend(smoke.outcomes)
        step("upload stored in MEDIA_ROOT", lambda: media_file(smoke.uploaded))
        step("beat's schedule", beat_schedule)
        step("processes alive", still_running)
        failed = any(not o.ok for o in outcomes)
    except StepFailed as error:
        print(f"error: {error}", file=sys.stderr)
    finally:
        stack.stop()
        if failed:
            stack.tails()
        print("\n" + table(outcomes))
        if keep:
            print(f"kept: database {name}, logs and files in {work}")
        else:
            try:
                recreate_database(server_url, name, drop_only=True)
            except Exception as error:  # noqa: BLE001 -- cleanup: report, do not mask the result
                print(f"warning: could not drop {name}: {error}", file=sys.stderr)
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nprod-check: {'FAILED' if failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
