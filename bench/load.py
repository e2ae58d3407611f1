"""HTTP load benchmark of the product's pages, beside a floor page measured in the same run.

Serves the application with gunicorn (2 sync workers, ``bench.settings``: production's
settings on loopback, see that module) against the database ``DATABASE_URL`` names, logs in
each role through the real login form (one session per thread), and measures every page of
issue 14 at concurrency 1 and 8: p50/p95/p99 ms, requests per second, response size and
errors (any unexpected status). Each page's queries are counted separately, in this process,
with Django's test client. Prints a table and writes ``bench/results/<size>-<UTC time>.json``.

    DATABASE_URL=postgres://…/danvan .venv/bin/python bench/load.py --users scale --size province
    DATABASE_URL=postgres://…/demo   .venv/bin/python bench/load.py --users demo

``make bench`` (``bench/run.sh``) makes a throw-away PostgreSQL database, fills it with
``seed_scale`` and runs this. The bench writes to the database it measures: one criterion of
the reviewer's sheets is scored, an annual report is requested (and never made: the bench's
broker keeps tasks), sessions are created. Exit code 1 when any request went wrong.
"""

import argparse
import datetime
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # run as a script: import bench.* and the apps from the root
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")

WORKERS = 2


def main(argv=None) -> int:
    args = parse(argv)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import loadpages

    if connection.vendor == "sqlite" and not args.allow_sqlite:
        print(
            "error: DATABASE_URL is not set or names SQLite. The benchmark measures the\n"
            "production setup: PostgreSQL (e.g. DATABASE_URL=postgres://user@127.0.0.1:5432/db,\n"
            "or `make bench`, which makes a throw-away cluster). --allow-sqlite runs it anyway.",
            file=sys.stderr,
        )
        return 2
    users = loadpages.USERS[args.users]
    password = args.password or loadpages.PASSWORDS[args.users]
    started_at = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    clock = time.perf_counter()
    if args.collectstatic:
        # The manifest storage needs it: {% static %} fails without the manifest.
        print("collectstatic …", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    found = loadpages.targets(users)
    pages = loadpages.pages(found)
    if args.pages:
        wanted = set(args.pages.split(",")) | {loadpages.FLOOR, loadpages.FLOOR + "_again"}
        pages = [p for p in pages if p.key in wanted]
    port = args.port or free_port()
    log_path = Path(tempfile.mkdtemp(prefix="danvan-bench-")) / "gunicorn.log"
    server = start_server(port, log_path)  # it boots while the queries are counted
    try:
        print(
            f"Counting queries of {len(pages)} pages in process (test client) "
            f"[{time.perf_counter() - clock:.0f} s] …",
            flush=True,
        )
        loadpages.prepare(pages, found, users)
        info = machine_info(connection, settings) | {"load_before": load_before}
        data = data_sizes()
        connection.close()  # the server's workers take over; this process only waits
        wait_until_up(server, port, log_path)
        print(f"Up [{time.perf_counter() - clock:.0f} s]", flush=True)
        levels = sorted(set(args.concurrency))
        sessions = log_in(pages, users, password, port, max(levels))
        print(f"Measuring [{time.perf_counter() - clock:.0f} s] …", flush=True)
        for page in pages:
            measure(page, sessions, levels, args)
    finally:
        stop_server(server)
    info["load_after"] = os.getloadavg()
    report = summarise(pages, levels, users, args, started_at, info, data)
    print_table(report)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / f"{args.size}-{started_at:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(clean(report), ensure_ascii=False, indent=1) + "\n")
    print(f"\nWritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if report["errors"]:
        print(f"{report['errors']} request(s) went wrong: see 'errors' above.", file=sys.stderr)
        return 1
    return 0


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users",
        choices=["demo", "scale"],
        default="scale",
        help="the accounts of seed_demo or of seed_scale (default)",
    )
    parser.add_argument("--password", help="their password (default: the seed's)")
    parser.add_argument(
        "--size",
        help="label of the data, in the file name (default: "
        "'demo' with --users demo, else 'scale')",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=50,
        help="requests per page and concurrency level (default 50)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=20,
        help="… or fewer: no request starts after this many seconds (default 20; 0: no limit)",
    )
    parser.add_argument("--warmup", type=int, default=4, help="unmeasured requests per page first")
    parser.add_argument(
        "--concurrency",
        default="1,8",
        type=lambda s: [int(c) for c in s.split(",")],
        help="default 1,8",
    )
    parser.add_argument("--pages", help="only these page keys (comma-separated; the floor always)")
    parser.add_argument("--port", type=int, help="default: a free one")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-collectstatic", dest="collectstatic", action="store_false")
    parser.add_argument(
        "--allow-sqlite",
        action="store_true",
        help="run against SQLite (for the bench's own test; not a measurement)",
    )
    args = parser.parse_args(argv)
    args.size = args.size or ("demo" if args.users == "demo" else "scale")
    return args


# --- The server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log_path: Path, workers: int = WORKERS) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "danvan.wsgi:application",
        "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--graceful-timeout", "10",
        "--log-level", "warning", "--error-logfile", "-",
    ]  # fmt: skip
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings", "LOG_LEVEL": "WARNING"}
    print(f"Starting: {' '.join(command[1:])}  (log: {log_path})", flush=True)
    log = log_path.open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(server: subprocess.Popen, port: int, log_path: Path, seconds=60) -> None:
    from bench.loadclient import Session

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if Session("127.0.0.1", port, timeout=5).request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"error: gunicorn did not come up; its log:\n{log_path.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def log_in(pages, users: dict, password: str, port: int, count: int) -> dict:
    """``count`` sessions per role the pages need, each logged in through the login form,
    then checked (each must open the floor page).

    A user's first session logs in alone: when the stored hash is one Django upgrades at
    login (fewer iterations or a shorter salt than it wants), that login rewrites it, which
    signs out every session opened with the old hash. Raises ``SystemExit`` when a session
    is not signed in."""
    from django.urls import reverse

    from bench.loadclient import Session

    roles = sorted({page.role for page in pages})
    sessions = {role: [Session("127.0.0.1", port) for _ in range(count)] for role in roles}
    print(f"Logging in {len(roles) * count} sessions through {reverse('login')} …", flush=True)
    with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        for batch in ([0], range(1, count)):
            jobs = [(users[role], sessions[role][i]) for role in roles for i in batch]
            list(pool.map(lambda job: job[1].login(reverse("login"), job[0], password), jobs))
    for role in roles:
        for i, session in enumerate(sessions[role]):
            status = session.request("GET", "/__floor__/").status
            if status != 200:
                raise SystemExit(f"error: session {i} of {users[role]} is not signed in ({status})")
    return sessions


def measure(page, sessions: dict, levels: list, args) -> None:
    from bench.loadclient import run_level

    page.levels = {}
    if page.problem:
        print(f"  {page.label}: NOT MEASURED — {page.problem}", flush=True)
        return
    own = sessions[page.role]
    if args.warmup:
        run_level(page.requests, own[: min(2, max(levels))], args.warmup, None)
    for level in levels:
        page.levels[level] = run_level(page.requests, own[:level], args.requests, args.seconds)
    shown = ", ".join(
        f"c={c}: p50 {r['p50_ms']:.0f} p95 {r['p95_ms']:.0f} ms ({r['n']} req, {r['errors']} err)"
        for c, r in page.levels.items()
    )
    print(f"  {page.label}: {shown}", flush=True)


# --- The report ---------------------------------------------------------------------------


def machine_info(connection, settings) -> dict:
    def git(*args) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    version = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    import django
    import gunicorn

    db = settings.DATABASES["default"]
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "database": connection.vendor,
        "postgresql": version,
        "conn_max_age": db.get("CONN_MAX_AGE"),
        "conn_health_checks": db.get("CONN_HEALTH_CHECKS", False),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def data_sizes() -> dict:
    from danvan.models import Unit
    from evaluation.models import Assignment, ScoreSheet
    from models_registry.models import DvkModel

    return {
        "units": Unit.objects.count(),
        "models": DvkModel.objects.count(),
        "score_sheets": ScoreSheet.objects.count(),
        "reviewers": Assignment.objects.values("reviewer").distinct().count(),
    }


def summarise(pages, levels, users, args, started_at, info, data) -> dict:
    low, high = levels[0], levels[-1]
    # The floor is measured first and again last; ratios are taken to the faster of the two
    # at each level (the stricter reference: a first run still warming up is slower).
    floors = [p.levels for p in pages if p.key.startswith("floor") and p.levels]
    floor = {
        level: {
            stat: min(f[level][stat] for f in floors if level in f) for stat in ("p50_ms", "p95_ms")
        }
        for level in (low, high)
        if any(level in f for f in floors)
    }
    rows = []
    for page in pages:
        levels_ = page.levels
        row = {
            "key": page.key,
            "label": page.label,
            "role": page.role,
            "user": users[page.role],
            "method": page.requests[0].method if page.requests else None,
            "path": page.requests[0].path if page.requests else None,
            "queries": page.queries,
            "problem": page.problem,
            "levels": {str(c): r for c, r in levels_.items()},
            "errors": sum(r["errors"] for r in levels_.values()) + (1 if page.problem else 0),
        }
        if levels_ and len(floor) == len({low, high}):
            row[f"x_floor_p95_c{high}"] = levels_[high]["p95_ms"] / floor[high]["p95_ms"]
            row[f"x_floor_p50_c{low}"] = levels_[low]["p50_ms"] / floor[low]["p50_ms"]
        rows.append(row)
    finished = datetime.datetime.now(datetime.UTC)
    return {
        "size": args.size,
        "users": args.users,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started_at).total_seconds(), 1),
        "machine": info,
        "run": {
            "server": f"gunicorn, {WORKERS} sync workers, 127.0.0.1, bench.settings",
            "requests": args.requests,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "concurrency": levels,
        },
        "data": data,
        "pages": rows,
        "errors": sum(row["errors"] for row in rows),
    }


def print_table(report: dict) -> None:
    low, high = report["run"]["concurrency"][0], report["run"]["concurrency"][-1]
    head = [
        "page", "queries", "bytes", f"p50 c={low}", f"p95 c={low}", f"p50 c={high}",
        f"p95 c={high}", f"p99 c={high}", f"req/s c={high}", f"× floor p95 c={high}",
        f"× floor p50 c={low}", "errors",
    ]  # fmt: skip
    lines = [head, ["---"] + ["---:"] * (len(head) - 1)]
    for row in report["pages"]:
        if not row["levels"]:
            lines.append([row["label"], "", "", *["—"] * 8, f"not measured: {row['problem']}"])
            continue
        a, b = row["levels"][str(low)], row["levels"][str(high)]
        # The second budget (p50 at c=1) speaks of the score sheet's two requests.
        sheet = row["key"] in ("sheet", "sheet_save", "floor")
        lines.append([
            row["label"], str(row["queries"]), size(b["bytes"]),
            ms(a["p50_ms"]), ms(a["p95_ms"]), ms(b["p50_ms"]), ms(b["p95_ms"]), ms(b["p99_ms"]),
            f"{b['req_per_s']:.1f}", ratio(row.get(f"x_floor_p95_c{high}")),
            ratio(row.get(f"x_floor_p50_c{low}")) if sheet else "",
            str(row["errors"]) if row["errors"] else "0",
        ])  # fmt: skip
    m, d = report["machine"], report["data"]
    print(
        f"\n{report['size']}: {d['models']:,} models, {d['score_sheets']:,} sheets, "
        f"{d['units']:,} units, {d['reviewers']} reviewers; {m['cpus']} CPUs, load "
        f"{m['load_before'][0]:.2f} before / {m['load_after'][0]:.2f} after; "
        f"{m['database']} {m['postgresql']}; commit {m['git_commit'][:10]}"
        f"{' (uncommitted changes)' if m['git_dirty'] else ''}\n"
    )
    for line in lines:
        print("| " + " | ".join(line) + " |")


def ms(value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


def ratio(value) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.1f}×"


def clean(value):
    """NaN (no answer at all) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
