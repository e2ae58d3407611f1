"""Benchmark: the calibrated score against known true quality, on simulated rounds.

Each simulated round has entries of known quality (N(70, 10) clipped to the rubric's 0–100),
reviewers with a leniency (points they add to every sheet: negative = strict) and noise,
and sheets like real ones: half points, clipped to 0–100, three sheets per entry (the
round's ``reviewers_per_model``). Three ways of scoring an entry are compared:

- **raw**: the mean of its sheets;
- **z-score**: the method used until issue 12 (per-reviewer z-scores mapped back on the
  panel's mean and standard deviation, each sheet clamped to 0–100, then averaged),
  reimplemented exactly as the SQL of ``evaluation/selectors/aggregation.py`` computed it
  before issue 12;
- **model**: ``evaluation.calibration.fit(sheets).quality`` (score = quality + leniency +
  noise by regularised least squares), clamped to 0–100 as the results SQL does.

For each scenario (the table ``SCENARIOS`` below) and each seed it prints the Spearman rank
correlation with the true quality (mean over seeds ± standard error), the share of entries
whose tier (the default tiers: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 65, Đạt ≥ 50) differs from
the tier of their true quality, and the target check: the model is never worse than raw by
more than 0.01, and better than raw (by more than twice the standard error of the paired
difference) where strictness differs. Then the time of one fit at province scale. Exits
with status 1 when a scenario fails.

    .venv/bin/python bench/calibration.py                  # 200 seeds per scenario
    .venv/bin/python bench/calibration.py --seeds 50 --scenario strict-large
    .venv/bin/python bench/calibration.py --no-timing

No Django: the model is a pure function of the sheets. ``tests/evaluation/
test_calibration_scenarios.py`` runs the same scenarios with fewer, fixed seeds.
"""

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluation.calibration import fit

SCALE = 100.0  # the rubric's total points
QUALITY_MEAN, QUALITY_SD = 70.0, 10.0
NOISE_SD = 5.0  # a reviewer's disagreement with themself, points
SHEETS_PER_ENTRY = 3
# The default tiers (evaluation/defaults.py DEFAULT_TIERS), highest first.
TIERS = [("Xuất sắc", 90.0), ("Tốt", 80.0), ("Khá", 65.0), ("Đạt", 50.0), ("Không đạt", 0.0)]
TOLERANCE = 0.01  # the model may be worse than raw by at most this much Spearman
GAIN_SE = 2.0  # "better than raw": the mean paired gain exceeds this many standard errors


@dataclass(frozen=True)
class Round:
    """One simulated round: sheets ``(entry, reviewer, score)`` and the true qualities."""

    sheets: list[tuple[int, int, float]]
    quality: dict[int, float]


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    generator: str  # the name of a generator function below
    params: dict = field(default_factory=dict)
    strictness_differs: bool = True  # the model must beat raw here

    def simulate(self, rng) -> Round:
        return GENERATORS[self.generator](rng, **self.params)


# Sizes: entries, reviewers; leniency_sd: how much reviewers' leniencies differ (points).
# fmt: off
SCENARIOS = [
    Scenario("strict-large", "Strictness differs a lot", "balanced_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 11.0}),
    Scenario("strict-moderate", "Strictness differs moderately", "balanced_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 4.5}),
    Scenario("agree", "Reviewers agree (control)", "balanced_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 0.0}, strictness_differs=False),
    Scenario("few-sheets", "Few sheets per reviewer", "few_sheets_round",
             {"entries": 60, "reviewers": 80, "leniency_sd": 8.0}),
    Scenario("correlated", "Assignment correlated with quality", "correlated_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 8.0, "window": 5}),
    Scenario("disconnected", "Two disconnected reviewer groups", "disconnected_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 5.0, "offset": 4.0,
              "quality_gap_sd": 5.0}),
    Scenario("replacement", "Replacement reviewers with one sheet", "replacement_round",
             {"entries": 90, "reviewers": 12, "leniency_sd": 8.0, "replacements": 8}),
]
# fmt: on


# --- Generators ------------------------------------------------------------------------------


def _qualities(rng, entries: int) -> np.ndarray:
    return np.clip(rng.normal(QUALITY_MEAN, QUALITY_SD, entries), 0.0, SCALE)


def _score(rng, quality: float, leniency: float, noise: float) -> float:
    """A sheet as a reviewer writes it: half points within the rubric's scale."""
    value = quality + leniency + rng.normal(0.0, noise)
    return float(np.clip(np.round(value * 2.0) / 2.0, 0.0, SCALE))


def _balanced_panels(rng, entries: int, reviewers: int, per_entry: int) -> list[list[int]]:
    """Each entry's reviewers: the least loaded, ties broken at random (like automatic
    assignment), so every reviewer scores about the same number of entries."""
    load = np.zeros(reviewers)
    panels = []
    for _ in range(entries):
        chosen = np.argsort(load + rng.random(reviewers) * 0.5, kind="stable")[:per_entry]
        load[chosen] += 1
        panels.append([int(r) for r in chosen])
    return panels


def _sheets(rng, quality, leniency, panels, noise) -> Round:
    sheets = [
        (e, r, _score(rng, quality[e], leniency[r], noise))
        for e, panel in enumerate(panels)
        for r in panel
    ]
    return Round(sheets=sheets, quality={e: float(q) for e, q in enumerate(quality)})


def balanced_round(rng, *, entries, reviewers, leniency_sd, noise=NOISE_SD) -> Round:
    """Reviewers whose leniencies spread ``leniency_sd`` points, assigned evenly at random."""
    quality = _qualities(rng, entries)
    leniency = rng.normal(0.0, leniency_sd, reviewers)
    panels = _balanced_panels(rng, entries, reviewers, SHEETS_PER_ENTRY)
    return _sheets(rng, quality, leniency, panels, noise)


def few_sheets_round(rng, *, entries, reviewers, leniency_sd, noise=NOISE_SD) -> Round:
    """Many reviewers with 1–3 sheets each (their loads drawn at random, summing to
    ``entries × 3``), so most leniencies rest on one or two sheets."""
    quality = _qualities(rng, entries)
    leniency = rng.normal(0.0, leniency_sd, reviewers)
    total = entries * SHEETS_PER_ENTRY
    load = np.ones(reviewers, dtype=int)
    while load.sum() < total:  # add sheets one at a time to reviewers below 3
        load[rng.choice(np.flatnonzero(load < 3))] += 1
    slots = np.repeat(np.arange(reviewers), load)
    for _ in range(1000):
        rng.shuffle(slots)
        panels = slots.reshape(entries, SHEETS_PER_ENTRY)
        if all(len(set(panel)) == SHEETS_PER_ENTRY for panel in panels):
            break
    else:
        raise RuntimeError("no assignment without a reviewer twice on one entry")
    return _sheets(rng, quality, leniency, [list(map(int, p)) for p in panels], noise)


def correlated_round(rng, *, entries, reviewers, leniency_sd, window, noise=NOISE_SD) -> Round:
    """Assignment follows quality: reviewers ranked from lenient to strict, entries from
    weak to strong, and an entry goes to the least loaded of the ``window`` reviewers
    nearest its own rank — the strict ones score the best entries. Windows overlap, so
    the reviewers stay connected; per-reviewer z-scores wrongly assume comparable entries.
    """
    quality = _qualities(rng, entries)
    leniency = np.sort(rng.normal(0.0, leniency_sd, reviewers))[::-1]  # lenient first
    load = np.zeros(reviewers)
    panels: list[list[int]] = [[] for _ in range(entries)]
    for position, e in enumerate(np.argsort(quality, kind="stable")):
        centre = position / max(entries - 1, 1) * (reviewers - window)
        start = round(centre)
        candidates = np.arange(start, start + window)
        keys = load[candidates] + rng.random(window) * 0.5
        chosen = candidates[np.argsort(keys, kind="stable")[:SHEETS_PER_ENTRY]]
        load[chosen] += 1
        panels[e] = [int(r) for r in chosen]
    return _sheets(rng, quality, leniency, panels, noise)


def disconnected_round(
    rng, *, entries, reviewers, leniency_sd, offset, quality_gap_sd, noise=NOISE_SD
) -> Round:
    """Two halves of the reviewers score disjoint halves of the entries and share none.
    The first half is stricter by ``2 × offset`` points on average and scores the better
    entries (entries split by quality plus ``quality_gap_sd`` of noise): nothing in the
    sheets compares the halves."""
    quality = _qualities(rng, entries)
    half = reviewers // 2
    leniency = rng.normal(0.0, leniency_sd, reviewers)
    leniency[:half] -= offset
    leniency[half:] += offset
    better = quality + rng.normal(0.0, quality_gap_sd, entries) >= np.median(quality)
    panels: list[list[int]] = [[] for _ in range(entries)]
    for first_half in (True, False):
        members = np.flatnonzero(better == first_half)
        base = 0 if first_half else half
        size = half if first_half else reviewers - half
        for e, panel in zip(
            members, _balanced_panels(rng, len(members), size, SHEETS_PER_ENTRY), strict=True
        ):
            panels[e] = [base + r for r in panel]
    return _sheets(rng, quality, leniency, panels, noise)


def replacement_round(
    rng, *, entries, reviewers, leniency_sd, replacements, noise=NOISE_SD
) -> Round:
    """A balanced round in which ``replacements`` sheets were taken over by replacement
    reviewers who scored that one sheet each (a conflict approved late)."""
    quality = _qualities(rng, entries)
    leniency = rng.normal(0.0, leniency_sd, reviewers + replacements)
    panels = _balanced_panels(rng, entries, reviewers, SHEETS_PER_ENTRY)
    for k, e in enumerate(rng.choice(entries, replacements, replace=False)):
        panels[e][rng.integers(SHEETS_PER_ENTRY)] = reviewers + k
    return _sheets(rng, quality, leniency, panels, noise)


GENERATORS = {
    f.__name__: f
    for f in (
        balanced_round,
        few_sheets_round,
        correlated_round,
        disconnected_round,
        replacement_round,
    )
}

# --- Methods ---------------------------------------------------------------------------------


def _entry_means(sheets, values) -> dict[int, float]:
    """Mean of ``values`` (one per sheet) per entry, rounded to 0.01 like the SQL."""
    totals: dict[int, list[float]] = {}
    for (e, _, _), value in zip(sheets, values, strict=True):
        totals.setdefault(e, []).append(value)
    return {e: round(sum(v) / len(v), 2) for e, v in totals.items()}


def raw_scores(sheets) -> dict[int, float]:
    return _entry_means(sheets, [x for _, _, x in sheets])


def zscore_scores(sheets, *, scale: float = SCALE) -> dict[int, float]:
    """The calibration replaced in issue 12 (``git show 2857dce:evaluation/selectors/
    aggregation.py``): z = (x − mean_r) / sd_r with population deviations (z = 0 when the
    reviewer has one sheet or sd_r² ≤ 1e-6), calibrated = panel mean + z · panel sd over
    all sheets, clamped to [0, scale]; an entry's score is the mean of its values."""
    x = np.array([s for _, _, s in sheets])
    by_reviewer: dict[int, list[int]] = {}
    for i, (_, r, _) in enumerate(sheets):
        by_reviewer.setdefault(r, []).append(i)
    panel_mean = float(x.mean())
    panel_sd = float(np.sqrt(max(float((x * x).mean() - panel_mean**2), 0.0)))
    calibrated = np.empty_like(x)
    for rows in by_reviewer.values():
        own = x[rows]
        mean = float(own.mean())
        var = float((own * own).mean() - mean * mean)
        if len(rows) < 2 or var <= 1e-6:
            calibrated[rows] = panel_mean
        else:
            calibrated[rows] = panel_mean + (own - mean) / np.sqrt(var) * panel_sd
    return _entry_means(sheets, np.clip(calibrated, 0.0, scale).tolist())


def model_scores(sheets, *, scale: float = SCALE) -> dict[int, float]:
    """``evaluation.calibration``: the fitted quality, kept within [0, scale] as the SQL
    keeps an entry's calibrated score."""
    return {e: round(min(max(q, 0.0), scale), 2) for e, q in fit(sheets).quality.items()}


METHODS = {"raw": raw_scores, "z-score": zscore_scores, "model": model_scores}

# --- Metrics ---------------------------------------------------------------------------------


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return sums[inverse] / counts[inverse]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = average_ranks(np.asarray(a, float)), average_ranks(np.asarray(b, float))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denominator = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return float((ra * rb).sum() / denominator) if denominator else 0.0


def tier(score: float) -> str:
    return next(name for name, minimum in TIERS if score >= minimum)


def evaluate(round_: Round) -> dict[str, tuple[float, float]]:
    """Per method: (Spearman with the true quality, share of entries in another tier)."""
    ids = sorted(round_.quality)
    truth = np.array([round_.quality[e] for e in ids])
    true_tiers = [tier(q) for q in truth]
    out = {}
    for name, method in METHODS.items():
        scores = method(round_.sheets)
        values = np.array([scores[e] for e in ids])
        mismatch = sum(tier(v) != t for v, t in zip(values, true_tiers, strict=True))
        out[name] = (spearman(values, truth), mismatch / len(ids))
    return out


@dataclass(frozen=True)
class Outcome:
    """A scenario over many seeds: per method the Spearman and tier-mismatch samples."""

    scenario: Scenario
    spearman: dict[str, list[float]]
    mismatch: dict[str, list[float]]

    def mean(self, method: str) -> float:
        return statistics.fmean(self.spearman[method])

    def se(self, method: str) -> float:
        return _se(self.spearman[method])

    def gain(self) -> tuple[float, float]:
        """Mean paired Spearman gain of the model over raw, and its standard error."""
        gains = [m - r for m, r in zip(self.spearman["model"], self.spearman["raw"], strict=True)]
        return statistics.fmean(gains), _se(gains)

    def failures(self) -> list[str]:
        gain, se = self.gain()
        found = []
        if gain < -TOLERANCE:
            found.append(f"model worse than raw by {-gain:.3f}")
        if self.scenario.strictness_differs and not gain > GAIN_SE * se:
            found.append(f"model not better than raw ({gain:+.3f} ± {se:.3f})")
        return found


def _se(values: list[float]) -> float:
    return statistics.stdev(values) / np.sqrt(len(values)) if len(values) > 1 else 0.0


def run(scenario: Scenario, seeds) -> Outcome:
    """Simulate ``scenario`` once per seed and score every round with every method."""
    spearmans: dict[str, list[float]] = {name: [] for name in METHODS}
    mismatches: dict[str, list[float]] = {name: [] for name in METHODS}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for name, (rho, share) in evaluate(scenario.simulate(rng)).items():
            spearmans[name].append(rho)
            mismatches[name].append(share)
    return Outcome(scenario, spearmans, mismatches)


def fit_time(entries=3000, reviewers=45, repeat=5) -> float:
    """Median seconds of one fit at province scale (``entries × 3`` sheets)."""
    rng = np.random.default_rng(0)
    sheets = balanced_round(rng, entries=entries, reviewers=reviewers, leniency_sd=6.0).sheets
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fit(sheets)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=200, help="rounds per scenario")
    parser.add_argument(
        "--scenario", choices=[s.key for s in SCENARIOS], action="append", help="only these"
    )
    parser.add_argument("--no-timing", action="store_true", help="skip the fit at scale")
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if not args.scenario or s.key in args.scenario]

    print("Scenarios (quality ~ N(70, 10) in 0–100, noise sd 5, half points, 3 sheets/entry)")
    for s in chosen:
        params = ", ".join(f"{k}={v}" for k, v in s.params.items())
        print(f"  {s.key:<16} {s.name}: {params}")
    print(f"\nSpearman with true quality, mean ± se over {args.seeds} seeds")
    header = f"{'scenario':<38} {'raw':>13} {'z-score':>13} {'model':>13}  {'model − raw':>15}"
    print(header + f"  {'tier ≠ true: raw / z / model':>28}  check")
    failed = False
    for scenario in chosen:
        started = time.perf_counter()
        outcome = run(scenario, range(args.seeds))
        gain, gain_se = outcome.gain()
        cells = " ".join(f"{outcome.mean(m):>7.3f} ± {outcome.se(m):.3f}" for m in METHODS)
        tiers = " / ".join(f"{100 * statistics.fmean(outcome.mismatch[m]):4.1f} %" for m in METHODS)
        failures = outcome.failures()
        failed |= bool(failures)
        check = "PASS" if not failures else "FAIL: " + "; ".join(failures)
        print(
            f"{scenario.name:<38} {cells}  {gain:+7.3f} ± {gain_se:.3f}  {tiers:>28}  {check}"
            f"  ({time.perf_counter() - started:.1f} s)"
        )
    if not args.no_timing:
        seconds = fit_time()
        print(
            "\nFit at scale (3,000 entries, 9,000 sheets, 45 reviewers): "
            f"{seconds:.3f} s, median of 5"
        )
    print("\nTarget: model ≥ raw − 0.01 everywhere; model > raw where strictness differs.")
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
