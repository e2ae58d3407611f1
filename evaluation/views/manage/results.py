"""Results: live and finalised, the export, finalising, exemplary models, nominations.

A finalised round's page and export read only its frozen snapshot (``Result`` rows and the
policy captured in them), so nothing done to the round afterwards changes them.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import file_response, object_or_404, refusals, require

from ... import selectors, services
from ...exports import calibration_warnings, raw_tier_differs, results_xlsx
from ...forms.manage import FinaliseForm, ResultsFilterForm
from ...models import Result
from .common import posted, round_or_404


def _results_round(request, pk) -> dict:
    detail = round_or_404(request, pk, perm=None)
    round_ = detail["round"]
    perm = "evaluation.view_results" if round_.is_finalised else "evaluation.view_live_results"
    require(request.user, perm, round_)
    return detail


def _rows(round_, form, fits=None):
    """The rows of the page and the export: the frozen results of a finalised round, the
    live ones otherwise (``fits``: the round's ``round_fits`` when the caller has them);
    with the policy they follow."""
    filters = form.cleaned_data if form.is_valid() else {}
    tier = filters.get("tier")
    common = {
        "unit_kind": filters.get("unit_kind") or None,
        "field": filters.get("field"),
        "model_kind": filters.get("model_kind") or None,
    }
    if round_.is_finalised:
        rows = list(
            selectors.final_results(round=round_, tier_name=tier.name if tier else None, **common)
        )
        return rows, selectors.final_policy(round=round_)
    rows = selectors.entry_results(round=round_, tier=tier, fits=fits, **common)
    return rows, selectors.live_policy(round=round_)


@dataclass(frozen=True)
class ReviewerLine:
    """One reviewer's statistics with their estimated leniency in each rubric group they
    have counted sheets in (the secretariat's table and export)."""

    stat: selectors.ReviewerStat
    leniencies: list[tuple[selectors.GroupCalibration, selectors.ReviewerLeniency]]


def _reviewer_lines(stats, calibration) -> list[ReviewerLine]:
    found: dict[int, list] = {}
    for group in calibration.groups:
        for leniency in group.reviewers:
            found.setdefault(leniency.reviewer.pk, []).append((group, leniency))
    return [ReviewerLine(stat=stat, leniencies=found.get(stat.reviewer.pk, [])) for stat in stats]


def _progress(round_) -> dict:
    """What is left before the results of an unfinalised round are complete."""
    unsubmitted = round_.pending_count + round_.in_progress_count
    return {
        "unsubmitted": unsubmitted,
        "in_progress": round_.in_progress_count,
        "not_started": round_.pending_count,
        "conflicts": round_.conflicts_pending,
        "assigned": round_.assignment_count,
        "complete": round_.assignment_count > 0
        and unsubmitted == 0
        and round_.conflicts_pending == 0,
    }


def round_results(request, pk):
    """The results page (or, with ``format=xlsx``, the spreadsheet). The secretariat also
    gets the reviewers' statistics with the calibration's figures (each reviewer's
    leniency, its warnings) and the links to each entry's sheets; leaders get neither. An
    unfinalised round's page and export say they are provisional and what is left."""
    detail = _results_round(request, pk)
    round_ = detail["round"]
    user = request.user
    form = ResultsFilterForm(request.GET or None, round=round_)
    # The secretariat (names reviewers): the calibration behind the scores.
    is_manager = user.has_perm("evaluation.view_live_results", round_)
    fits = selectors.round_fits(round_) if is_manager else None
    rows, policy = _rows(round_, form, fits)
    calibration = selectors.summarise(fits) if is_manager else None
    reviewers = (
        _reviewer_lines(selectors.reviewer_stats(round=round_), calibration) if is_manager else []
    )
    if request.GET.get("format") == "xlsx":
        return file_response(
            *results_xlsx(
                round=round_,
                rows=rows,
                policy=policy,
                exported_at=timezone.now(),
                criteria=selectors.round_criteria(round=round_),
                criterion_stats=selectors.criterion_stats(round=round_),
                reviewers=reviewers if is_manager else None,
                calibration=calibration,
            )
        )
    context = {
        **detail,
        "rows": rows,
        "policy": policy,
        "filter_form": form,
        "is_manager": is_manager,
        "reviewers": reviewers,
        "calibration": calibration,
        "calibration_warnings": [
            (group, calibration_warnings(group)) for group in calibration.groups
        ]
        if calibration
        else [],
        "tier_changes": sum(1 for row in rows if raw_tier_differs(row)),
        "progress": None if round_.is_finalised else _progress(round_),
        "min_sheets": selectors.MIN_SHEETS_FOR_LENIENCY,
        "can_finalise": user.has_perm("evaluation.finalise_round", round_),
        "can_set_exemplary": user.has_perm("evaluation.set_exemplary", round_),
        # The same rule as the POST (``nominate_result`` adds: the model was recognised).
        "can_nominate": user.has_perm("evaluation.nominate_from_round", round_),
    }
    return render(request, "evaluation/manage/round_results.html", context)


def round_finalise(request, pk):
    """A confirmation page (GET) listing what is not finished, and the finalisation (POST)."""
    detail = round_or_404(request, pk, "evaluation.finalise_round")
    round_ = detail["round"]
    form = FinaliseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.round_finalise(round=round_, by=request.user, force=form.cleaned_data["force"])
        if outcome.ok:
            messages.success(
                request, _("The round has been finalised: its results can no longer change.")
            )
            return redirect("evaluation:round_results", pk=pk)
    return render(
        request,
        "evaluation/manage/round_finalise.html",
        {
            **detail,
            "form": form,
            "unfinished": round_.pending_count + round_.in_progress_count,
            "conflicts": list(selectors.pending_conflicts(round=round_)),
            # A warning, not a refusal: these entries are frozen as they are.
            "disagreements": [r for r in selectors.round_results(round=round_) if r.disagreement],
        },
    )


def _result_or_404(request, pk, result_pk) -> Result:
    return object_or_404(
        Result.objects.select_related("round__scope_unit", "dvk_model", "entry").get,
        pk=result_pk,
        round_id=pk,
        user=request.user,
        perm="evaluation.view_live_results",
    )


@require_POST
def result_exemplary(request, pk, result_pk):
    result = _result_or_404(request, pk, result_pk)
    require(request.user, "evaluation.set_exemplary", result)
    exemplary = request.POST.get("exemplary") == "1"
    with refusals(request) as outcome:
        services.result_set_exemplary(result=result, exemplary=exemplary, by=request.user)
    if outcome.ok:
        if exemplary:
            message = _("“%(model)s” is marked as exemplary.")
        else:
            message = _("“%(model)s” is no longer marked as exemplary.")
        messages.success(request, message % {"model": result.dvk_model})
    return redirect("evaluation:round_results", pk=pk)


@require_POST
def result_nominate(request, pk, result_pk):
    """Nominate to the higher round, or withdraw: the rule of the page's column
    (``nominate_from_round``; a provincial round has no higher round) and, to nominate,
    ``nominate_result`` (a recognised model)."""
    result = _result_or_404(request, pk, result_pk)
    nominated = request.POST.get("nominated") == "1"
    perm = "evaluation.nominate_result" if nominated else "evaluation.nominate_from_round"
    require(request.user, perm, result)
    with refusals(request) as outcome:
        services.round_nominate(result=result, nominated=nominated, by=request.user)
    if outcome.ok:
        if nominated:
            message = _("“%(model)s” is nominated to the provincial round.")
        else:
            message = _("The nomination of “%(model)s” has been withdrawn.")
        messages.success(request, message % {"model": result.dvk_model})
    return redirect("evaluation:round_results", pk=pk)
