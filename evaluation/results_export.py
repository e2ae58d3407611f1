"""The results spreadsheet of a round: the data it needs (every row that matches the page's
filters, in the page's order) handed to the pure renderer ``exports.results_xlsx``.

A small round's spreadsheet is served at once; a large one (more than
``DIRECT_EXPORT_MAX_ENTRIES`` entries) is made in the background through
``danvan.generation`` (kind ``RESULTS_XLSX``): the user waits on the job page, which shows
its progress and then the download, instead of holding a web worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.generation import Generator
from danvan.models import GeneratedFile

from . import selectors
from .exports import results_xlsx
from .models import Round

KIND = "evaluation.results_xlsx"
# Up to this many entries the spreadsheet is made during the request: at ~0.17 ms per row
# for the rows and the criterion sheets (524 ms for 3,000 rows, issue 14's profile) that is
# under 0.1 s, within a page's budget; above it the request would hold a web worker for
# seconds at province and national scale, so it goes to the background.
DIRECT_EXPORT_MAX_ENTRIES = 500


def params_for(*, round: Round, filters: dict, sort: str, with_reviewers: bool) -> dict:
    """The JSON parameters of a background export (ids, never objects)."""
    field = filters.get("field")
    return {
        "round": round.pk,
        "filters": {
            **{k: v for k, v in filters.items() if k != "field" and v},
            **({"field": getattr(field, "pk", field)} if field else {}),
        },
        "sort": sort,
        "reviewers": bool(with_reviewers),
    }


def build(
    *, round: Round, filters: dict, sort: str, with_reviewers: bool, exported_at, progress=None
):
    """``(filename, content_type, bytes)`` of the results of ``round`` matching ``filters``
    in ``sort`` order: the finalised snapshot of a finalised round, the live results (marked
    provisional) otherwise; with the reviewers' sheet only when ``with_reviewers`` (the
    secretariat). ``progress(done, total)`` is called as the steps finish."""
    report = progress or (lambda done, total: None)
    rubrics = selectors.RoundRubrics.load(round)
    fits = selectors.round_fits(round) if with_reviewers or not round.is_finalised else None
    if round.is_finalised:
        rows = list(selectors.final_results_filtered(round=round, filters=filters, sort=sort))
        policy = selectors.final_policy(round=round)
    else:
        rows = selectors.entry_results_page(
            round=round, fits=fits, rubrics=rubrics, sort=sort, **filters
        ).rows
        policy = selectors.live_policy(round=round)
    report(1, 4)
    calibration, reviewers = (
        reviewers_with_calibration(round, fits) if with_reviewers else (None, None)
    )
    report(2, 4)
    criteria = selectors.round_criteria(round=round)
    stats = selectors.criterion_stats(round=round)
    report(3, 4)
    made = results_xlsx(
        round=round,
        rows=rows,
        policy=policy,
        exported_at=exported_at,
        criteria=criteria,
        criterion_stats=stats,
        reviewers=reviewers,
        calibration=calibration,
    )
    report(4, 4)
    return made


def reviewers_with_calibration(round: Round, fits) -> tuple:
    """``(CalibrationSummary, [ReviewerLine])`` of ``round`` from its ``fits`` (two
    queries: the reviewers' statistics and the reviewers, read once for both)."""
    stats = selectors.reviewer_stats(round=round)
    calibration = selectors.summarise(fits, users={s.reviewer.pk: s.reviewer for s in stats})
    return calibration, reviewer_lines(stats, calibration)


@dataclass(frozen=True)
class ReviewerLine:
    """One reviewer's statistics with their estimated leniency in each rubric group they
    have counted sheets in (the secretariat's table and export)."""

    stat: selectors.ReviewerStat
    leniencies: list[tuple[selectors.GroupCalibration, selectors.ReviewerLeniency]]


def reviewer_lines(stats, calibration) -> list[ReviewerLine]:
    found: dict[int, list] = {}
    for group in calibration.groups:
        for leniency in group.reviewers:
            found.setdefault(leniency.reviewer.pk, []).append((group, leniency))
    return [ReviewerLine(stat=stat, leniencies=found.get(stat.reviewer.pk, [])) for stat in stats]


# --- The background job --------------------------------------------------------------------


def _round_of(job: GeneratedFile) -> Round | None:
    return (
        Round.objects.select_related(
            "campaign", "scope_unit", "rubric_collective", "rubric_individual"
        )
        .filter(pk=job.params.get("round"))
        .first()
    )


def _run(job: GeneratedFile, progress):
    from models_registry.models import Field

    round_ = _round_of(job)
    if round_ is None:
        raise LookupError(f"The round of generated file {job.pk} is gone")
    filters = dict(job.params.get("filters") or {})
    if filters.get("field"):
        filters["field"] = Field.objects.filter(pk=filters["field"]).first()
    return build(
        round=round_,
        filters=filters,
        sort=job.params.get("sort") or "rank",
        with_reviewers=bool(job.params.get("reviewers")),
        exported_at=job.created_at,
        progress=progress,
    )


def _may_download(user, job: GeneratedFile) -> bool:
    """Whoever may see what the file holds: the live results and the reviewers' names
    (secretariat) for a file that has them, else the round's results page."""
    round_ = _round_of(job)
    if round_ is None or not user.has_perm("evaluation.view_round", round_):
        return False
    if job.params.get("reviewers") or not round_.is_finalised:
        return user.has_perm("evaluation.view_live_results", round_)
    return user.has_perm("evaluation.view_results", round_)


def _source(job: GeneratedFile):
    round_ = _round_of(job)
    if round_ is None:
        return None
    return reverse("evaluation:round_results", args=[round_.pk]), round_.name


generator = Generator(
    run=_run,
    may_download=_may_download,
    label=_("Results spreadsheet"),
    source=_source,
)
