"""Soak: simulated people working for minutes against the production stack, from a
separate process, while memory, connections and errors are watched.

Serves the application as ``bench/load.py`` does (gunicorn, sync workers, ``bench.settings``:
production's settings on loopback) against the database ``DATABASE_URL`` names, with a real
Celery worker and one beat on a Redis of its own (a free port), and lets ``--people``
simulated people (``bench/soakusers.py``: unit officers registering models with evidence
files, reviewers scoring, the secretariat working the intake, the round and an Excel export
made in the background, leaders browsing the overview and the showcase) work for
``--seconds``, each pausing ``--think`` seconds between two requests. Every ``--interval``
seconds it samples the memory of each gunicorn worker and of the Celery worker (with its
pool), PostgreSQL's connections, requests per second and errors. At the end: per page
p50/p95/p99 and errors, the memory curve, the connections. Prints a table and writes
``bench/results/soak-<UTC time>.json``; exit code 1 when any request went wrong.

    make soak                                     # 50 people, 600 s, province scale
    DATABASE_URL=postgres://…/danvan .venv/bin/python bench/soak.py --people 10 --seconds 60

The soak writes to the database it measures (models, files, scores, accepted models,
sessions) and to ``MEDIA_ROOT``: run it on a throw-away database (``make soak`` makes one).
"""

import argparse
import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # run as a script: import bench.* and the apps from the root
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")

# Of every 10 people: 3 unit officers, 3 reviewers, 2 of the secretariat, 2 leaders.
MIX = ["officer", "reviewer", "secretariat", "leader", "officer", "reviewer", "secretariat",
       "leader", "officer", "reviewer"]  # fmt: skip


def main(argv=None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="danvan-soak-"))
    from bench.load import free_port

    redis_port = free_port()
    os.environ["BENCH_BROKER_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    os.environ["BENCH_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import soakreport, soakstack
    from bench.load import machine_info, start_server, stop_server, wait_until_up
    from bench.soakusers import Person, Plan, Recorder

    if connection.vendor == "sqlite" and not args.allow_sqlite:
        print("error: DATABASE_URL is not set or names SQLite (see bench/load.py; "
              "`make soak` makes a throw-away PostgreSQL).", file=sys.stderr)  # fmt: skip
        return 2
    started_at = datetime.datetime.now(datetime.UTC)
    if args.collectstatic:
        print("collectstatic …", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    from bench import soakplan

    port = args.port or free_port()
    roles = [MIX[i % len(MIX)] for i in range(args.people)]
    plan_data = soakplan.prepare(args.users, roles=roles)
    info = machine_info(connection, settings)
    info |= {"load_before": os.getloadavg()}
    before = soakplan.facts(since=started_at)
    connection.close()
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings", "LOG_LEVEL": "WARNING"}
    redis = worker = beat = server = None
    recorder = Recorder()
    try:
        redis = soakstack.start_redis(redis_port, workdir)
        worker = soakstack.start_celery("worker", env, workdir, args.celery_concurrency)
        beat = soakstack.start_celery("beat", env, workdir, 1)
        server = start_server(port, workdir / "gunicorn.log", workers=args.workers)
        # Each worker imports the application: minutes on a busy 2-core machine.
        wait_until_up(server, port, workdir / "gunicorn.log", seconds=300)
        soakstack.wait_for_worker(worker, workdir)
        print(f"Up: gunicorn {args.workers} workers on 127.0.0.1:{port}, Celery worker and "
              f"beat on redis://127.0.0.1:{redis_port}/0 (logs: {workdir})", flush=True)  # fmt: skip
        clock = time.monotonic()
        plan = Plan(port=port, password=plan_data["password"], paths=plan_data["paths"],
                    fields=plan_data["fields"], think=tuple(args.think), ramp=args.ramp,
                    stop_at=clock + args.seconds)  # fmt: skip
        people = [
            Person(name, role, username, plan, recorder, seed=args.seed, sheets=sheets)
            for name, role, username, sheets in plan_data["people"]
        ]
        sampler = soakstack.Sampler(interval=args.interval, server=server, worker=worker,
                                    beat=beat, redis=redis, recorder=recorder,
                                    started=clock)  # fmt: skip
        print(
            f"Soak: {len(people)} people for {args.seconds:.0f} s "
            f"(think {args.think[0]:g}–{args.think[1]:g} s, ramp {args.ramp:g} s) …",
            flush=True,
        )
        sampler.start()
        for person in people:
            person.start()
        progress(sampler, plan.stop_at)
        for person in people:
            person.join(timeout=max(0.0, plan.stop_at + 150 - time.monotonic()))
        sampler.done.set()
        sampler.join(timeout=30)
    finally:
        stop_server(server) if server is not None else None
        for process in (beat, worker, redis):
            soakstack.stop(process)
    info["load_after"] = os.getloadavg()
    after = soakplan.facts(since=started_at)
    report = soakreport.summarise(
        recorder, sampler.samples, args=args, info=info, started_at=started_at,
        data=plan_data["data"], facts={"before": before, "after": after},
        logs=soakreport.read_logs(workdir), port=port,
    )  # fmt: skip
    soakreport.print_report(report)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / f"soak-{started_at:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(f"\nWritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    logs = report["logs"]
    if report["errors"] or any(logs[k] for k in logs if k.endswith("problem_lines")):
        print(f"The servers' logs are kept in {workdir}.")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if report["errors"]:
        print(f"{report['errors']} request(s) went wrong: see 'errors' above.", file=sys.stderr)
        return 1
    return 0


def progress(sampler, stop_at: float) -> None:
    """A line a minute while the people work."""
    shown = 0
    while time.monotonic() < stop_at:
        time.sleep(min(5.0, max(0.0, stop_at - time.monotonic())))
        if len(sampler.samples) > shown and (len(sampler.samples) - shown) * sampler.interval >= 60:
            shown = len(sampler.samples)
            s = sampler.samples[-1]
            print(f"  {s['t_s']:>5.0f} s: {s['req_per_s']:.1f} req/s, {s['errors']} errors, "
                  f"gunicorn {s['gunicorn_mb']:.0f} MB, celery {s['celery_worker_mb']:.0f} MB, "
                  f"PostgreSQL connections {s.get('pg_connections', '—')}, load {s['load_1m']:.1f}",
                  flush=True)  # fmt: skip


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", choices=["scale", "demo"], default="scale",
                        help="the accounts of seed_scale (default) or seed_demo")  # fmt: skip
    parser.add_argument("--size", default="scale", help="label of the data (in the JSON)")
    parser.add_argument("--people", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--seconds", type=float, default=600, help="how long (default 600)")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
                        help="seconds between two requests of one person (default 1 3)")  # fmt: skip
    parser.add_argument("--ramp", type=float, help="people start over this many seconds "
                        "(default: a tenth of the run, at most 30)")  # fmt: skip
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn sync workers (default 2 × cores + 1)")  # fmt: skip
    parser.add_argument("--celery-concurrency", type=int, default=os.cpu_count() or 1,
                        help="Celery worker processes (default: the cores)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026, help="of the people's choices")
    parser.add_argument("--port", type=int, help="default: a free one")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-collectstatic", dest="collectstatic", action="store_false")
    parser.add_argument("--allow-sqlite", action="store_true",
                        help="run against SQLite (the soak's own test; not a measurement)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.ramp is None:
        args.ramp = min(30.0, args.seconds / 10)
    random.seed(args.seed)
    return args


if __name__ == "__main__":
    sys.exit(main())
