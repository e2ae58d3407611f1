"""evaluation/services/rubrics.py: validation, defaults, freezing, versions and clones."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.translation import gettext

from evaluation import selectors, services
from evaluation.enums import RubricAppliesTo
from evaluation.models import Criterion, Rubric, Tier
from tests.factories import (
    CampaignFactory,
    CommitteeMemberFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
)
from tests.factories.evaluation import fill_sheet, open_round, sheet_of

pytestmark = pytest.mark.django_db

FROZEN = (
    "This rubric is already used by a round that has scores, so it can no longer be changed. "
    "Create a new version of it and change that one instead."
)


def rows(*points):
    return [{"title": f"Tiêu chí {i}", "max_points": p} for i, p in enumerate(points)]


def tiers(*pairs):
    return [{"name": name, "min_score": minimum} for name, minimum in pairs]


@pytest.fixture
def rubric(province, secretariat):
    return services.rubric_create(
        organiser=province,
        campaign=None,
        applies_to=RubricAppliesTo.COLLECTIVE,
        name="Bộ tiêu chí 2026",
        by=secretariat,
    )


def _row_errors(error, prefix) -> SimpleNamespace:
    """The refusal's ``errors`` (keyed like the formset's inputs) as ``rows`` and ``general``."""
    rows, general = {}, []
    for key, messages in error.errors.items():
        if key == prefix:
            general += messages
            continue
        _prefix, index, field = key.split("-")
        rows.setdefault(int(index), {})[field] = messages
    return SimpleNamespace(errors=SimpleNamespace(rows=rows, general=general))


def save_criteria_errors(rubric, criteria, by):
    with pytest.raises(services.EvaluationError) as caught:
        services.rubric_save_criteria(rubric=rubric, criteria=criteria, by=by)
    return _row_errors(caught.value, "criteria")


def save_tier_errors(rubric, rows_, by):
    with pytest.raises(services.EvaluationError) as caught:
        services.rubric_save_tiers(rubric=rubric, tiers=rows_, by=by)
    return _row_errors(caught.value, "tiers")


# --- Defaults -----------------------------------------------------------------------------


def test_rubric_create_default_collective_has_six_criteria_of_domain_points(
    province, campaign, secretariat
):
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )

    points = list(rubric.criteria.values_list("max_points", flat=True))
    assert points == [Decimal(p) for p in (15, 15, 15, 25, 15, 15)]
    assert rubric.total_points == Decimal(100)
    assert list(rubric.tiers.values_list("name", "min_score")) == [
        ("Xuất sắc", Decimal(90)),
        ("Tốt", Decimal(80)),
        ("Khá", Decimal(65)),
        ("Đạt", Decimal(50)),
        ("Không đạt", Decimal(0)),
    ]
    assert not services.rubric_validate(rubric=rubric)


def test_rubric_create_default_individual_has_five_standards_of_twenty(province, secretariat):
    rubric = services.rubric_create_default(
        organiser=province, campaign=None, applies_to="individual", by=secretariat
    )

    assert list(rubric.criteria.values_list("max_points", flat=True)) == [Decimal(20)] * 5
    assert rubric.applies_to == RubricAppliesTo.INDIVIDUAL
    assert "cá nhân" in rubric.name


# --- Criteria validation ------------------------------------------------------------------


def test_rubric_save_criteria_adding_up_saves_in_order(rubric, secretariat):
    saved = services.rubric_save_criteria(
        rubric=rubric, criteria=rows("40", "35.5", Decimal("24.5")), by=secretariat
    )

    assert [(c.title, c.max_points, c.position) for c in saved] == [
        ("Tiêu chí 0", Decimal("40"), 1),
        ("Tiêu chí 1", Decimal("35.5"), 2),
        ("Tiêu chí 2", Decimal("24.5"), 3),
    ]


def test_rubric_save_criteria_sum_below_total_refused(rubric, secretariat):
    error = save_criteria_errors(rubric, rows(40, 40), secretariat)

    assert error.errors.general == [
        gettext("The criteria add up to %(sum)s points but the rubric's total is %(total)s.")
        % {"sum": "80", "total": "100"}
    ]
    assert Criterion.objects.filter(rubric=rubric).count() == 0


def test_rubric_save_criteria_sum_above_total_refused(rubric, secretariat):
    error = save_criteria_errors(rubric, rows(60, 40.5), secretariat)

    # Issue 8 item 2: numbers are shown one way, with the Vietnamese decimal comma.
    assert "100,5" in error.errors.general[0]


def test_rubric_save_criteria_step_not_half_point_keyed_by_row(rubric, secretariat):
    error = save_criteria_errors(rubric, rows(50, "49.75", "0.25"), secretariat)

    assert error.errors.rows == {
        1: {"max_points": [gettext("Points go in steps of 0.5.")]},
        2: {"max_points": [gettext("Points go in steps of 0.5.")]},
    }


def test_rubric_save_criteria_zero_negative_and_text_refused(rubric, secretariat):
    error = save_criteria_errors(rubric, rows(0, -5, "nhiều", 105), secretariat)

    assert error.errors.rows[0] == {
        "max_points": [gettext("The maximum must be more than 0 points.")]
    }
    assert error.errors.rows[1] == {
        "max_points": [gettext("The maximum must be more than 0 points.")]
    }
    assert error.errors.rows[2] == {
        "max_points": [gettext("Enter a number of points, e.g. 15 or 12.5.")]
    }
    assert error.errors.general == []  # no sum reported while a row is not a number


def test_rubric_save_criteria_missing_title_refused(rubric, secretariat):
    error = save_criteria_errors(rubric, [{"title": " ", "max_points": 100}], secretariat)

    assert error.errors.rows == {0: {"title": [gettext("Please give the criterion a title.")]}}


def test_rubric_save_criteria_keeps_ids_of_existing_rows_and_deletes_missing(rubric, secretariat):
    first, second = services.rubric_save_criteria(
        rubric=rubric, criteria=rows(60, 40), by=secretariat
    )

    saved = services.rubric_save_criteria(
        rubric=rubric,
        criteria=[
            {"id": second.pk, "title": "Hiệu quả", "max_points": 70},
            {"title": "Mới", "max_points": 30},
        ],
        by=secretariat,
    )

    assert saved[0].pk == second.pk
    assert [(c.title, c.max_points) for c in saved] == [
        ("Hiệu quả", Decimal(70)),
        ("Mới", Decimal(30)),
    ]
    assert not Criterion.objects.filter(pk=first.pk).exists()


def test_rubric_save_criteria_id_of_other_rubric_refused(rubric, province, secretariat):
    other = RubricFactory(organiser=province)
    foreign = Criterion.objects.create(rubric=other, title="Khác", max_points=100)

    error = save_criteria_errors(
        rubric, [{"id": foreign.pk, "title": "X", "max_points": 100}], secretariat
    )

    assert error.errors.rows == {0: {"id": [gettext("This criterion belongs to another rubric.")]}}


# --- Tier validation ----------------------------------------------------------------------


def test_rubric_save_tiers_valid_sorted_highest_first(rubric, secretariat):
    saved = services.rubric_save_tiers(
        rubric=rubric, tiers=tiers(("Đạt", 50), ("Tốt", "80"), ("Không đạt", 0)), by=secretariat
    )

    assert [(t.name, t.min_score, t.position) for t in saved] == [
        ("Tốt", Decimal(80), 1),
        ("Đạt", Decimal(50), 2),
        ("Không đạt", Decimal(0), 3),
    ]


def test_rubric_save_tiers_overlapping_minimums_refused(rubric, secretariat):
    error = save_tier_errors(rubric, tiers(("Tốt", 80), ("Khá", 80), ("Không đạt", 0)), secretariat)

    assert error.errors.rows == {
        1: {"min_score": [gettext("Two tiers cannot start from the same score: they overlap.")]}
    }


def test_rubric_save_tiers_gap_at_bottom_refused(rubric, secretariat):
    error = save_tier_errors(rubric, tiers(("Tốt", 80), ("Đạt", 50)), secretariat)

    assert error.errors.general == [
        gettext("The lowest tier must start from 0 so that every score falls in a tier.")
    ]


def test_rubric_save_tiers_duplicate_names_and_above_total_refused(rubric, secretariat):
    error = save_tier_errors(
        rubric, tiers(("Tốt", 120), (" tốt ", 50), ("Không đạt", 0)), secretariat
    )

    assert error.errors.rows == {
        0: {
            "min_score": [
                gettext("A tier cannot start above the rubric's total of %(total)s points.")
                % {"total": "100"}
            ]
        },
        1: {"name": [gettext("Another tier already has this name.")]},
    }


def test_rubric_save_tiers_replaces_previous_tiers(rubric, secretariat):
    services.rubric_save_tiers(rubric=rubric, tiers=tiers(("A", 50), ("B", 0)), by=secretariat)

    services.rubric_save_tiers(rubric=rubric, tiers=tiers(("B", 60), ("A", 0)), by=secretariat)

    assert list(rubric.tiers.values_list("name", "min_score")) == [
        ("B", Decimal(60)),
        ("A", Decimal(0)),
    ]


def test_rubric_validate_reports_incomplete_rubric(rubric):
    errors = services.rubric_validate(rubric=rubric)

    assert errors.criteria.general == [gettext("Add at least one criterion.")]
    assert errors.tiers.general == [gettext("Add at least one tier.")]


# --- Freezing, versions, clones -----------------------------------------------------------


@pytest.fixture
def scored_rubric(campaign, committee, secretariat):
    """The collective rubric of an open round where one criterion has been scored."""
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    member = CommitteeMemberFactory(committee=committee)
    assignment = services.assignment_add(entry=entry, reviewer=member.user, by=secretariat)
    fill_sheet(sheet_of(assignment), 80, submit=False)
    return round_.rubric_collective


def test_rubric_is_frozen_false_until_a_score_exists(campaign, secretariat):
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)

    assert selectors.rubric_is_frozen(rubric=round_.rubric_collective) is False


def test_rubric_is_frozen_true_once_scored(scored_rubric):
    assert selectors.rubric_is_frozen(rubric=scored_rubric) is True


@pytest.mark.parametrize(
    "change",
    [
        lambda r, by: services.rubric_save_criteria(rubric=r, criteria=rows(100), by=by),
        lambda r, by: services.rubric_save_tiers(rubric=r, tiers=tiers(("A", 0)), by=by),
        lambda r, by: services.rubric_update(rubric=r, by=by, data={"name": "Đổi tên"}),
    ],
)
def test_rubric_change_when_frozen_refused_pointing_to_new_version(
    scored_rubric, secretariat, change
):
    with pytest.raises(services.EvaluationError) as caught:
        change(scored_rubric, secretariat)

    assert str(caught.value) == gettext(FROZEN)


def test_rubric_new_version_copies_rows_and_is_editable(scored_rubric, secretariat):
    new = services.rubric_new_version(rubric=scored_rubric, by=secretariat)

    assert new.version == scored_rubric.version + 1
    assert new.previous_version == scored_rubric
    assert list(new.criteria.values_list("title", "max_points")) == list(
        scored_rubric.criteria.values_list("title", "max_points")
    )
    assert list(new.tiers.values_list("name", "min_score")) == list(
        scored_rubric.tiers.values_list("name", "min_score")
    )
    services.rubric_save_criteria(rubric=new, criteria=rows(50, 50), by=secretariat)
    assert scored_rubric.criteria.count() == 1


def test_rubric_new_version_twice_refused(rubric, secretariat):
    services.rubric_new_version(rubric=rubric, by=secretariat)

    with pytest.raises(services.EvaluationError) as caught:
        services.rubric_new_version(rubric=rubric, by=secretariat)

    assert str(caught.value) == gettext(
        "Version %(version)d of this rubric already exists: change that one."
    ) % {"version": 2}


def test_rubric_clone_for_next_campaign_copies_rows_as_version_one(province, campaign, secretariat):
    source = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    next_year = CampaignFactory(organiser=province, year=campaign.year + 1)

    clone = services.rubric_clone(source=source, campaign=next_year, by=secretariat)

    assert (clone.campaign, clone.organiser, clone.version) == (next_year, province, 1)
    assert clone.previous_version == source
    assert clone.criteria.count() == 6
    assert clone.tiers.count() == 5
    assert not services.rubric_validate(rubric=clone)
    assert Rubric.objects.count() == 2
    assert Tier.objects.filter(rubric=source).count() == 5


def test_rubric_update_applies_to_when_used_by_round_refused(campaign, secretariat):
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)

    with pytest.raises(services.EvaluationError) as caught:
        services.rubric_update(
            rubric=round_.rubric_collective, by=secretariat, data={"applies_to": "individual"}
        )

    assert caught.value.field == "applies_to"
