"""evaluation/selectors/aggregation.py: policies, calibration, spread, tiers and ranks against
examples computed by hand."""

from decimal import Decimal

import pytest

from danvan.enums import UnitKind
from evaluation import selectors, services
from evaluation.enums import Aggregation, RankBy
from evaluation.selectors import DISAGREEMENT_SPREAD_SHARE, DISAGREEMENT_STDDEV_SHARE
from models_registry.enums import ModelKind
from tests.evaluation.helpers import scored_round
from tests.factories import CommitteeMemberFactory, FieldFactory, RoundFactory, UnitFactory
from tests.factories.evaluation import fill_sheet, sheet_of, single_criterion_rubric

pytestmark = pytest.mark.django_db

D = Decimal


def results_by_entry(round_, **filters):
    return {row.entry_id: row for row in selectors.round_results(round=round_, **filters)}


@pytest.fixture
def make_round(campaign, secretariat):
    def make(**kwargs):
        return RoundFactory(campaign=campaign, created_by=secretariat, **kwargs)

    return make


# --- Policies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "sheets", "expected"),
    [
        (Aggregation.MEAN, [80, 90, 70], D("80.00")),
        (Aggregation.MEAN, [70, 75.5], D("72.75")),
        (Aggregation.MEDIAN, [60, 90, 70], D("70.00")),  # odd count: the middle sheet
        (Aggregation.MEDIAN, [60.5, 70], D("65.25")),  # even count: mean of the middle two
        (Aggregation.MEDIAN, [100, 40, 80, 70], D("75.00")),
        (Aggregation.MEDIAN, [55], D("55.00")),
        (Aggregation.TRIMMED_MEAN, [40, 70, 72, 80, 100], D("74.00")),  # 5: drop 40 and 100
        (Aggregation.TRIMMED_MEAN, [40, 70, 80, 100], D("72.50")),  # 4: no trimming
        (Aggregation.TRIMMED_MEAN, [100, 100, 50, 50, 75, 80], D("76.25")),  # drops one of each
    ],
)
def test_round_results_raw_score_per_policy(
    make_round, committee, secretariat, aggregation, sheets, expected
):
    round_ = make_round(aggregation=aggregation)
    [entry], _members = scored_round(round_, committee, [sheets], by=secretariat)

    row = results_by_entry(round_)[entry.pk]

    assert row.raw_score == expected
    assert row.sheet_count == len(sheets)
    assert (row.min_score, row.max_score) == (
        D(min(sheets)).quantize(D("0.01")),
        D(max(sheets)).quantize(D("0.01")),
    )


def test_round_results_policies_differ_on_the_same_sheets(make_round, committee, secretariat):
    scores = {}
    for aggregation in Aggregation:
        round_ = make_round(aggregation=aggregation)
        [entry], _ = scored_round(round_, committee, [[40, 70, 72, 80, 100]], by=secretariat)
        scores[aggregation] = results_by_entry(round_)[entry.pk].raw_score

    assert scores == {
        Aggregation.MEAN: D("72.40"),
        Aggregation.MEDIAN: D("72.00"),
        Aggregation.TRIMMED_MEAN: D("74.00"),
    }


def test_round_results_entry_without_sheets_has_no_score_or_rank(
    make_round, committee, secretariat
):
    round_ = make_round()
    entries, _ = scored_round(round_, committee, [[80], [None]], by=secretariat)

    row = results_by_entry(round_)[entries[1].pk]

    assert (row.sheet_count, row.raw_score, row.rank, row.tier, row.stddev) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert row.recognised is False


def test_round_results_ignores_unsubmitted_sheets(make_round, committee, secretariat):
    round_ = make_round()
    [entry], _members = scored_round(round_, committee, [[80]], by=secretariat)
    late = CommitteeMemberFactory(committee=committee)
    assignment = services.assignment_add(entry=entry, reviewer=late.user, by=secretariat)
    fill_sheet(sheet_of(assignment), 20, submit=False)

    row = results_by_entry(round_)[entry.pk]

    assert (row.sheet_count, row.raw_score) == (1, D("80.00"))


# --- Spread and disagreement --------------------------------------------------------------


def test_round_results_spread_and_stddev(make_round, committee, secretariat):
    round_ = make_round()
    [entry], _ = scored_round(round_, committee, [[60, 70, 80]], by=secretariat)

    row = results_by_entry(round_)[entry.pk]

    assert row.spread == D("20.00")
    assert row.stddev == D("8.16")  # population deviation: sqrt(200 / 3)


@pytest.mark.parametrize(
    ("sheets", "flagged"),
    [
        ([50, 75], True),  # spread 25 ≥ 20% of 100
        ([60, 80], True),  # spread exactly 20
        ([60, 79.5], False),  # spread 19.5, deviation 9.75
        ([80, 85], False),
        ([70], False),
    ],
)
def test_round_results_disagreement_flag(make_round, committee, secretariat, sheets, flagged):
    round_ = make_round()
    [entry], _ = scored_round(round_, committee, [sheets], by=secretariat)

    assert results_by_entry(round_)[entry.pk].disagreement is flagged


def test_disagreement_thresholds_are_module_constants():
    assert (DISAGREEMENT_SPREAD_SHARE, DISAGREEMENT_STDDEV_SHARE) == (D("0.20"), D("0.10"))


# --- Calibration --------------------------------------------------------------------------


def test_round_results_calibration_removes_a_lenient_reviewer(make_round, committee, secretariat):
    # Reviewer 2 gives every entry 10 points more than reviewer 1.
    # Per reviewer: means 80 and 90, deviations sqrt(200/3) = 8.165; z = −1.2247, 0, +1.2247.
    # Panel of the six sheets: mean 85, variance 43900/6 − 85² = 91.667, deviation 9.5743.
    # Calibrated = 85 + z · 9.5743: 73.27, 85.00, 96.73 — the same from both reviewers.
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = scored_round(round_, committee, [[70, 80], [80, 90], [90, 100]], by=secretariat)

    rows = results_by_entry(round_)

    assert [rows[e.pk].raw_score for e in entries] == [D("75.00"), D("85.00"), D("95.00")]
    assert [rows[e.pk].calibrated_score for e in entries] == [
        D("73.27"),
        D("85.00"),
        D("96.73"),
    ]
    assert [rows[e.pk].score_used for e in entries] == [D("73.27"), D("85.00"), D("96.73")]
    assert [rows[e.pk].rank for e in entries] == [3, 2, 1]


def test_round_results_calibration_reorders_entries_of_strict_and_lenient_reviewers(
    make_round, committee, secretariat
):
    # Reviewer 1 (strict) scores A 60 and B 80; reviewer 2 (lenient) scores C 78 and D 98.
    # Raw ranks C and D above B; once each reviewer is put on the panel's scale, A and C tie
    # (z = −1) and so do B and D (z = +1).
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    round_.reviewers_per_model = 1
    entries, _ = scored_round(
        round_, committee, [[60, None], [80, None], [None, 78], [None, 98]], by=secretariat
    )

    rows = results_by_entry(round_)
    a, b, c, d = (rows[e.pk] for e in entries)

    assert [r.raw_score for r in (a, b, c, d)] == [D(60), D(80), D(78), D(98)]
    assert a.calibrated_score == c.calibrated_score
    assert b.calibrated_score == d.calibrated_score
    # Panel: mean 79, deviation sqrt((19² + 1² + 1² + 19²) / 4) = 13.4536; z = ±1.
    assert (a.calibrated_score, b.calibrated_score) == (D("65.55"), D("92.45"))
    assert [r.rank for r in (a, b, c, d)] == [3, 1, 3, 1]


def test_round_results_calibration_single_sheet_reviewer_maps_to_panel_mean(
    make_round, committee, secretariat
):
    round_ = make_round()
    entries, _ = scored_round(
        round_, committee, [[70, None], [90, None], [None, 40]], by=secretariat
    )

    rows = results_by_entry(round_)

    # Reviewer 2 has one sheet: z = 0, so the panel mean (70 + 90 + 40) / 3 = 66.67.
    assert rows[entries[2].pk].calibrated_score == D("66.67")


def test_round_results_calibration_clamped_to_total(make_round, committee, secretariat):
    # Reviewer 1: 0, 0, 0, 100 (z of the 100 is +1.732); panel of 5 sheets with a fifth at 100
    # by reviewer 2: mean 40, deviation 48.99; 40 + 1.732 · 48.99 = 124.85 → clamped to 100.
    round_ = make_round()
    entries, _ = scored_round(
        round_,
        committee,
        [[0, None], [0, None], [0, None], [100, None], [None, 100]],
        by=secretariat,
    )

    rows = results_by_entry(round_)

    assert rows[entries[3].pk].calibrated_score == D("100.00")
    assert rows[entries[0].pk].calibrated_score == D("11.72")  # 40 − 0.577 · 48.99


def test_round_results_calibration_constant_reviewer_has_z_zero(make_round, committee, secretariat):
    round_ = make_round()
    entries, _ = scored_round(round_, committee, [[70, 60], [70, 90]], by=secretariat)

    rows = results_by_entry(round_)

    # Reviewer 1 gives 70 twice (sd 0 → z 0 → panel mean 72.5); reviewer 2: z = ∓1,
    # panel deviation sqrt((2.5² + 2.5² + 12.5² + 17.5²) / 4) = 10.8972.
    assert rows[entries[0].pk].calibrated_score == D("67.05")  # (72.5 + 61.603) / 2
    assert rows[entries[1].pk].calibrated_score == D("77.95")  # (72.5 + 83.397) / 2


# --- Tiers and ranks ----------------------------------------------------------------------


def test_round_results_tiers_and_ranks_with_ties(make_round, committee, secretariat):
    round_ = make_round()
    entries, _ = scored_round(
        round_, committee, [[92], [85], [85], [64.5], [40], [90]], by=secretariat
    )

    rows = results_by_entry(round_)

    assert [(rows[e.pk].rank, rows[e.pk].tier.name) for e in entries] == [
        (1, "Xuất sắc"),
        (3, "Tốt"),
        (3, "Tốt"),
        (5, "Đạt"),
        (6, "Không đạt"),
        (2, "Xuất sắc"),
    ]
    assert [rows[e.pk].recognised for e in entries] == [True, True, True, True, False, True]
    assert [rows[e.pk].in_top_tier for e in entries] == [True, False, False, False, False, True]
    assert [row.entry_id for row in selectors.round_results(round=round_)] == [
        entries[0].pk,
        entries[5].pk,
        entries[1].pk,
        entries[2].pk,
        entries[3].pk,
        entries[4].pk,
    ]


def test_round_results_tier_boundary_is_inclusive(make_round, committee, secretariat):
    round_ = make_round()
    entries, _ = scored_round(round_, committee, [[80], [79.5]], by=secretariat)

    rows = results_by_entry(round_)

    assert [rows[e.pk].tier.name for e in entries] == ["Tốt", "Khá"]


def test_round_results_ranks_collectives_and_individuals_separately(
    campaign, committee, secretariat, province
):
    individual_rubric = single_criterion_rubric(organiser=province, applies_to="individual")
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_individual=individual_rubric,
        admit_individual_exemplars=True,
    )
    collectives, _ = scored_round(round_, committee, [[70], [60]], by=secretariat)
    individuals, _ = scored_round(round_, committee, [[95], [50]], by=secretariat, individual=True)

    rows = results_by_entry(round_)

    assert [rows[e.pk].rank for e in collectives] == [1, 2]
    assert [rows[e.pk].rank for e in individuals] == [1, 2]
    assert [rows[e.pk].applies_to for e in individuals] == ["individual", "individual"]
    assert rows[individuals[0].pk].tier.rubric_id == individual_rubric.pk


# --- Filters ------------------------------------------------------------------------------


def test_round_results_filters_keep_ranks_of_whole_round(
    make_round, committee, secretariat, province
):
    department = UnitFactory(parent=province, kind=UnitKind.DEPARTMENT)
    field = FieldFactory()
    topic = FieldFactory(parent=field)
    round_ = make_round()
    communes, _ = scored_round(round_, committee, [[90], [70]], by=secretariat)
    [dept_entry], _ = scored_round(
        round_, committee, [[80]], by=secretariat, unit=department, field=topic
    )

    by_kind = selectors.round_results(round=round_, unit_kind=UnitKind.DEPARTMENT)
    by_field = selectors.round_results(round=round_, field=field)
    by_tier = selectors.round_results(
        round=round_, tier=round_.rubric_collective.tiers.get(name="Xuất sắc")
    )
    by_model_kind = selectors.round_results(round=round_, model_kind=ModelKind.INDIVIDUAL_EXEMPLAR)

    assert [(r.entry_id, r.rank) for r in by_kind] == [(dept_entry.pk, 2)]
    assert [r.entry_id for r in by_field] == [dept_entry.pk]
    assert [(r.entry_id, r.rank) for r in by_tier] == [(communes[0].pk, 1)]
    assert by_model_kind == []


# --- Reviewers ----------------------------------------------------------------------------


def test_reviewer_stats_against_panel(make_round, committee, secretariat):
    round_ = make_round()
    _entries, members = scored_round(
        round_, committee, [[70, 80], [80, 90], [90, None]], by=secretariat
    )

    stats = {s.reviewer.pk: s for s in selectors.reviewer_stats(round=round_)}
    strict, lenient = stats[members[0].user_id], stats[members[1].user_id]

    # Panel mean of the five sheets: 82. Entry means: 75, 85, 90.
    assert (strict.assigned, strict.submitted) == (3, 3)
    assert (strict.mean_given, strict.spread, strict.stddev_given) == (
        D("80.00"),
        D("20.00"),
        D("8.16"),
    )
    assert strict.vs_panel == D("-2.00")
    assert strict.vs_entries == D("-3.33")  # (−5 − 5 + 0) / 3
    assert (lenient.mean_given, lenient.vs_panel, lenient.vs_entries) == (
        D("85.00"),
        D("3.00"),
        D("5.00"),
    )
