"""Benchmark data (``seed_scale``): Steering Committees, rounds, sheets and results.

Per province: a committee of the plan's reviewers (``scale.bcd01`` … the head first) and,
per campaign, the DOMAIN six-criterion rubric and one round of the campaign's accepted
models, each scored by ``sheets_per_model`` reviewers. Past rounds: every sheet submitted
with all criterion scores, then finalised through ``round_finalise`` (so the ``Result``
rows are exactly the product's). The current round stays open: most sheets submitted,
some not started or in progress — a third of ``scale.bcd01``'s among them.

Small things (rubrics, rounds, opening, finalising) go through the services, with their
activity rows; assignments, sheets and scores are bulk-written in chunks of entries
(without history rows or notifications). See ``danvan.scale``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from danvan.models import Unit, User
from danvan.scale import ScalePlan, bulk, insert, rng

from . import services
from .enums import Aggregation, CommitteeRole, RankBy, RubricAppliesTo, SheetStatus, Visibility
from .models import (
    Assignment,
    Committee,
    CommitteeMember,
    Criterion,
    CriterionScore,
    Result,
    Round,
    RoundEntry,
    ScoreSheet,
)

CHUNK = 1000  # entries per batch of assignments, sheets and scores
OVERALL = [
    (0.85, "Mô hình tiêu biểu, cách làm sáng tạo, nên nhân rộng trong tỉnh."),
    (0.7, "Mô hình có hiệu quả; cần bổ sung số liệu so sánh trước và sau khi thực hiện."),
    (0.0, "Cần làm rõ kết quả đo đếm được và sự tham gia của Nhân dân."),
]
FIRST_COMMENT = "Mục tiêu, sản phẩm đầu ra rõ ràng, có số liệu kiểm chứng."


def _half(value: float, maximum: Decimal) -> Decimal:
    points = Decimal(str(round(value * 2) / 2))
    return max(Decimal(0), min(maximum, points))


def _committees(plan: ScalePlan, made: dict) -> int:
    committees = bulk(
        Committee,
        [
            Committee(
                unit_id=p["id"],
                name=f"Ban Chỉ đạo phong trào thi đua “Dân vận khéo” {p['name'].lower()}",
            )
            for p in made["provinces"]
        ],
    )
    members = [
        CommitteeMember(
            committee=committee,
            user_id=user_id,
            role=CommitteeRole.HEAD if n == 0 else CommitteeRole.MEMBER,
        )
        for committee, province in zip(committees, made["provinces"], strict=True)
        for n, user_id in enumerate(province["reviewers"])
    ]
    return len(bulk(CommitteeMember, members))


def _round(plan: ScalePlan, campaign_id: int, province: dict) -> Round:
    from models_registry.models import Campaign

    campaign = Campaign.objects.get(pk=campaign_id)
    unit = Unit.objects.get(pk=province["id"])
    secretariat = User.objects.get(pk=province["secretariat"])
    rubric = services.rubric_create_default(
        organiser=unit, campaign=campaign, applies_to=RubricAppliesTo.COLLECTIVE, by=secretariat
    )
    return services.round_create(
        campaign=campaign,
        scope_unit=unit,
        by=secretariat,
        data={
            "name": f"Xét chọn mô hình cấp tỉnh năm {campaign.year}",
            "rubric_collective": rubric,
            "admit_collective_models": True,
            "admit_collective_exemplars": True,
            "admit_individual_exemplars": False,
            "require_result_report": False,
            "reviewers_per_model": plan.sheets_per_model,
            "visibility": Visibility.AFTER_SUBMIT,
            "aggregation": Aggregation.MEAN,
            "rank_by": RankBy.RAW,
        },
    )


def _sheet_status(generator, current: bool, reviewer_index: int, entry_index: int) -> str:
    if not current:
        return SheetStatus.SUBMITTED
    if reviewer_index == 0 and entry_index % 3 == 0:
        return SheetStatus.PENDING if entry_index % 2 else SheetStatus.IN_PROGRESS
    draw = generator.random()
    if draw < 0.06:
        return SheetStatus.PENDING
    if draw < 0.12:
        return SheetStatus.IN_PROGRESS
    return SheetStatus.SUBMITTED


def _score(plan, round_, province, all_entries, current, generator) -> tuple[int, int]:
    """Assignments, sheets and criterion scores of one round, chunk by chunk of entries.
    Returns (sheets, scores)."""
    criteria = list(
        Criterion.objects.filter(rubric_id=round_.rubric_collective_id).order_by("position")
    )
    reviewers = province["reviewers"]
    bias = [generator.uniform(-0.08, 0.08) for _r in reviewers]
    per_model = min(plan.sheets_per_model, len(reviewers))
    window = max(1, (round_.scoring_closes - round_.scoring_opens).days)
    opens = datetime.datetime.combine(round_.scoring_opens, datetime.time(8), tzinfo=datetime.UTC)
    sheets = scores = 0
    for start in range(0, len(all_entries), CHUNK):
        entries = all_entries[start : start + CHUNK]
        pairs = []  # (entry id, reviewer index, quality, entry index)
        for offset, entry_id in enumerate(entries):
            quality = generator.uniform(0.45, 0.98)
            for r in generator.sample(range(len(reviewers)), per_model):
                pairs.append((entry_id, r, quality, start + offset))
        assignment_ids = insert(
            Assignment,
            [
                {
                    "round_id": round_.pk,
                    "entry_id": entry_id,
                    "reviewer_id": reviewers[r],
                    "assigned_by_id": province["secretariat"],
                }
                for entry_id, r, _q, _i in pairs
            ],
            returning=True,
        )
        new_sheets, new_scores = [], []
        for assignment_id, (_entry, r, quality, i) in zip(assignment_ids, pairs, strict=True):
            status = _sheet_status(generator, current, r, i)
            share = quality + bias[r]
            points = [
                _half(float(c.max_points) * (share + generator.uniform(-0.04, 0.04)), c.max_points)
                for c in criteria
            ]
            if status == SheetStatus.PENDING:
                points = []
            elif status == SheetStatus.IN_PROGRESS:
                points = points[: 1 + i % (len(criteria) - 1)]
            submitted = status == SheetStatus.SUBMITTED
            moment = opens + datetime.timedelta(hours=generator.randrange(window * 24))
            new_sheets.append(
                {
                    "assignment_id": assignment_id,
                    "status": status,
                    "total": sum(points, Decimal(0)) if submitted else None,
                    "submitted_at": moment if submitted else None,
                    "overall_comment": next(t for floor, t in OVERALL if share >= floor)
                    if submitted
                    else "",
                }
            )
            new_scores.append(points)
        sheet_ids = insert(ScoreSheet, new_sheets, returning=True)
        rows = [
            {
                "sheet_id": sheet_id,
                "criterion_id": criterion.pk,
                "points": value,
                "comment": FIRST_COMMENT
                if n == 0 and value >= criterion.max_points * 8 / 10
                else "",
            }
            for sheet_id, points in zip(sheet_ids, new_scores, strict=True)
            for n, (criterion, value) in enumerate(zip(criteria, points, strict=False))
        ]
        insert(CriterionScore, rows)
        sheets += len(new_sheets)
        scores += len(rows)
    return sheets, scores


def _finalise(round_: Round, province: dict) -> None:
    secretariat = User.objects.get(pk=province["secretariat"])
    services.round_finalise(round=round_, by=secretariat)
    # Finalised now through the service; the round itself took place that autumn.
    closed = datetime.datetime.combine(
        round_.scoring_closes, datetime.time(17), tzinfo=datetime.UTC
    )
    Round.objects.filter(pk=round_.pk).update(
        opened_at=closed - datetime.timedelta(days=20), finalised_at=closed
    )


def seed(plan: ScalePlan, made: dict) -> dict:
    """Committees, rubrics, rounds, sheets and (past rounds) results. Puts in ``made``:
    ``rounds`` (``{campaign id: {province index: round id}}``) and ``open_round`` (the
    first province's round of the current campaign)."""
    generator = rng(plan, "evaluation")
    members = _committees(plan, made)
    made["rounds"] = {}
    counts = {"committee members": members, "rounds": 0, "sheets": 0, "criterion scores": 0}
    for campaign_id in made["campaigns"]:
        current = campaign_id == made["current_campaign"]
        made["rounds"][campaign_id] = {}
        for province in made["provinces"]:
            model_ids = made["accepted"][campaign_id].get(province["index"], [])
            if not model_ids:
                continue
            round_ = _round(plan, campaign_id, province)
            entries = insert(
                RoundEntry,
                [{"round_id": round_.pk, "dvk_model_id": pk} for pk in model_ids],
                returning=True,
            )
            # Opened before any sheet exists: the "assigned" notification finds no one.
            services.round_open(round=round_, by=User.objects.get(pk=province["secretariat"]))
            sheets, scores = _score(plan, round_, province, entries, current, generator)
            if not current:
                _finalise(round_, province)
            made["rounds"][campaign_id][province["index"]] = round_.pk
            counts["rounds"] += 1
            counts["sheets"] += sheets
            counts["criterion scores"] += scores
    made["open_round"] = made["rounds"][made["current_campaign"]].get(0)
    counts["results"] = Result.objects.count()
    return counts
