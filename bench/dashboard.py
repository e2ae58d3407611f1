"""Benchmark: the leaders' dashboard and the showcase at province scale over five years.

Builds, in a throw-away SQLite file (or the empty database ``DATABASE_URL`` names), a
province of ~600 units, five campaigns of N accepted models each (default 3,000: 15,000
models), a finalised round per campaign with a result for every model (tiers, ~20 %
recognised above "Đạt", ~10 % exemplary), awards for ~10 %, a few hundred replications,
and a published tenth of the library. Then serves, in process through Django's test
client (the full middleware stack, logged in as the province's leader and a commune
officer), each page ``--repeat`` times and prints p50/p95 and its queries — next to a
floor page defined here (not in the product): a logged-in page listing 50 rows with one
join. The ratio to the floor is what the budget of the scale issue speaks of; HTTP and
concurrency are that issue's load script.

    .venv/bin/python bench/dashboard.py                 # 5 × 3,000 models, SQLite
    DATABASE_URL=postgres://…/empty .venv/bin/python bench/dashboard.py 3000
"""

import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-dashboard.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

TIERS = [("Xuất sắc", 92), ("Tốt", 84), ("Khá", 72), ("Đạt", 62), ("Không đạt", 40)]
WORDS = [
    "con đường hoa nông thôn mới",
    "tiết kiệm vì phụ nữ nghèo",
    "camera an ninh khu dân cư",
    "hiến đất làm đường giao thông",
    "chuyển đổi số thanh toán không dùng tiền mặt",
    "tổ tự quản bảo vệ môi trường",
    "dòng họ khuyến học",
    "vận động đồng bào xây nhà vệ sinh",
]
PASSWORD = "Bench@2026"
YEARS = 5


# --- The floor: a logged-in page of 50 rows with one join, outside the product -------------

FLOOR = Template(
    "<!doctype html><title>floor</title><table>{% for m in rows %}"
    "<tr><td>{{ m.name }}</td><td>{{ m.unit.name }}</td></tr>{% endfor %}</table>"
)


def floor_view(request):
    from models_registry.models import DvkModel

    rows = DvkModel.objects.select_related("unit").order_by("pk")[:50]
    return HttpResponse(FLOOR.render(Context({"rows": rows})))


urlpatterns = [path("__floor__/", floor_view), path("", include("danvan.urls"))]


# --- The data ------------------------------------------------------------------------------


def build(n_models: int) -> dict:
    from awards.enums import DecisionStatus, RecipientKind
    from awards.models import Award
    from danvan.enums import Role, UnitKind
    from danvan.models import Unit
    from evaluation.enums import RoundStatus
    from evaluation.models import Result, RoundEntry
    from models_registry.enums import ModelKind, ModelStatus
    from models_registry.models import Campaign, DvkModel
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
    communes = Unit.objects.bulk_create(
        Unit(
            name=f"Xã Số {i}",
            kind=UnitKind.COMMUNE,
            parent=province,
            code=f"C{i}",
            search_text=f"xa so {i}",
        )
        for i in range(69)
    )
    others = [UnitKind.DEPARTMENT, UnitKind.MASS_ORGANISATION]
    units = list(communes)
    units += Unit.objects.bulk_create(
        Unit(
            name=f"Đơn vị số {i}",
            kind=others[i % 2],
            parent=province,
            code=f"U{i}",
            search_text=f"don vi so {i}",
        )
        for i in range(40)
    )
    # Villages and residential groups under the communes (registering and not).
    units += Unit.objects.bulk_create(
        Unit(
            name=f"Thôn {i}",
            kind=UnitKind.RESIDENTIAL,
            parent=communes[i % len(communes)],
            code=f"T{i}",
            search_text=f"thon {i}",
        )
        for i in range(480)
    )
    UserFactory(username="bench.leader", unit=commission, roles=[Role.LEADER], password=PASSWORD)
    secretariat = UserFactory(
        username="bench.secretariat", unit=commission, roles=[Role.SECRETARIAT], password=PASSWORD
    )
    officer = UserFactory(
        username="bench.officer", unit=communes[0], roles=[Role.UNIT_OFFICER], password=PASSWORD
    )
    fields = [FieldFactory(name=name, position=i) for i, name in enumerate(
        ["Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng Đảng",
         "Môi trường", "Chuyển đổi số"]
    )]  # fmt: skip
    award_type = AwardTypeFactory(name="Bằng khen của Chủ tịch UBND tỉnh", position=1)
    kinds = [ModelKind.COLLECTIVE_MODEL] * 3 + [ModelKind.COLLECTIVE_EXEMPLAR]
    this_year = datetime.date.today().year
    previous_models: list = []
    current = None
    for year in range(this_year - YEARS + 1, this_year + 1):
        campaign = Campaign.objects.create(
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
        dvk_models = DvkModel.objects.bulk_create(
            DvkModel(
                campaign=campaign,
                unit=units[(i * 7 + year) % len(units)],
                field=fields[i % len(fields)],
                kind=kinds[i % len(kinds)],
                name=f"Mô hình “{WORDS[i % len(WORDS)]}” số {i}",
                content=f"Vận động Nhân dân {WORDS[(i * 3) % len(WORDS)]} ở thôn {i % 480}.",
                status=ModelStatus.ACCEPTED,
                created_by=officer,
                search_text=f"mo hinh {i} {WORDS[i % len(WORDS)]}",
                replicates=previous_models[i] if previous_models and i % 20 == 3 else None,
            )
            for i in range(n_models)
        )
        round_ = RoundFactory(campaign=campaign, scope_unit=province, created_by=secretariat)
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
        decision = DecisionFactory(
            issuer=province,
            created_by=secretariat,
            campaigns=[campaign],
            date=datetime.date(year, 10, 15),
        )
        Award.objects.bulk_create(
            Award(
                decision=decision,
                campaign=campaign,
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
        previous_models = dvk_models
        current = campaign
    publish(secretariat, current)
    return {
        "campaign": current.pk,
        "commune": communes[3].pk,
        "model": previous_models[10].pk,  # exemplary (i % 10 == 0)
    }


def publish(secretariat, campaign) -> None:
    """Publish every tenth recognised model of the year and switch the public page on,
    through the showcase's services (what the secretariat's buttons do)."""
    from reports import showcase

    for model in showcase.library_models().filter(campaign=campaign).order_by("pk")[::10]:
        showcase.library_publish(dvk_model=model, by=secretariat)
    showcase.library_public_page_set(unit=campaign.organiser, public_page=True, by=secretariat)


# --- The measurements ----------------------------------------------------------------------


def measure(client: Client, url: str, repeat: int) -> dict:
    client.get(url)  # warm
    times = []
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        response = client.get(url)
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "url": url,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
    }


def login(username: str) -> Client:
    from danvan.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(label, user, url) of every page measured; pages not built yet are skipped."""
    from django.urls import NoReverseMatch, reverse

    year = f"?year={ids['campaign']}"
    wanted = [
        ("floor (50 rows, one join)", "bench.leader", "/__floor__/", None),
        ("leader home", "bench.leader", None, ("home", {})),
        ("dashboard, province", "bench.leader", year, ("reports:dashboard", {})),
        (
            "dashboard, one commune",
            "bench.leader",
            f"{year}&locality={ids['commune']}",
            ("reports:dashboard", {}),
        ),
        ("dashboard one-page PDF", "bench.leader", year, ("reports:dashboard_pdf", {})),
        ("library, first page", "bench.officer", "", ("showcase:library", {})),
        ("library, search", "bench.officer", "?q=con+duong+hoa", ("showcase:library", {})),
        ("library, filtered", "bench.officer", "?tier=Xuất+sắc", ("showcase:library", {})),
        ("library entry", "bench.officer", "", ("showcase:entry", {"pk": ids["model"]})),
        ("public library", "", "", ("showcase:public", {})),
    ]
    found = []
    for label, user, suffix, target in wanted:
        if target is None:
            found.append((label, user, suffix))
            continue
        name, kwargs = target
        try:
            found.append((label, user, reverse(name, kwargs=kwargs) + (suffix or "")))
        except NoReverseMatch:
            print(f"(skipped: {label} — {name} does not exist)")
    return found


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_models = int(args[0]) if args else 3000
    repeat = 20
    for arg in sys.argv[1:]:
        if arg.startswith("--repeat="):
            repeat = int(arg.split("=", 1)[1])
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        ids = build(n_models)
    print(
        f"data: {YEARS} campaigns × {n_models} models built in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    results = []
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        clients: dict[str, Client] = {}
        for label, user, url in pages(ids):
            if user not in clients:
                clients[user] = login(user) if user else Client()
            result = measure(clients[user], url, repeat) | {"page": label}
            results.append(result)
    floor = results[0]
    print(
        f"{'page':<28} {'status':>6} {'queries':>7} {'kB':>7} {'p50 ms':>8} {'p95 ms':>8} {'× floor p95':>11}"
    )
    for r in results:
        print(
            f"{r['page']:<28} {r['status']:>6} {r['queries']:>7} {r['bytes'] / 1000:>7.1f} "
            f"{r['p50']:>8.1f} {r['p95']:>8.1f} {r['p95'] / floor['p95']:>11.1f}"
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
