"""``bench/load.py`` end to end, small: the demo data, two requests per page at
concurrency 1 and 2, gunicorn on a free port against a copy of the test database (a file
when the tests run on SQLite, the test database itself on PostgreSQL). It must log in
through the form, reach every page of issue 14 and the floor without one wrong answer,
count their queries and write its JSON."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from danvan.models import User

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "floor",
    "results",
    "assignments",
    "results_xlsx",
    "results_tier",
    "intake",
    "officer_home",
    "round_detail",
    "leader_home",
    "secretariat_home",
    "coverage",
    "sheet",
    "sheet_save",
    "model",
    "dashboard",
    "showcase",
    "awards_register",
    "report_request",
    "floor_again",
]


def database_url(tmp_path: Path) -> str:
    """A URL of the test database the server can open: SQLite's in-memory test database
    copied to a file, or the PostgreSQL test database itself (its rows are committed)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "bench.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_load_bench_measures_every_page_without_errors_and_writes_json(tmp_path):
    call_command("seed_scale", size="tiny", verbosity=0)
    # The server runs production's password hashers (the tests' MD5 is not among them).
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username__startswith="scale.").update(
        password=hasher.encode("Scale@2026", hasher.salt(), iterations=1000)
    )
    env = os.environ | {
        "DATABASE_URL": database_url(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable, "bench/load.py", "--users", "scale", "--size", "test",
        "--requests", "2", "--seconds", "0", "--warmup", "0", "--concurrency", "1,2",
        "--out", str(tmp_path), "--allow-sqlite",
    ]  # fmt: skip

    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=170)

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (written,) = tmp_path.glob("test-*.json")
    report = json.loads(written.read_text())
    assert [page["key"] for page in report["pages"]] == PAGES
    assert report["errors"] == 0
    for page in report["pages"]:
        assert page["problem"] == "", page["key"]
        assert page["queries"] > 0, page["key"]
        assert sorted(page["levels"]) == ["1", "2"], page["key"]
        assert [level["n"] for level in page["levels"].values()] == [2, 2], page["key"]
        assert page["levels"]["2"]["p95_ms"] > 0, page["key"]
    assert report["machine"]["cpus"] >= 1
    assert len(report["machine"]["load_after"]) == 3
    assert "| floor (50 rows, one join) |" in run.stdout
