"""Demo evaluation for Hà Tĩnh: the provincial Steering Committee, default rubrics, last
year's finalised round (scored by three members) and this year's open round.

Last year's sheets are scored through the services while the round's window covers today,
then the window is moved back to last year's dates: the results are computed exactly as
in real use. Idempotent: rounds are matched by campaign and name.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.enums import UnitKind
from danvan.models import Unit, User
from models_registry.enums import ModelStatus, ReportStatus
from models_registry.models import Campaign, DvkModel, ResultReport

from . import services
from .enums import Aggregation, CommitteeRole, RankBy, RubricAppliesTo, Visibility
from .models import Committee, Criterion, Round, ScoreSheet

COMMITTEE_NAME = "Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh Hà Tĩnh"
MEMBERS = [
    ("bcd.truongban", CommitteeRole.HEAD),
    ("bcd.thanhvien", CommitteeRole.MEMBER),
    ("bcd.hoind", CommitteeRole.MEMBER),
]
# How good each of last year's models is (share of the maximum) and how lenient each
# reviewer is (points added per criterion, before clamping): enough spread to show
# tiers, ranks and the calibration at work.
QUALITY = [Decimal("0.95"), Decimal("0.86"), Decimal("0.74"), Decimal("0.62"), Decimal("0.9")]
LENIENCY = {
    "bcd.truongban": Decimal("0"),
    "bcd.thanhvien": Decimal("1"),
    "bcd.hoind": Decimal("-1"),
}


# What reviewers write, by how good the model is (the first criterion's comment and the
# overall comment): the units' feedback shows them without the reviewers' names.
COMMENTS = [
    (
        Decimal("0.85"),
        "Mục tiêu, sản phẩm đầu ra rõ ràng, có số liệu kiểm chứng.",
        "Mô hình tiêu biểu, cách làm sáng tạo, nên nhân rộng trong tỉnh.",
    ),
    (
        Decimal("0.7"),
        "Đã nêu mục tiêu nhưng chỉ tiêu đầu ra chưa lượng hóa đầy đủ.",
        "Mô hình có hiệu quả; cần bổ sung số liệu so sánh trước và sau khi thực hiện.",
    ),
    (
        Decimal("0"),
        "Tên gọi và địa chỉ rõ; mục tiêu còn chung chung.",
        "Cần làm rõ kết quả đo đếm được và sự tham gia của Nhân dân.",
    ),
]


def _comments(share: Decimal) -> tuple[str, str]:
    return next((first, overall) for floor, first, overall in COMMENTS if share >= floor)


def _half_points(value: Decimal, maximum: Decimal) -> Decimal:
    value = max(Decimal("0"), min(maximum, value))
    return (value * 2).quantize(Decimal("1")) / 2


@transaction.atomic
def seed() -> str:
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="42").first()
    secretariat = User.objects.filter(username="thuongtruc").first()
    members = {u.username: u for u in User.objects.filter(username__in=[m for m, _r in MEMBERS])}
    campaigns = list(Campaign.objects.filter(organiser=province).order_by("year"))
    if province is None or secretariat is None or len(members) < len(MEMBERS) or len(campaigns) < 2:
        return _("skipped: the demo province, accounts or campaigns are missing")
    last, current = campaigns[-2], campaigns[-1]

    committee, created = Committee.objects.get_or_create(unit=province, name=COMMITTEE_NAME)
    if created:
        communes = list(Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE))
        for index, (username, role) in enumerate(MEMBERS):
            services.committee_member_add(
                committee=committee,
                user=members[username],
                role=role,
                by=secretariat,
                followed_units=communes[index :: len(MEMBERS)],
            )

    rounds_created = 0
    if not Round.objects.filter(campaign=last).exists():
        _finalised_round(last, province, secretariat, members)
        rounds_created += 1
    if not Round.objects.filter(campaign=current).exists():
        _open_round(current, province, secretariat)
        rounds_created += 1
    return ngettext(
        "%(rounds)d evaluation round created",
        "%(rounds)d evaluation rounds created",
        rounds_created,
    ) % {"rounds": rounds_created}


def _rubric(campaign, province, secretariat):
    return services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to=RubricAppliesTo.COLLECTIVE, by=secretariat
    )


def _round(campaign, province, secretariat, *, name, opens, closes):
    return services.round_create(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={
            "name": name,
            "rubric_collective": _rubric(campaign, province, secretariat),
            "admit_collective_models": True,
            "admit_collective_exemplars": True,
            "admit_individual_exemplars": False,
            "require_result_report": True,
            "reviewers_per_model": 2,
            "scoring_opens": opens,
            "scoring_closes": closes,
            "visibility": Visibility.AFTER_SUBMIT,
            "aggregation": Aggregation.MEAN,
            "rank_by": RankBy.RAW,
        },
    )


def _finalised_round(campaign, province, secretariat, members):
    today = timezone.localdate()
    for dvk_model in DvkModel.objects.filter(campaign=campaign, status=ModelStatus.ACCEPTED):
        ResultReport.objects.get_or_create(
            dvk_model=dvk_model,
            defaults={
                "status": ReportStatus.SUBMITTED,
                "results": "Hoàn thành các chỉ tiêu đăng ký; có biên bản nghiệm thu của thôn.",
                "people_reached": 1200,
                "households": 310,
                "money_mobilised": 450_000_000,
                "workdays": 2100,
                "self_assessment": "Mô hình được Nhân dân đồng tình, có khả năng nhân rộng.",
                "submitted_at": timezone.now(),
            },
        )
    round_ = _round(
        campaign,
        province,
        secretariat,
        name=f"Xét chọn mô hình cấp tỉnh năm {campaign.year}",
        opens=today - datetime.timedelta(days=1),
        closes=today + datetime.timedelta(days=1),
    )
    services.round_populate_entries(round=round_, by=secretariat)
    services.round_open(round=round_, by=secretariat)
    services.assignments_auto(round=round_, by=secretariat)
    criteria = list(Criterion.objects.filter(rubric=round_.rubric_collective).order_by("position"))
    entries = list(round_.entries.order_by("pk"))
    quality = {entry.pk: QUALITY[index % len(QUALITY)] for index, entry in enumerate(entries)}
    sheets = ScoreSheet.objects.filter(assignment__round=round_).select_related(
        "assignment__reviewer", "assignment__entry"
    )
    for sheet in sheets:
        reviewer = sheet.assignment.reviewer
        share = quality[sheet.assignment.entry_id]
        # A strict reviewer writes as a reviewer of a weaker model would.
        strict = LENIENCY.get(reviewer.username, 0) < 0
        first_comment, overall = _comments(share - (Decimal("0.1") if strict else 0))
        for index, criterion in enumerate(criteria):
            points = _half_points(
                criterion.max_points * share + LENIENCY.get(reviewer.username, 0),
                criterion.max_points,
            )
            services.sheet_save_score(
                sheet=sheet,
                criterion=criterion,
                points=points,
                comment=first_comment if index == 0 else "",
                by=reviewer,
            )
        services.sheet_save_overall(
            sheet=sheet, overall_comment=overall, version=sheet.version, by=reviewer
        )
        services.sheet_submit(sheet=sheet, by=reviewer)
    services.round_finalise(round=round_, by=secretariat)
    # Scored "today" through the services; the round itself took place last autumn.
    closed = datetime.datetime.combine(
        campaign.scoring_closes, datetime.time(17), tzinfo=timezone.get_current_timezone()
    )
    Round.objects.filter(pk=round_.pk).update(
        scoring_opens=campaign.scoring_opens,
        scoring_closes=campaign.scoring_closes,
        opened_at=closed - datetime.timedelta(days=20),
        finalised_at=closed,
    )
    ScoreSheet.objects.filter(assignment__round=round_).update(
        submitted_at=closed - datetime.timedelta(days=2)
    )


def _open_round(campaign, province, secretariat):
    # The campaign's own scoring window (the demo campaign's starts today, after its
    # registration closed): the round page and the campaign page show the same dates.
    round_ = _round(
        campaign,
        province,
        secretariat,
        name=f"Xét chọn mô hình cấp tỉnh năm {campaign.year}",
        opens=campaign.scoring_opens,
        closes=campaign.scoring_closes,
    )
    round_.require_result_report = False
    round_.save(update_fields=["require_result_report"])
    services.round_populate_entries(round=round_, by=secretariat)
    if round_.entries.exists():
        services.round_open(round=round_, by=secretariat)
        services.assignments_auto(round=round_, by=secretariat)
