"""evaluation/calibration.py: the reviewer-bias model against cases solved by hand, and
evaluation/selectors/calibration.py: the figures the explanation shows."""

from decimal import Decimal

import pytest

from evaluation import calibration, selectors
from evaluation.calibration import MIN_SHRINKAGE, fit
from tests.evaluation.helpers import scored_round
from tests.factories import RoundFactory

approx = pytest.approx


def test_no_sheets_no_fit():
    result = fit([])
    assert (result.leniencies, result.quality, result.groups) == ({}, {}, 0)


def test_a_lenient_reviewer_on_the_same_entries():
    # Reviewer 2 gives 10 more on every entry. With λ = 1 the system is
    # (1.5 + λ) b1 − 1.5 b2 = −15 and b2 = −b1, so b1 = −15 / (3 + λ) = −3.75.
    sheets = [(1, 1, 70), (1, 2, 80), (2, 1, 80), (2, 2, 90), (3, 1, 90), (3, 2, 100)]

    result = fit(sheets, shrinkage=1.0)

    assert result.leniency(1) == approx(-3.75)
    assert result.leniency(2) == approx(3.75)
    # Qualities: each entry's sheets less their reviewers' leniencies, averaged.
    assert [result.quality[e] for e in (1, 2, 3)] == approx([75, 85, 95])
    assert result.calibrated(2, 80) == approx(76.25)
    assert result.groups == 1


def test_strict_and_lenient_reviewers_linked_by_one_entry():
    # Reviewer 1 scores entries 1, 2 alone, reviewer 2 entries 3, 4 alone; both score
    # entry 5 (70 and 80). (0.5 + λ) b1 − 0.5 b2 = −5, b2 = −b1: b1 = −5 / (1 + λ).
    sheets = [(1, 1, 60), (2, 1, 80), (3, 2, 78), (4, 2, 98), (5, 1, 70), (5, 2, 80)]

    result = fit(sheets, shrinkage=1.0)

    assert result.leniency(1) == approx(-2.5)
    assert [result.quality[e] for e in (1, 2, 3, 4, 5)] == approx([62.5, 82.5, 75.5, 95.5, 75])


def test_a_single_sheet_reviewer_is_shrunk_toward_zero():
    # Reviewers 1 and 2 score entries 1 and 2 (reviewer 2: +10); reviewer 3 scores only
    # entry 1, above its other sheets. What the model promises: reviewer 3's leniency lies
    # between 0 and what its one sheet says, with the largest uncertainty.
    sheets = [(1, 1, 70), (1, 2, 80), (1, 3, 80), (2, 1, 80), (2, 2, 90)]

    result = fit(sheets, shrinkage=1.0)
    lone = result.leniencies[3]

    assert 0 < lone.leniency < 5
    assert lone.sheets == 1
    assert lone.uncertainty > result.leniencies[1].uncertainty


def test_a_lone_reviewer_of_a_lone_entry_has_no_leniency():
    # Nobody else scored entry 3: nothing compares reviewer 3 with the panel.
    sheets = [(1, 1, 70), (1, 2, 80), (2, 1, 90), (2, 2, 100), (3, 3, 40)]

    result = fit(sheets)

    assert result.leniency(3) == approx(0)
    assert result.quality[3] == approx(40)
    assert result.groups == 2  # reviewer 3 is a group of its own


def test_more_sheets_less_shrinkage():
    # The same +10 of reviewer 2 seen on 1 entry, then on 4: the estimate approaches 10
    # apart as the evidence grows, at a fixed λ.
    one = fit([(1, 1, 70), (1, 2, 80)], shrinkage=1.0)
    four = fit([(e, r, 70 + 10 * (r - 1)) for e in range(4) for r in (1, 2)], shrinkage=1.0)

    gap_one = one.leniency(2) - one.leniency(1)
    gap_four = four.leniency(2) - four.leniency(1)
    # n shared entries: (n/2 + λ) b1 − (n/2) b2 = −5n with b2 = −b1, so the gap is
    # 10n / (n + λ): 5 from one entry, 8 from four.
    assert gap_one == approx(5)
    assert gap_four == approx(8)


def test_two_disconnected_groups_are_detected():
    # Reviewers 1, 2 score entries 1, 2; reviewers 3, 4 score entries 3, 4 — no common entry.
    sheets = [
        (1, 1, 60), (1, 2, 62), (2, 1, 88), (2, 2, 90),
        (3, 3, 90), (3, 4, 92), (4, 3, 60), (4, 4, 58),
    ]  # fmt: skip

    result = fit(sheets)

    assert result.groups == 2
    assert {result.leniencies[r].group for r in (1, 2)} != {
        result.leniencies[r].group for r in (3, 4)
    }
    # Each group's leniencies are relative to that group only: a 60-point model of one group
    # is not turned into the best model by the other group's scale.
    assert result.quality[1] < 65 and result.quality[4] < 65
    assert result.quality[2] > 85 and result.quality[3] > 85


def test_the_shrinkage_is_estimated_from_the_sheets():
    # Reviewers who agree up to noise: a large λ, leniencies near 0, calibrated ≈ raw.
    agree = [(e, r, 70 + e + (1 if (e + r) % 2 else -1)) for e in range(10) for r in range(4)]
    # Reviewers 15 points apart with the same noise: a small λ, the gap recovered.
    apart = [
        (e, r, 70 + e + 15 * r / 3 + (1 if (e + r) % 2 else -1))
        for e in range(10)
        for r in range(4)
    ]

    calm, strict = fit(agree), fit(apart)

    assert calm.shrinkage > 10 * strict.shrinkage
    assert max(abs(calm.leniency(r)) for r in range(4)) < 0.5
    assert strict.leniency(3) - strict.leniency(0) == approx(15, abs=0.5)
    assert strict.shrinkage >= MIN_SHRINKAGE


def test_uncertainty_is_the_posterior_standard_deviation():
    # σ · sqrt((A⁻¹)_rr) with A = A0 + λI; here A0 = [[1.5, −1.5], [−1.5, 1.5]] (three
    # shared entries), λ = 2: A⁻¹ = [[3.5, 1.5], [1.5, 3.5]] / (3.5² − 1.5²) → 0.35.
    sheets = [(1, 1, 70), (1, 2, 81), (2, 1, 80), (2, 2, 89), (3, 1, 90), (3, 2, 100)]

    result = fit(sheets, shrinkage=2.0)

    assert result.leniencies[1].uncertainty == approx(result.noise_sd * 0.35**0.5)


# --- The figures of a round ----------------------------------------------------------------


@pytest.mark.django_db
def test_calibration_summary_of_a_round(campaign, secretariat, committee):
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    _entries, members = scored_round(
        round_,
        committee,
        [[60, None, None], [80, None, None], [None, 82, None], [None, 98, None], [70, 80, None],
         [None, None, 50]],
        by=secretariat,
    )  # fmt: skip

    summary = selectors.calibration_summary(round=round_)

    [group] = summary.groups
    by_user = {r.reviewer: r for r in group.reviewers}
    first, second, lone = (by_user[m.user] for m in members)
    assert first.leniency == Decimal("-4.95") and second.leniency == Decimal("4.95")
    assert (first.sheets, second.sheets, lone.sheets) == (3, 3, 1)
    assert group.reviewers[0] == second  # most lenient first
    assert lone.few_sheets and not first.few_sheets
    assert group.disconnected and group.groups == 2
    assert summary.has_warnings
    assert (group.sheets, group.entries) == (7, 6)


@pytest.mark.django_db
def test_calibration_summary_without_sheets(campaign, secretariat):
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)

    summary = selectors.calibration_summary(round=round_)

    assert summary.groups == [] and not summary.has_warnings


def test_fit_is_pure():
    # No Django import: the benchmark runs it without settings.
    assert "django" not in calibration.__dict__
