"""gunicorn's configuration for the web processes: ``gunicorn -c deploy/gunicorn.conf.py
danvan.wsgi`` (danvan-web.service, the compose ``web`` service, ``make prod-check``).

Read from the environment (deploy/danvan.env.example):

- ``GUNICORN_BIND`` (default ``127.0.0.1:8000``: only nginx on the same machine reaches it;
  ``0.0.0.0:8000`` in a container);
- ``WEB_CONCURRENCY``: at most this many worker processes (default: ``2 × CPUs + 1``, the
  usual figure for sync workers whose requests wait on PostgreSQL; each process starts
  at about 100 MB resident);
- ``GUNICORN_TIMEOUT`` (default 60 s, far above the pages' times in docs/performance.md:
  reports and certificates are made by the Celery worker, never in a request) — nginx's
  ``proxy_read_timeout`` is longer, so gunicorn's own timeout is the one that fires;
- ``GUNICORN_MAX_REQUESTS`` (default 1000) and ``GUNICORN_MAX_REQUESTS_JITTER`` (100).
"""

import os


def _cpus() -> int:
    """The CPUs this process may run on (a container's or cgroup's set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _workers() -> int:
    workers = 2 * _cpus() + 1
    cap = os.environ.get("WEB_CONCURRENCY", "").strip()
    if cap:
        workers = min(workers, max(1, int(cap)))
    return workers


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _workers()
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On stop or restart, a worker finishes the request in hand for up to this long.
graceful_timeout = 30
# nginx opens a new upstream connection per request to sync workers; nothing to keep.
keepalive = 2

# Every worker process is replaced after about this many requests (the jitter spreads the
# replacements so that the workers are not all restarted at once): whatever memory a
# process gained over time -- caches, fragmentation -- is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# The application is imported once in the master before the workers are forked: a broken
# deployment (bad settings, a missing package) stops gunicorn at start instead of leaving
# workers crashing in a loop, workers start in milliseconds (a replacement after
# max_requests costs nothing) and share the imported code's memory. Two consequences:
# nothing may open a connection at import time (Django and Celery open theirs on first use;
# post_fork below closes any database connection inherited all the same), and a code
# upgrade needs `systemctl restart danvan-web`, not a reload (HUP would fork new workers
# from the old code already in the master).
preload_app = True


def post_fork(server, worker):
    from django.db import connections

    connections.close_all()


# The heartbeat file of each worker in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs on standard output/error: journald (systemd) or the container's log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client as nginx saw it (X-Forwarded-For), the request, status, size, referrer and
# the time taken in milliseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
proc_name = "danvan-web"

# gunicornc's control socket: in systemd's RuntimeDirectory (/run/danvan-web) when there is
# one, else none (its default, ~/.gunicorn/gunicorn.ctl, would be shared by every gunicorn
# of the user and is read-only under the unit's ProtectSystem=strict).
_runtime = os.environ.get("RUNTIME_DIRECTORY")
if _runtime:
    control_socket = os.path.join(_runtime.split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True
