"""Fixtures of the reports pages' tests: the statistics world with its issuer profiles, a
leader, a unit officer, a secretariat of another province, and runs in any state."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from danvan.enums import Role, UnitKind
from danvan.models import GeneratedFileStatus
from models_registry.models import Campaign
from reports import runs
from reports.enums import ReportKind
from reports.models import REPORT_FORMATS, Report, ReportStatus
from tests.factories import UnitFactory, UserFactory
from tests.reports.conftest import campaign_for
from tests.reports.test_services import two_profiles

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def pages_world(world):
    """``world`` plus the issuer profiles, a leader of the province, a unit officer of a
    commune, and another province with its own secretariat and campaign."""
    two_profiles(world)
    world.leader = UserFactory(unit=world.commission, roles=[Role.LEADER])
    world.officer = UserFactory(unit=world.commune_a, roles=[Role.UNIT_OFFICER])
    other = UnitFactory(name="Tỉnh Nghệ An", kind=UnitKind.PROVINCE)
    world.other_commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy Nghệ An",
        kind=UnitKind.PARTY_BODY,
        parent=other,
        oversees=other,
    )
    world.outsider = UserFactory(unit=world.other_commission, roles=[Role.SECRETARIAT])
    world.other_campaign = campaign_for(other, 2025)
    return world


def make_run(campaign, by, *, status=ReportStatus.DONE, number="", kind=ReportKind.ANNUAL):
    """A run recorded through ``runs.report_request`` (its jobs not sent: the test's
    transaction never commits), then brought to ``status`` with small files."""
    options = (
        {"from_year": campaign.year - 1, "to_year": campaign.year} if kind == "summary" else {}
    )
    report = runs.report_request(
        kind=kind,
        campaign=campaign,
        by=by,
        number=number,
        date=datetime.date(2025, 12, 5),
        **options,
    )
    now = timezone.now()
    for fmt in REPORT_FORMATS:
        job = getattr(report, fmt)
        if status == ReportStatus.DONE:
            body = b"%PDF-1.7 BAO CAO" if fmt == "pdf" else b"PK fake " + fmt.encode()
            job.file.save(f"bao-cao-{report.pk}.{fmt}", ContentFile(body), save=False)
            job.filename = f"bao-cao-{report.pk}.{fmt}"
            job.content_type = CONTENT_TYPES[fmt]
            job.size = len(body)
            job.sha256 = "0" * 64
            job.status = GeneratedFileStatus.DONE
            job.progress_done = job.progress_total = 3
        elif status == ReportStatus.FAILED:
            job.status = GeneratedFileStatus.FAILED
            job.error = "Lỗi thử"
        job.save()
    Report.objects.filter(pk=report.pk).update(
        status=status,
        error="Không có hồ sơ cơ quan ban hành." if status == ReportStatus.FAILED else "",
        finished_at=now if status in (ReportStatus.DONE, ReportStatus.FAILED) else None,
    )
    report.refresh_from_db()
    return report


def campaigns_of(world):
    return Campaign.objects.filter(organiser=world.province).order_by("year")
