"""Where one page's time goes: SQL versus Python and templates, in process.

Finds the same objects as ``bench/load.py`` (``bench.loadpages``), signs the page's role in
with Django's test client and requests the page ``--repeat`` times after one warm-up; prints
the median wall and CPU time, the number of queries and their total time, the slowest
statements, and with ``--profile`` the functions that took the most cumulative time.

    DATABASE_URL=postgres://… .venv/bin/python bench/profile_page.py results dashboard \
        [--repeat 5] [--profile] [--sql 5] [--users scale|demo]

In process there is no HTTP, gunicorn or network: the figures show the page's own cost,
the part the load benchmark's ratios cannot split.
"""

import argparse
import cProfile
import functools
import io
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


# Left out of the count, as tests/test_query_budgets.py leaves them (ATOMIC_REQUESTS).
CONTROL = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", help="page keys of bench/loadpages.py")
    parser.add_argument("--users", choices=("demo", "scale"), default="scale")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one more request")
    parser.add_argument("--sql", type=int, default=5, help="show the N slowest statements")
    parser.add_argument("--top", type=int, default=25, help="functions shown by --profile")
    args = parser.parse_args()

    import django

    django.setup()
    logging.disable(logging.INFO)  # django-axes logs every sign-in
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client

    from bench import loadpages

    users = loadpages.USERS[args.users]
    found = loadpages.targets(users)
    by_key = {page.key: page for page in loadpages.pages(found)}
    accounts = get_user_model().objects.in_bulk(list(users.values()), field_name="username")
    connection.force_debug_cursor = True  # records every statement with its time
    for key in args.pages:
        page = by_key.get(key)
        if page is None:
            raise SystemExit(f"error: no page {key!r}; pages: {', '.join(by_key)}")
        if page.problem or not page.requests:
            print(f"{key}: not measured ({page.problem or 'no GET request'})")
            continue
        client = Client()
        client.force_login(accounts[users[page.role]])
        request = page.requests[0]
        headers = dict(request.headers)

        send = functools.partial(client.get, request.path, headers=headers)
        send()  # warm-up: caches, compiled templates
        walls, cpus, sqls, counts, slowest = [], [], [], [], []
        for _ in range(args.repeat):
            reset_queries()
            wall, cpu = time.perf_counter(), time.process_time()
            response = send()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            queries = connection.queries
            counts.append(sum(1 for q in queries if not q["sql"].startswith(CONTROL)))
            sqls.append(sum(float(q["time"]) for q in queries) * 1000)
            slowest = sorted(queries, key=lambda q: -float(q["time"]))[: args.sql]
        print(
            f"{key} ({page.label}, {page.role}, {request.path}): HTTP {response.status_code}, "
            f"{len(response.content) / 1024:.1f} kB, {counts[-1]} queries; median of "
            f"{args.repeat}: wall {statistics.median(walls):.1f} ms, CPU (this process) "
            f"{statistics.median(cpus):.1f} ms, SQL {statistics.median(sqls):.1f} ms"
        )
        for query in slowest:
            sql = " ".join(query["sql"].split())
            print(f"  {float(query['time']) * 1000:7.1f} ms  {sql[:220]}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(send)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
