"""Benchmark: the December report of a campaign of N models (default 3,000).

Builds, in a throw-away SQLite file (or the database ``DATABASE_URL`` names — use an
empty one), a province of ~N/5 units with an issuer profile, last year's campaign and
this year's with N accepted models over six fields, a finalised round with a result for
every model (tiers, ~10 % exemplary) and an issued award decision for ~10 % of them.
Then, each in a fresh process (so that its peak memory is its own), through the service
the run's jobs use (``reports.runs.report_spec`` → ``report_document`` → the renderers):

- ``document``: the statistics and the ``ReportDocument``;
- ``pdf``, ``docx``, ``xlsx``: each renderer on the document (the document is built first
  in the same process, untimed).

Prints, per step, the wall time and the peak resident memory of the step's process and
of its own children (the PDF's annex is printed in child processes), and the files'
sizes and SHA-256 (identical on every run).

    .venv/bin/python bench/report.py            # 3,000 models
    .venv/bin/python bench/report.py 5000
"""

import datetime
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-report.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections, transaction  # noqa: E402

TIERS = [("Xuất sắc", 92), ("Tốt", 84), ("Khá", 72), ("Đạt", 62), ("Không đạt", 40)]


def build(n_models: int) -> int:
    """The data; returns the campaign's id."""
    from awards.enums import DecisionStatus, RecipientKind
    from awards.models import Award
    from danvan.enums import Role, UnitKind
    from danvan.models import Unit
    from evaluation.enums import RoundStatus
    from evaluation.models import Result, RoundEntry
    from models_registry.enums import ModelKind, ModelStatus
    from models_registry.models import Campaign, DvkModel
    from reports import services
    from tests.factories import (
        AwardTypeFactory,
        DecisionFactory,
        FieldFactory,
        RoundFactory,
        UserFactory,
    )

    province = Unit.objects.create(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE, code="P")
    commission = Unit.objects.create(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        code="P1",
        oversees=province,
    )
    kinds = [UnitKind.COMMUNE] * 6 + [UnitKind.DEPARTMENT, UnitKind.MASS_ORGANISATION]
    units = Unit.objects.bulk_create(
        Unit(
            name=f"Đơn vị số {i} – Đức Thọ",
            kind=kinds[i % len(kinds)],
            parent=province,
            code=f"U{i}",
            search_text=f"don vi so {i}",
        )
        for i in range(max(10, n_models // 5))
    )
    secretariat = UserFactory(unit=commission, roles=[Role.SECRETARIAT])
    services.issuer_profile_save(
        data={
            "unit": commission,
            "superior_body": "ĐẢNG BỘ TỈNH HÀ TĨNH",
            "issuing_body": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
            "symbol": "BTGDVTU",
            "place": "Hà Tĩnh",
            "signer_prefix": "K/T TRƯỞNG BAN",
            "signer_title": "PHÓ TRƯỞNG BAN",
            "signer_name": "Nguyễn Văn Thành",
            "recipients": "Thường trực Tỉnh ủy (để báo cáo)\nCác đồng chí Ủy viên BTV\nLưu VP",
            "valid_from": datetime.date(2020, 1, 1),
            "valid_to": None,
        },
        by=secretariat,
    )
    fields = [FieldFactory(name=name, position=i) for i, name in enumerate(
        ["Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng Đảng",
         "Môi trường", "Chuyển đổi số"]
    )]  # fmt: skip

    def campaign(year):
        return Campaign.objects.create(
            year=year,
            title=f"Phong trào thi đua “Dân vận khéo” năm {year}",
            organiser=province,
            registration_opens=datetime.date(year, 1, 10),
            registration_closes=datetime.date(year, 3, 31),
            result_report_due=datetime.date(year, 9, 30),
            scoring_opens=datetime.date(year, 10, 1),
            scoring_closes=datetime.date(year, 10, 20),
            report_date=datetime.date(year, 12, 5),
        )

    def models_of(camp, count):
        model_kinds = [ModelKind.COLLECTIVE_MODEL] * 3 + [ModelKind.COLLECTIVE_EXEMPLAR]
        return DvkModel.objects.bulk_create(
            DvkModel(
                campaign=camp,
                unit=units[i % len(units)],
                field=fields[i % len(fields)],
                kind=model_kinds[i % len(model_kinds)],
                name=f"Mô hình “Dân vận khéo” số {i}: vận động Nhân dân hiến đất làm đường",
                status=ModelStatus.ACCEPTED,
                created_by=secretariat,
                search_text=f"mo hinh {i}",
            )
            for i in range(count)
        )

    year = datetime.date.today().year
    models_of(campaign(year - 1), n_models * 9 // 10)
    current = campaign(year)
    dvk_models = models_of(current, n_models)
    round_ = RoundFactory(campaign=current, scope_unit=province, created_by=secretariat)
    entries = RoundEntry.objects.bulk_create(
        RoundEntry(round=round_, dvk_model=m) for m in dvk_models
    )
    Result.objects.bulk_create(
        Result(
            round=round_,
            entry=entry,
            dvk_model=entry.dvk_model,
            sheet_count=3,
            score_used=Decimal(TIERS[i % 5][1]) + Decimal(i % 7) / 2,
            tier_name=TIERS[i % 5][0],
            rank=i + 1,
            aggregation="mean",
            rank_by="raw",
            recognised=i % 5 != 4,
            exemplary=i % 10 == 0,
        )
        for i, entry in enumerate(entries)
    )
    round_.status = RoundStatus.FINALISED
    round_.save(update_fields=["status"])
    award_type = AwardTypeFactory(name="Bằng khen của Chủ tịch UBND tỉnh", position=1)
    decision = DecisionFactory(
        issuer=province,
        created_by=secretariat,
        campaigns=[current],
        date=datetime.date(year, 10, 15),
    )
    Award.objects.bulk_create(
        Award(
            decision=decision,
            campaign=current,
            recipient_kind=RecipientKind.MODEL,
            dvk_model=m,
            award_type=award_type,
            achievement="Có thành tích xuất sắc",
            position=i,
        )
        for i, m in enumerate(dvk_models[::10])
    )
    decision.status = DecisionStatus.ISSUED
    decision.save(update_fields=["status"])
    return current.pk


def step(name: str, campaign_id: int) -> dict:
    """One measured step, in a fresh (spawned) process."""
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from models_registry.models import Campaign
    from reports.enums import ReportKind
    from reports.runs import RENDERERS, report_document, report_spec

    spec = report_spec(kind=ReportKind.ANNUAL, campaign=Campaign.objects.get(pk=campaign_id))
    started = time.perf_counter()
    document = report_document(spec)
    elapsed = time.perf_counter() - started
    result = {"step": name, "rows": len(document.annex)}
    if name != "document":
        started = time.perf_counter()
        filename, _type, content = RENDERERS[name](document)
        elapsed = time.perf_counter() - started
        import hashlib

        result.update(file=filename, size=len(content), sha256=hashlib.sha256(content).hexdigest())
    result["seconds"] = elapsed
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result


def main() -> None:
    n_models = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        campaign_id = build(n_models)
    print(f"data: {n_models} models built in {time.perf_counter() - started:.1f} s")
    connections.close_all()
    spawn = multiprocessing.get_context("spawn")
    results = []
    for name in ("document", "pdf", "docx", "xlsx"):
        with spawn.Pool(1) as pool:
            result = pool.apply(step, (name, campaign_id))
        results.append(result)
        print(
            f"{name:<9} {result['seconds']:7.1f} s   process {result['peak_mb']:6.0f} MB   "
            f"children {result['children_peak_mb']:6.0f} MB"
            + (f"   {result['size']:>9} B  {result['sha256'][:16]}…" if "size" in result else "")
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
