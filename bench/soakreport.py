"""The soak's report (``bench/soak.py``): per page times and errors beside the floor page,
the memory curve of the web and worker processes, PostgreSQL's connections, what the
servers' logs say, and the verdict against the issue's targets; a Markdown table on screen
and the whole in JSON."""

import datetime
import re
import statistics
from pathlib import Path

from bench.load import clean, ms, ratio
from bench.loadclient import percentile
from bench.soakusers import FLOOR

# Memory is "flat" when it grows by at most this much from a quarter of the run (the
# workers have met every page by then) to its end: MB, or a share of the quarter's value.
FLAT_MB, FLAT_SHARE = 10.0, 0.10


def summarise(recorder, samples, *, args, info, started_at, data, facts, logs, port) -> dict:
    floor = recorder.times.get(FLOOR) or [float("nan")]
    floor_p95 = percentile(sorted(floor), 95)
    floor_p50 = percentile(sorted(floor), 50)
    pages = []
    for page in sorted(set(recorder.times) | set(recorder.errors)):
        times = sorted(recorder.times.get(page, []))
        p95, p50 = percentile(times, 95), percentile(times, 50)
        pages.append({
            "page": page, "n": len(times), "errors": recorder.errors.get(page, 0),
            "p50_ms": p50, "p95_ms": p95, "p99_ms": percentile(times, 99),
            "max_ms": times[-1] if times else None,
            "mean_ms": statistics.fmean(times) if times else None,
            "x_floor_p95": p95 / floor_p95 if times else None,
            "x_floor_p50": p50 / floor_p50 if times else None,
        })  # fmt: skip
    finished = datetime.datetime.now(datetime.UTC)
    memory = {
        "gunicorn_workers": series(samples, lambda s: sum(s["gunicorn_workers_mb"].values())),
        "gunicorn_per_worker": series(
            samples, lambda s: max(s["gunicorn_workers_mb"].values(), default=0)
        ),
        "celery_worker": series(samples, lambda s: s["celery_worker_mb"]),
        "celery_beat": series(samples, lambda s: s["celery_beat_mb"]),
    }
    pids = [sorted(s["gunicorn_workers_mb"]) for s in samples]
    connections = [s["pg_connections"] for s in samples if "pg_connections" in s]
    busy = [s["req_per_s"] for s in samples[1:]]
    return clean({
        "kind": "soak",
        "size": args.size,
        "users": args.users,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "machine": info,
        "run": {
            "people": args.people, "seconds": args.seconds, "think_s": args.think,
            "ramp_s": args.ramp, "interval_s": args.interval, "seed": args.seed,
            "server": f"gunicorn, {args.workers} sync workers, 127.0.0.1:{port}, bench.settings",
            "celery": f"1 worker (prefork, {args.celery_concurrency} processes) and 1 beat, "
                      "Redis on loopback",
        },
        "data": data,
        "requests": recorder.total,
        "req_per_s_mean": statistics.fmean(busy) if busy else None,
        "req_per_s_max": max(busy) if busy else None,
        "errors": recorder.failed,
        "error_samples": recorder.samples,
        "pages": pages,
        "floor_p95_ms": floor_p95,
        "memory": memory,
        "memory_flat": all(m["flat"] for k, m in memory.items() if k != "gunicorn_workers"),
        "gunicorn_workers_replaced": len({tuple(p) for p in pids}) > 1,
        "pg_connections_max": max(connections) if connections else None,
        "pg_max_connections": samples[-1].get("pg_max_connections") if samples else None,
        "facts": facts,
        "logs": logs,
        "samples": samples,
    })  # fmt: skip


def series(samples: list, value) -> dict:
    """First, quarter-way (after the warm-up), last (each the mean of 3 samples) and
    the largest value of a memory series in MB, its growth and whether it is flat."""
    values = [value(s) for s in samples]
    if not values:
        return {"flat": True}
    quarter = len(values) // 4

    def mean3(part):
        return round(statistics.fmean(part), 1) if part else None

    first, warm, last = mean3(values[:3]), mean3(values[quarter : quarter + 3]), mean3(values[-3:])
    growth = last - warm
    # The trend at the end: least squares over the last third of the samples, MB a minute.
    tail = samples[len(samples) * 2 // 3 :]
    slope = None
    if len(tail) >= 2 and len({s["t_s"] for s in tail}) > 1:
        fit = statistics.linear_regression([s["t_s"] for s in tail], values[-len(tail) :])
        slope = round(fit.slope * 60, 2)
    return {
        "first": first, "warm": warm, "last": last, "max": round(max(values), 1),
        "growth_mb": round(growth, 1), "growth_share": round(growth / warm, 3) if warm else None,
        "last_third_mb_per_min": slope,
        "flat": growth <= max(FLAT_MB, FLAT_SHARE * warm),
    }  # fmt: skip


def read_logs(workdir: Path) -> dict:
    """What the servers wrote: tracebacks and errors (with a few lines), tasks done."""

    def read(name):
        path = workdir / name
        return path.read_text(errors="replace") if path.exists() else ""

    web, worker, beat = read("gunicorn.log"), read("celery-worker.log"), read("celery-beat.log")
    problems = re.compile(r"Traceback|\bERROR\b|\bCRITICAL\b|WORKER TIMEOUT|\[ERROR\]")
    return {
        "workdir": str(workdir),
        "gunicorn_problem_lines": [ln for ln in web.splitlines() if problems.search(ln)][:20],
        "celery_tasks_succeeded": len(re.findall(r"succeeded in", worker)),
        "celery_tasks_retried": len(re.findall(r"\bRetry in\b", worker)),
        "celery_problem_lines": [ln for ln in worker.splitlines() if problems.search(ln)][:20],
        "beat_problem_lines": [ln for ln in beat.splitlines() if problems.search(ln)][:20],
    }


def print_report(report: dict) -> None:
    m = report["machine"]
    print(f"\nSoak: {report['run']['people']} people, {report['run']['seconds']:.0f} s, think "
          f"{report['run']['think_s'][0]:g}–{report['run']['think_s'][1]:g} s; "
          f"{report['run']['server']}; {report['run']['celery']}")  # fmt: skip
    print(f"{m['cpus']} cores, load {m['load_before'][0]:.2f} before / {m['load_after'][0]:.2f} "
          f"after; {m['database']} {m['postgresql']}; commit {m['git_commit'][:10]}"
          f"{' (uncommitted changes)' if m['git_dirty'] else ''}\n")  # fmt: skip
    head = ["page", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "× floor p95"]
    print("| " + " | ".join(head) + " |")
    print("|---" + "|---:" * (len(head) - 1) + "|")
    for p in report["pages"]:
        cells = [p["page"], str(p["n"]), str(p["errors"]), ms(p["p50_ms"]), ms(p["p95_ms"]),
                 ms(p["p99_ms"]), ms(p["max_ms"]), ratio(p["x_floor_p95"])]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
    print(f"\n{report['requests']} requests, {report['req_per_s_mean'] or 0:.1f} req/s on average "
          f"(at most {report['req_per_s_max'] or 0:.1f} over a sample), "
          f"{report['errors']} errors")  # fmt: skip
    print_curve(report["samples"])
    print("\nMemory (MB; mean of 3 samples: first, a quarter into the run, last; max):")
    for name, s in report["memory"].items():
        if "first" in s:
            print(
                f"  {name}: {s['first']} → {s['warm']} → {s['last']} (max {s['max']}), "
                f"growth after warm-up {s['growth_mb']:+} MB: {'flat' if s['flat'] else 'GROWS'}; "
                f"last third {s['last_third_mb_per_min'] or 0:+} MB/min"
            )
    print(f"PostgreSQL connections: at most {report['pg_connections_max']} of "
          f"{report['pg_max_connections']}; gunicorn workers replaced during the run: "
          f"{'yes' if report['gunicorn_workers_replaced'] else 'no'}")  # fmt: skip
    logs = report["logs"]
    print(f"Celery: {logs['celery_tasks_succeeded']} tasks succeeded, "
          f"{logs['celery_tasks_retried']} retried; problem lines: gunicorn "
          f"{len(logs['gunicorn_problem_lines'])}, worker {len(logs['celery_problem_lines'])}, "
          f"beat {len(logs['beat_problem_lines'])}")  # fmt: skip
    print(f"In the database: {report['facts']['after']}")
    for line in report["error_samples"][:10]:
        print(f"  error: {line}")


def print_curve(samples: list, every: float = 60) -> None:
    """One row a minute (and the last): the memory and connection curve."""
    print(
        "\n| t s | req/s | errors | gunicorn workers MB (each) | celery worker MB | beat MB "
        "| PG connections | load |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    shown = -every
    for i, s in enumerate(samples):
        if s["t_s"] - shown < every and i != len(samples) - 1:
            continue
        shown = s["t_s"]
        each = " + ".join(f"{v:.0f}" for v in s["gunicorn_workers_mb"].values())
        total = sum(s["gunicorn_workers_mb"].values())
        print(
            f"| {s['t_s']:.0f} | {s['req_per_s']:.1f} | {s['errors']} | {total:.0f} ({each}) | "
            f"{s['celery_worker_mb']:.0f} | {s['celery_beat_mb']:.0f} | "
            f"{s.get('pg_connections', '—')} | {s['load_1m']:.1f} |"
        )
