"""Factories and helpers for the evaluation stage.

A round built here is open for scoring today (its window runs from yesterday to two weeks
ahead) once ``open_round`` has moved it through the service; statuses are always reached
through the services, never by assigning them.
"""

from decimal import Decimal

import factory

from danvan.enums import UnitKind
from evaluation import services
from evaluation.enums import CommitteeRole, RubricAppliesTo
from evaluation.models import (
    Committee,
    CommitteeMember,
    Criterion,
    Round,
    RoundEntry,
    Rubric,
    ScoreSheet,
    Tier,
)
from models_registry.enums import ModelStatus

from .core import UnitFactory, UserFactory
from .registry import CampaignFactory, days, dvk_model_in_status


class RubricFactory(factory.django.DjangoModelFactory):
    """An empty rubric (no criteria, no tiers) of 100 points for collectives."""

    class Meta:
        model = Rubric

    organiser = factory.SubFactory(UnitFactory, kind=UnitKind.PROVINCE)
    campaign = None
    name = factory.Sequence(lambda n: f"Bộ tiêu chí {n}")
    applies_to = RubricAppliesTo.COLLECTIVE
    total_points = Decimal("100")
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..organiser"))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    group = ""
    title = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_points = Decimal("10")
    position = factory.Sequence(lambda n: n)


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Loại {n}")
    min_score = Decimal("0")
    position = factory.Sequence(lambda n: n)


DEFAULT_TIERS = [("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Đạt", 50), ("Không đạt", 0)]


def single_criterion_rubric(*, organiser, applies_to=RubricAppliesTo.COLLECTIVE, total=100):
    """A complete rubric with one criterion worth the whole total and the default tiers
    (scaled to the total): one save fills a sheet, which keeps score tests short."""
    rubric = RubricFactory(organiser=organiser, applies_to=applies_to, total_points=total)
    CriterionFactory(rubric=rubric, title="Đánh giá chung", max_points=Decimal(total))
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(
            rubric=rubric,
            name=name,
            min_score=Decimal(minimum) * Decimal(total) / 100,
            position=position,
        )
    return rubric


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    unit = factory.SubFactory(UnitFactory, kind=UnitKind.PROVINCE)
    name = factory.Sequence(lambda n: f"Ban Chỉ đạo phong trào thi đua Dân vận khéo {n}")


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    """A member working in a department of the committee's unit (no conflict with the
    communes' models), with an e-mail address for the notices."""

    class Meta:
        model = CommitteeMember
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(
        UserFactory,
        unit=factory.SubFactory(
            UnitFactory,
            kind=UnitKind.DEPARTMENT,
            parent=factory.SelfAttribute("...committee.unit"),
        ),
        email=factory.Sequence(lambda n: f"reviewer{n}@example.vn"),
    )
    role = CommitteeRole.MEMBER
    active = True

    @factory.post_generation
    def followed_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.followed_units.set(extracted)


class RoundFactory(factory.django.DjangoModelFactory):
    """A draft round of a provincial campaign, scoring collectives with a one-criterion
    rubric of 100 points, two reviewers per model, window from yesterday for two weeks."""

    class Meta:
        model = Round

    campaign = factory.SubFactory(CampaignFactory)
    scope_unit = factory.SelfAttribute("campaign.organiser")
    name = factory.Sequence(lambda n: f"Đợt chấm {n}")
    rubric_collective = factory.LazyAttribute(
        lambda o: single_criterion_rubric(organiser=o.scope_unit)
    )
    rubric_individual = None
    require_result_report = False
    reviewers_per_model = 2
    scoring_opens = factory.LazyFunction(lambda: days(-1))
    scoring_closes = factory.LazyFunction(lambda: days(14))
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..scope_unit"))


class RoundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEntry

    round = factory.SubFactory(RoundFactory)
    dvk_model = factory.LazyAttribute(
        lambda o: dvk_model_in_status(ModelStatus.ACCEPTED, campaign=o.round.campaign)
    )


def accepted_model(campaign, *, unit=None, reviewer=None, **kwargs):
    """An accepted model of ``campaign`` (of a new commune under the organiser by default)."""
    if unit is not None:
        kwargs["unit"] = unit
    return dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, reviewer=reviewer, **kwargs)


def open_round(round_, *, by=None):
    """Move a draft round to open through the service (it needs at least one entry)."""
    return services.round_open(round=round_, by=by or round_.created_by)


def sheet_of(assignment) -> ScoreSheet:
    return ScoreSheet.objects.select_related("assignment").get(assignment=assignment)


def fill_sheet(sheet, total, *, submit=True) -> ScoreSheet:
    """Score ``sheet`` through the services so that it adds up to ``total`` (criteria filled
    in order up to their maximum), then submit it."""
    sheet = ScoreSheet.objects.select_related(
        "assignment__round", "assignment__entry__dvk_model", "assignment__reviewer"
    ).get(pk=sheet.pk)
    assignment = sheet.assignment
    rubric_id = assignment.round.rubric_id_for(assignment.entry.dvk_model.kind)
    remaining = Decimal(str(total))
    for criterion in Criterion.objects.filter(rubric_id=rubric_id).order_by("position", "pk"):
        points = min(criterion.max_points, remaining)
        remaining -= points
        services.sheet_save_score(
            sheet=sheet, criterion=criterion, points=points, by=assignment.reviewer
        )
    if submit:
        sheet = services.sheet_submit(sheet=sheet, by=assignment.reviewer)
    return sheet
