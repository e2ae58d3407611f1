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


# The calibrated score takes each reviewer's estimated leniency off their sheets
# (evaluation.calibration: regularised least squares, λ estimated from the sheets). With
# sheets that fit the model exactly the noise is 0, so λ falls to its floor, MIN_SHRINKAGE
# (0.01), and the hand solutions below use it. tests/evaluation/test_calibration.py checks
# the model itself.


def test_round_results_calibration_removes_a_lenient_reviewer(make_round, committee, secretariat):
    # Reviewer 2 gives every entry 10 points more than reviewer 1: leniencies ∓15/(3 + λ),
    # ∓4.98; every entry keeps its mean, and both of its sheets calibrate to it.
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = scored_round(round_, committee, [[70, 80], [80, 90], [90, 100]], by=secretariat)

    rows = results_by_entry(round_)

    assert [rows[e.pk].raw_score for e in entries] == [D("75.00"), D("85.00"), D("95.00")]
    assert [rows[e.pk].calibrated_score for e in entries] == [D("75.00"), D("85.00"), D("95.00")]
    assert [rows[e.pk].score_used for e in entries] == [D("75.00"), D("85.00"), D("95.00")]
    assert [rows[e.pk].rank for e in entries] == [3, 2, 1]


def strict_and_lenient(round_, committee, secretariat):
    # Reviewer 1 (strict) scores A 60, B 80; reviewer 2 (lenient) scores C 82, D 98; both
    # score E (70 and 80), which shows reviewer 2 gives 10 points more. Solved by hand:
    # (0.5 + λ) b1 − 0.5 b2 = −5 and b2 = −b1, so b1 = −5 / (1 + λ) = −4.9505 at λ = 0.01.
    return scored_round(
        round_,
        committee,
        [[60, None], [80, None], [None, 82], [None, 98], [70, 80]],
        by=secretariat,
    )


def test_round_results_calibration_reorders_entries_of_strict_and_lenient_reviewers(
    make_round, committee, secretariat
):
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = strict_and_lenient(round_, committee, secretariat)

    rows = results_by_entry(round_)
    a, b, c, d, e = (rows[entry.pk] for entry in entries)

    assert [r.raw_score for r in (a, b, c, d, e)] == [D(60), D(80), D(82), D(98), D(75)]
    assert [r.calibrated_score for r in (a, b, c, d, e)] == [
        D("64.95"),
        D("84.95"),
        D("77.05"),
        D("93.05"),
        D("75.00"),
    ]
    # Raw put C above B; calibrated puts the strict reviewer's B above the lenient one's C.
    assert [r.rank for r in (a, b, c, d, e)] == [5, 2, 3, 1, 4]


def test_round_results_raw_tier_beside_the_calibrated_one(make_round, committee, secretariat):
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = strict_and_lenient(round_, committee, secretariat)

    rows = results_by_entry(round_)
    c, d = rows[entries[2].pk], rows[entries[3].pk]

    # C: raw 82 (Tốt), calibrated 77.05 (Khá); D stays Xuất sắc either way.
    assert (c.tier.name, c.raw_tier.name) == ("Khá", "Tốt")
    assert c.tier != c.raw_tier and d.tier == d.raw_tier


def test_round_results_raw_tier_equals_the_tier_when_ranked_by_raw(
    make_round, committee, secretariat
):
    round_ = make_round(rank_by=RankBy.RAW)
    strict_and_lenient(round_, committee, secretariat)

    rows = selectors.round_results(round=round_)

    assert all(row.tier == row.raw_tier for row in rows)


def test_finalised_result_keeps_the_raw_tier(make_round, committee, secretariat):
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = strict_and_lenient(round_, committee, secretariat)

    services.round_finalise(round=round_, by=secretariat)

    result = round_.results.get(entry=entries[2])
    assert (result.tier_name, result.raw_tier_name) == ("Khá", "Tốt")


def test_round_results_calibration_leaves_a_lone_single_sheet_reviewer_alone(
    make_round, committee, secretariat
):
    # Reviewer 3 replaced someone and scored one entry nobody else scored: nothing compares
    # them with the panel, so their leniency is 0 and the entry keeps its 40 (the z-scores
    # used to map it to the panel mean, 66.67).
    round_ = make_round()
    entries, _ = scored_round(
        round_, committee, [[70, 80, None], [90, 100, None], [None, None, 40]], by=secretariat
    )

    rows = results_by_entry(round_)

    assert rows[entries[2].pk].calibrated_score == D("40.00")
    assert [rows[e.pk].calibrated_score for e in entries[:2]] == [D("75.00"), D("95.00")]


def test_round_results_calibration_keeps_an_entry_within_the_rubric_total(
    make_round, committee, secretariat
):
    # Reviewer 1 is 20 points stricter than reviewer 2 on B and C (leniency −20/(2 + λ) =
    # −9.95) and alone scores A 98: 98 + 9.95 is above the total, so A's calibrated score is
    # the total, 100; nothing else moves to 100.
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = scored_round(round_, committee, [[98, None], [60, 80], [50, 70]], by=secretariat)

    rows = results_by_entry(round_)

    assert [rows[e.pk].calibrated_score for e in entries] == [
        D("100.00"),
        D("70.00"),
        D("60.00"),
    ]
    assert rows[entries[0].pk].raw_score == D("98.00")


def test_round_results_calibration_of_two_groups_that_share_no_entry(
    make_round, committee, secretariat
):
    # Reviewers 1, 2 score A and B; reviewers 3, 4 score C and D. The z-scores put each
    # group's best model at the top of the panel's scale (a 60-point model came out Xuất
    # sắc); here a group's leniencies are relative to that group only and shrunk toward 0.
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = scored_round(
        round_,
        committee,
        [[90, 92, None, None], [88, 86, None, None], [None, None, 60, 62], [None, None, 58, 56]],
        by=secretariat,
    )

    rows = results_by_entry(round_)
    a, b, c, d = (rows[e.pk] for e in entries)

    assert (a.tier.name, c.tier.name) == ("Xuất sắc", "Đạt")
    assert [r.rank for r in (a, b, c, d)] == [1, 2, 3, 4]
    assert abs(c.calibrated_score - c.raw_score) < 2


def test_round_results_calibration_cannot_invert_two_close_sheets_of_one_reviewer(
    make_round, committee, secretariat
):
    # The z-scores turned 80 and 80.5 of a two-sheet reviewer into 71.2 and 88.3. Here
    # each sheet is corrected by the same leniency, so the half-point gap stays a gap of
    # about half a point.
    round_ = make_round(rank_by=RankBy.CALIBRATED)
    entries, _ = scored_round(
        round_, committee, [[80, None], [80.5, None], [None, 75], [None, 85]], by=secretariat
    )

    rows = results_by_entry(round_)
    a, b = rows[entries[0].pk], rows[entries[1].pk]

    assert b.calibrated_score - a.calibrated_score == D("0.50")
    assert a.tier == a.raw_tier and b.tier == b.raw_tier


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
