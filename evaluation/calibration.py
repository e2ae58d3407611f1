"""The reviewer-bias model behind the calibrated score (a pure function of the sheets).

Every submitted sheet is modelled as

    score = quality of the entry + leniency of the reviewer + noise

and the qualities and leniencies are the regularised least-squares solution (the model the
NIPS/NeurIPS programme committees have used beside raw scores since 2002; Platt and Burges,
"Regularised least squares to remove reviewer bias", 2012): minimise

    Σ_sheets (score − quality_e − leniency_r)²  +  λ · Σ_reviewers leniency_r²

Qualities are not penalised, so an entry's quality is the mean of its sheets with each
reviewer's leniency taken off (``score − leniency_r``), on the rubric's own scale. The
penalty shrinks the leniency of a reviewer who scored few sheets toward zero (with one sheet
nobody can tell a lenient reviewer from a good entry) and fixes the level of the
leniencies: a panel's leniencies average about zero.

λ is the ratio of the noise variance to the spread of leniencies (σ² / τ², the
probabilistic form in which qualities and leniencies are normal latent variables). It is
estimated from the sheets by expectation–maximisation: a panel whose reviewers agree up to
noise gets a large λ (leniencies ≈ 0, calibrated ≈ raw); a panel with strict and lenient
reviewers a small one. A leniency's uncertainty is its posterior standard deviation
``σ · sqrt((A⁻¹)_rr)``.

The qualities are eliminated in closed form, leaving an R × R system for R reviewers:

    (m_r + λ) b_r − Σ_{e ∋ r} (1/n_e) Σ_{r' ∈ e} b_r' = Σ_{sheets of r} (score − mean of e)

where m_r is the number of sheets of reviewer r and n_e the number of sheets of entry e.

When reviewers split into groups that share no entry (the reviewer–entry graph is not
connected), nothing in the sheets compares the groups: each group's leniencies are only
relative to that group. ``Fit.groups`` counts them; callers say so.

No Django here: the evaluation selectors feed it the counted sheets of one rubric group, the
benchmark (``bench/calibration.py``) simulated ones.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

# Bounds of the estimated λ (in "sheets"): below, a panel with no noise would leave the
# system nearly singular; above, every leniency is zero anyway.
MIN_SHRINKAGE = 0.01
MAX_SHRINKAGE = 1e6
# λ before the first estimate: a reviewer's leniency counts half after 2 sheets.
INITIAL_SHRINKAGE = 2.0
MAX_ITERATIONS = 100
TOLERANCE = 1e-4  # on log λ


@dataclass(frozen=True)
class Leniency:
    """One reviewer's estimated leniency: points above (+) or below (−) what the panel
    would give the same entries, with its standard deviation and what it rests on."""

    reviewer_id: int
    leniency: float
    uncertainty: float
    sheets: int
    group: int  # index of the connected group of reviewers (0 = the largest)


@dataclass(frozen=True)
class Fit:
    """The fitted model of one set of sheets."""

    leniencies: dict[int, Leniency] = field(default_factory=dict)
    quality: dict[int, float] = field(default_factory=dict)  # entry id → estimated quality
    groups: int = 0  # connected groups of reviewers (more than 1: not comparable)
    shrinkage: float = 0.0  # λ, in sheets
    noise_sd: float = 0.0  # σ, points
    spread_sd: float = 0.0  # τ, points: how much reviewers' leniencies differ

    def leniency(self, reviewer_id: int) -> float:
        found = self.leniencies.get(reviewer_id)
        return found.leniency if found else 0.0

    def calibrated(self, reviewer_id: int, score: float) -> float:
        """A sheet's score with its reviewer's leniency taken off."""
        return score - self.leniency(reviewer_id)


def _groups(shared: np.ndarray) -> list[int]:
    """Connected groups of reviewers, two reviewers being linked when they scored a common
    entry (``shared[i, j] > 0``): the group index of each reviewer, the largest group first
    (ties: the group of the smallest index)."""
    size = shared.shape[0]
    label = [-1] * size
    members = []
    for start in range(size):
        if label[start] >= 0:
            continue
        label[start] = len(members)
        found, stack = [start], [start]
        while stack:
            for other in np.flatnonzero(shared[stack.pop()]):
                if label[other] < 0:
                    label[other] = label[start]
                    found.append(int(other))
                    stack.append(int(other))
        members.append(found)
    order = sorted(range(len(members)), key=lambda g: (-len(members[g]), min(members[g])))
    rank = {g: index for index, g in enumerate(order)}
    return [rank[g] for g in label]


def fit(sheets: Iterable[tuple[int, int, float]], *, shrinkage: float | None = None) -> Fit:
    """Fit ``score = quality + leniency + noise`` to ``(entry_id, reviewer_id, score)``
    sheets (one per reviewer and entry). ``shrinkage`` fixes λ; by default it is estimated.
    """
    rows = [(int(e), int(r), float(x)) for e, r, x in sheets]
    if not rows:
        return Fit()
    reviewers = sorted({r for _, r, _ in rows})
    entry_ids = sorted({e for e, _, _ in rows})
    r_index = {r: i for i, r in enumerate(reviewers)}
    e_index = {e: i for i, e in enumerate(entry_ids)}
    ri = np.array([r_index[r] for _, r, _ in rows])
    ei = np.array([e_index[e] for e, _, _ in rows])
    x = np.array([score for _, _, score in rows])
    size, entries, total = len(reviewers), len(entry_ids), len(rows)
    per_entry = np.bincount(ei, minlength=entries).astype(float)
    counts = np.bincount(ri, minlength=size).astype(float)
    entry_mean = np.bincount(ei, weights=x, minlength=entries) / per_entry
    rhs = np.bincount(ri, weights=x - entry_mean[ei], minlength=size)
    # A0 = diag(m) − Σ_e (1/n_e) c_e c_eᵀ, c_e marking the reviewers of entry e (a row of
    # the entries × reviewers incidence C).
    incidence = np.zeros((entries, size))
    np.add.at(incidence, (ei, ri), 1.0)
    a0 = np.diag(counts) - (incidence.T / per_entry) @ incidence

    def solve(lam: float):
        inverse = np.linalg.inv(a0 + lam * np.eye(size))
        bias = inverse @ rhs
        debiased = x - bias[ri]
        quality = np.bincount(ei, weights=debiased, minlength=entries) / per_entry
        residual = float(np.sum((debiased - quality[ei]) ** 2))
        # Parameters the bias fit really uses (ridge degrees of freedom).
        used = float(np.trace(inverse @ a0))
        noise = residual / max(total - entries - used, 1.0)
        return bias, inverse, noise, quality

    lam = INITIAL_SHRINKAGE if shrinkage is None else shrinkage
    bias, inverse, noise, quality = solve(lam)
    if shrinkage is None:
        for _ in range(MAX_ITERATIONS):
            spread = (float(bias @ bias) + noise * float(np.trace(inverse))) / size
            new = noise / spread if spread > 0 else MAX_SHRINKAGE
            new = min(max(new, MIN_SHRINKAGE), MAX_SHRINKAGE)
            converged = abs(np.log(new) - np.log(lam)) <= TOLERANCE
            lam = new
            bias, inverse, noise, quality = solve(lam)
            if converged:
                break
    groups = _groups(incidence.T @ incidence)
    leniencies = {
        r: Leniency(
            reviewer_id=r,
            leniency=float(bias[i]),
            uncertainty=float(np.sqrt(max(noise * inverse[i, i], 0.0))),
            sheets=int(counts[i]),
            group=groups[i],
        )
        for r, i in r_index.items()
    }
    return Fit(
        leniencies=leniencies,
        quality={e: float(quality[i]) for e, i in e_index.items()},
        groups=len(set(groups)),
        shrinkage=lam,
        noise_sd=float(np.sqrt(noise)),
        spread_sd=float(np.sqrt(noise / lam)) if lam > 0 else 0.0,
    )
