"""The calibration benchmark's scenarios (bench/calibration.py) with fixed seeds: the
reviewer-bias model is never worse than raw scores, beats them where strictness differs and
beats the per-reviewer z-scores it replaced where those assume comparable entries. Pure
numpy, no database; a few seconds."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from evaluation.defaults import DEFAULT_TIERS

BENCH = Path(__file__).resolve().parents[2] / "bench" / "calibration.py"
SEEDS = range(20)


def _load_bench():
    name = "bench_calibration"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


bench = _load_bench()
SCENARIOS = {s.key: s for s in bench.SCENARIOS}


@pytest.fixture(scope="module")
def outcomes():
    cache: dict = {}

    def outcome(key):
        if key not in cache:
            cache[key] = bench.run(SCENARIOS[key], SEEDS)
        return cache[key]

    return outcome


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_model_never_worse_than_raw_in_any_scenario(outcomes, key):
    gain, _ = outcomes(key).gain()

    assert gain >= -bench.TOLERANCE


@pytest.mark.parametrize("key", list(SCENARIOS))
def test_scenario_meets_the_benchmark_target(outcomes, key):
    assert outcomes(key).failures() == []


@pytest.mark.parametrize(
    ("key", "margin"),
    [
        ("strict-large", 0.05),
        ("strict-moderate", 0.01),
        ("few-sheets", 0.02),
        ("correlated", 0.05),
        ("replacement", 0.03),
    ],
)
def test_model_beats_raw_when_strictness_differs(outcomes, key, margin):
    gain, _ = outcomes(key).gain()

    assert gain > margin


def test_model_matches_raw_when_reviewers_agree(outcomes):
    gain, _ = outcomes("agree").gain()

    assert abs(gain) < 0.005


@pytest.mark.parametrize("key", ["correlated", "disconnected", "few-sheets"])
def test_model_beats_zscores_when_entries_are_not_comparable(outcomes, key):
    outcome = outcomes(key)

    assert outcome.mean("model") > outcome.mean("z-score") + 0.1


def test_model_puts_fewer_entries_in_a_wrong_tier_when_strictness_differs_a_lot(outcomes):
    mismatch = outcomes("strict-large").mismatch

    assert np.mean(mismatch["model"]) < np.mean(mismatch["raw"]) - 0.05


def test_spearman_averages_the_ranks_of_ties():
    assert bench.average_ranks(np.array([10.0, 20.0, 20.0, 5.0])).tolist() == [2, 3.5, 3.5, 1]
    assert bench.spearman(np.array([1, 2, 3]), np.array([3, 2, 1])) == pytest.approx(-1)
    assert bench.spearman(np.array([1, 2, 2, 4]), np.array([1, 2, 3, 4])) == pytest.approx(
        0.9486833
    )


def test_zscores_reproduce_the_replaced_method_on_the_issue_examples():
    # Reviewer 1 has two sheets half a point apart, reviewer 2 one sheet, reviewer 3 a
    # spread: the old method sends reviewer 1's sheets to panel mean ± panel sd (z = ±1)
    # and reviewer 2's sheet to the panel mean.
    sheets = [(1, 1, 80.0), (2, 1, 80.5), (3, 2, 95.0), (1, 3, 60.0), (2, 3, 75.0), (3, 3, 90.0)]
    x = np.array([s for _, _, s in sheets])
    mean, sd = x.mean(), x.std()

    scores = bench.zscore_scores(sheets)

    z3 = np.sqrt(1.5)  # reviewer 3's 60, 75, 90 as z-scores: −1.22, 0, +1.22

    assert scores[1] == pytest.approx(round(((mean - sd) + (mean - z3 * sd)) / 2, 2))
    assert scores[2] == pytest.approx(round(((mean + sd) + mean) / 2, 2))
    assert scores[3] == pytest.approx(round((mean + (mean + z3 * sd)) / 2, 2))


def test_tiers_are_the_default_tiers():
    assert bench.TIERS == [(name, float(minimum)) for name, minimum in DEFAULT_TIERS]
    assert [bench.tier(s) for s in (95, 90, 85, 70, 55, 10)] == [
        "Xuất sắc",
        "Xuất sắc",
        "Tốt",
        "Khá",
        "Đạt",
        "Không đạt",
    ]
