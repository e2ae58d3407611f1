"""Benchmark: evaluation at the scale of a large province (and beyond).

Builds, in a throw-away database, one round with N accepted models, a committee of R
reviewers, automatic assignment with 3 reviewers per model and every sheet scored on the
default six-criterion rubric, then times what the pages and the December work do:
``assignments_auto``, ``round_results`` (raw + calibrated scores, tiers, ranks in SQL),
``reviewer_stats`` and ``round_finalise``; and counts their queries.

    DJANGO_SETTINGS_MODULE=danvan.settings.test .venv/bin/python bench/evaluation_scale.py 3000
    DATABASE_URL=postgres://... (same)   # against PostgreSQL

SQLite runs in a temporary file unless DATABASE_URL is set. Prints one line per step.
"""

import datetime
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from danvan.enums import Role, UnitKind  # noqa: E402
from danvan.models import Unit, User  # noqa: E402
from danvan.services import user_set_roles  # noqa: E402
from evaluation import selectors, services  # noqa: E402
from evaluation.enums import SheetStatus  # noqa: E402
from evaluation.models import Criterion, CriterionScore, Round, ScoreSheet  # noqa: E402
from models_registry.enums import ModelStatus  # noqa: E402
from models_registry.models import Campaign, DvkModel  # noqa: E402


def timed(label, func, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = func(*args, **kwargs)
        elapsed = time.perf_counter() - started
    print(f"{label:<34} {elapsed * 1000:9.0f} ms  {len(queries.captured_queries):5d} queries")
    return value


def build(n_models: int, n_reviewers: int):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    province = Unit.objects.create(name="Tỉnh Thử", kind=UnitKind.PROVINCE, code="B00")
    commission = Unit.objects.create(
        name="Ban TG&DV", kind=UnitKind.PARTY_BODY, parent=province, code="B01", oversees=province
    )
    communes = Unit.objects.bulk_create(
        Unit(
            name=f"Xã {i}",
            kind=UnitKind.COMMUNE,
            parent=province,
            code=f"BX{i}",
            search_text=f"xa {i}",
        )
        for i in range(max(1, n_models // 3))
    )
    secretariat = User.objects.create_user("bench.tt", unit=commission)
    user_set_roles(user=secretariat, roles=[Role.SECRETARIAT])
    campaign = Campaign.objects.create(
        year=today.year,
        title="Bench",
        organiser=province,
        registration_opens=today - 90 * day,
        registration_closes=today - 30 * day,
        result_report_due=today - 10 * day,
        scoring_opens=today - day,
        scoring_closes=today + 9 * day,
    )
    DvkModel.objects.bulk_create(
        DvkModel(
            campaign=campaign,
            unit=communes[i % len(communes)],
            name=f"Mô hình {i}",
            status=ModelStatus.ACCEPTED,
            created_by=secretariat,
            search_text=f"mo hinh {i}",
        )
        for i in range(n_models)
    )
    committee = services.committee_create(unit=province, name="BCĐ", by=secretariat)
    for r in range(n_reviewers):
        department = Unit.objects.create(
            name=f"Sở {r}", kind=UnitKind.DEPARTMENT, parent=province, code=f"BS{r}"
        )
        user = User.objects.create_user(f"bench.r{r}", unit=department)
        services.committee_member_add(committee=committee, user=user, role="member", by=secretariat)
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    round_ = services.round_create(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={
            "name": "Bench",
            "rubric_collective": rubric,
            "require_result_report": False,
            "reviewers_per_model": 3,
            "scoring_opens": today - day,
            "scoring_closes": today + 9 * day,
        },
    )
    services.round_populate_entries(round=round_, by=secretariat)
    services.round_open(round=round_, by=secretariat)
    return round_, rubric, secretariat


def score_everything(round_, rubric):
    """Scores written in bulk (the services are timed separately; this is only data)."""
    criteria = list(Criterion.objects.filter(rubric=rubric))
    sheets = list(
        ScoreSheet.objects.filter(assignment__round=round_).values_list(
            "pk", "assignment__reviewer_id", "assignment__entry_id"
        )
    )
    rows = []
    totals = {}
    for pk, reviewer_id, entry_id in sheets:
        total = Decimal(0)
        for criterion in criteria:
            share = Decimal((entry_id * 7 + reviewer_id * 3) % 40 + 60) / 100
            points = (criterion.max_points * share * 2).quantize(Decimal(1)) / 2
            total += points
            rows.append(CriterionScore(sheet_id=pk, criterion=criterion, points=points))
        totals[pk] = total
    CriterionScore.objects.bulk_create(rows, batch_size=2000)
    now = timezone.now()
    for pk, total in totals.items():
        ScoreSheet.objects.filter(pk=pk).update(
            status=SheetStatus.SUBMITTED, total=total, submitted_at=now
        )
    return len(sheets), len(rows)


def main():
    n_models = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    n_reviewers = int(sys.argv[2]) if len(sys.argv) > 2 else 45
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; models: {n_models}; reviewers: {n_reviewers}")
    with transaction.atomic():
        started = time.perf_counter()
        round_, rubric, secretariat = build(n_models, n_reviewers)
        print(f"{'set-up (not timed below)':<34} {(time.perf_counter() - started) * 1000:9.0f} ms")
        result = timed("assignments_auto", services.assignments_auto, round=round_, by=secretariat)
        loads = sorted(result.loads.values()) if isinstance(result.loads, dict) else []
        if loads:
            print(f"{'  reviewer loads min/max':<34} {loads[0]:9d} {loads[-1]:5d}")
        sheets, scores = score_everything(round_, rubric)
        print(f"{'  sheets / criterion scores':<34} {sheets:9d} {scores:5d}")
        rows = timed("round_results (all entries)", selectors.round_results, round=round_)
        timed("round_results (one tier)", selectors.round_results, round=round_, tier=rows[0].tier)
        timed("reviewer_stats", selectors.reviewer_stats, round=round_)
        timed(
            "round_finalise",
            services.round_finalise,
            round=Round.objects.get(pk=round_.pk),
            by=secretariat,
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
