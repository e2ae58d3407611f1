"""``bench/load.py`` end to end, small: the demo data, two requests per page at
concurrency 1 and 2, gunicorn on a free port against a copy of the test database (a file
when the tests run on SQLite, the test database itself on PostgreSQL). It must log in
through the form, reach every page of issue 14 and the floor without one wrong answer,
count their queries and write its JSON."""

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

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


@pytest.mark.django_db(transaction=True)
def test_load_bench_measures_every_page_without_errors_and_writes_json(tmp_path, tiny_scale_env):
    command = [
        sys.executable, "bench/load.py", "--users", "scale", "--size", "test",
        "--requests", "2", "--seconds", "0", "--warmup", "0", "--concurrency", "1,2",
        "--out", str(tmp_path), "--allow-sqlite",
    ]  # fmt: skip

    run = subprocess.run(
        command, cwd=ROOT, env=tiny_scale_env, capture_output=True, text=True, timeout=170
    )

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
