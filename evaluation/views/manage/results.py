"""Results: live and finalised, the export, finalising, exemplary models, nominations.

A finalised round's page and export read only its frozen snapshot (``Result`` rows and the
policy captured in them), so nothing done to the round afterwards changes them.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.generation import BROKER_DOWN, generated_file_request
from danvan.web import file_response, object_or_404, refusals, require

from ... import results_export, selectors, services
from ...exports import calibration_warnings
from ...forms.manage import FinaliseForm
from ...forms.results import ResultsFilterForm
from ...models import Result
from .common import posted, round_or_404


def _results_round(request, pk):
    """The round (one query: with its counts, campaign, scope unit and rubrics), behind
    its 404 gate and the results permission of its state."""
    round_ = object_or_404(lambda: selectors.round_for_results(round_id=pk, user=request.user))
    require(request.user, "evaluation.view_round", round_)
    perm = "evaluation.view_results" if round_.is_finalised else "evaluation.view_live_results"
    require(request.user, perm, round_)
    return round_


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


def _export(request, round_, form, is_manager):
    """The spreadsheet of every row matching the page's filters: at once for a small
    round, through a background job (its page shows progress, then the download) for a
    large one (``results_export.DIRECT_EXPORT_MAX_ENTRIES``)."""
    filters, sort = form.filters(), form.ordering()
    if round_.entry_count > results_export.DIRECT_EXPORT_MAX_ENTRIES:
        job = generated_file_request(
            kind=results_export.KIND,
            params=results_export.params_for(
                round=round_, filters=filters, sort=sort, with_reviewers=is_manager
            ),
            title=_("Results — %(round)s") % {"round": round_.name},
            by=request.user,
        )
        if job.broker_down:
            messages.warning(request, BROKER_DOWN)
        return redirect(job)
    return file_response(
        *results_export.build(
            round=round_,
            filters=filters,
            sort=sort,
            with_reviewers=is_manager,
            exported_at=timezone.now(),
        )
    )


def round_results(request, pk):
    """The results page, one page of rows at a time, ranked over the whole round and then
    searched, filtered and sorted in SQL (or, with ``format=xlsx``, the spreadsheet of every
    matching row). The secretariat also gets the links to each entry's sheets and the
    reviewers' section, whose figures (``round_results_reviewers``) load when it comes into
    view; leaders get neither. An unfinalised round's page and export say they are
    provisional and what is left."""
    round_ = _results_round(request, pk)
    user = request.user
    # The secretariat (names reviewers): the calibration behind the scores.
    is_manager = user.has_perm("evaluation.view_live_results", round_)
    rubrics = selectors.RoundRubrics.load(round_)
    form = ResultsFilterForm(request.GET or None, round=round_, rubrics=rubrics)
    if request.GET.get("format") == "xlsx":
        return _export(request, round_, form, is_manager)
    filters, sort, number = form.filters(), form.ordering(), request.GET.get("page")
    if round_.is_finalised:
        page = selectors.final_results_page(
            round=round_, filters=filters, sort=sort, page_number=number
        )
        policy = selectors.final_policy(round=round_)
    else:
        page = selectors.live_results_page(
            round=round_,
            filters=filters,
            sort=sort,
            page_number=number,
            fits=selectors.round_fits(round_),
            rubrics=rubrics,
        )
        policy = selectors.live_policy(round=round_)
    context = {
        "round": round_,
        "rows": page.rows,
        "page_obj": page.page_obj,
        "policy": policy,
        "filter_form": form,
        "filtered": bool(form.is_bound and any(filters.values())),
        "is_manager": is_manager,
        "tier_changes": page.tier_changes,
        "progress": None if round_.is_finalised else _progress(round_),
        "can_finalise": user.has_perm("evaluation.finalise_round", round_),
        "can_set_exemplary": user.has_perm("evaluation.set_exemplary", round_),
        # The same rule as the POST (``nominate_result`` adds: the model was recognised).
        "can_nominate": user.has_perm("evaluation.nominate_from_round", round_),
    }
    return render(request, "evaluation/manage/round_results.html", context)


def round_results_reviewers(request, pk):
    """The reviewers' section of the results page (the secretariat's: it names reviewers):
    each reviewer's statistics with the calibration's figures (leniency, its warnings), for
    the whole round whatever the page's filters. Requested by the page when the section
    comes into view; answers nothing when the round has no reviewer yet."""
    round_ = _results_round(request, pk)
    require(request.user, "evaluation.view_live_results", round_)
    calibration, reviewers = results_export.reviewers_with_calibration(
        round_, selectors.round_fits(round_)
    )
    context = {
        "round": round_,
        "reviewers": reviewers,
        "calibration": calibration,
        "calibration_warnings": [
            (group, calibration_warnings(group)) for group in calibration.groups
        ],
        "min_sheets": selectors.MIN_SHEETS_FOR_LENIENCY,
    }
    return render(request, "evaluation/manage/includes/results_reviewers.html", context)


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
