"""Committee members' and units' pages: the reviewer's queue, the score sheet (saved as
you go with htmx, and as plain forms without JavaScript), and a unit's finalised results.

Each view: permission → selector → form → service → message → redirect. A sheet outside
the user's scope answers 404 (never 403) so that ids cannot be probed.
"""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.dates import days_left, today
from danvan.web import object_or_404, refusals, require
from models_registry.enums import AttachmentPurpose

from .. import selectors, services
from ..enums import ConflictStatus
from ..forms.review import (
    ConflictForm,
    CriterionScoreForm,
    OverallCommentForm,
    SheetSubmitForm,
)
from ..models import Criterion, ScoreSheet

PAGE_SIZE = 25


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _sheet_url(sheet_id: int, anchor: str = "") -> str:
    url = reverse("evaluation:sheet", args=[sheet_id])
    return f"{url}#{anchor}" if anchor else url


# --- Queue --------------------------------------------------------------------------------


def queue(request):
    """The reviewer's sheets: in progress, not started, then submitted; soonest due first."""
    assignments = selectors.reviewer_queue(user=request.user)
    # A member who left the committee keeps the sheets they were given.
    if not request.user.has_perm("evaluation.review") and not assignments.exists():
        raise Http404
    page_obj = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    for assignment in page_obj:
        assignment.days_left = days_left(assignment.due_date)
    return render(request, "evaluation/review/queue.html", {"page_obj": page_obj})


# --- Score sheet --------------------------------------------------------------------------


def _detail_or_404(request, pk) -> dict:
    # ``user`` of object_or_404 is the permission's; the selector needs it too.
    detail = object_or_404(partial(selectors.sheet_detail, user=request.user), sheet_id=pk)
    require(request.user, "evaluation.view_sheet", detail["sheet"])
    return detail


def _peer_rows(criteria, peers) -> list[tuple]:
    """[(criterion, [points each peer sheet gave it])] from the prefetched scores."""
    by_peer = [{score.criterion_id: score.points for score in peer.scores.all()} for peer in peers]
    return [(c, [points.get(c.pk) for points in by_peer]) for c in criteria]


def _overall_form(sheet) -> OverallCommentForm:
    return OverallCommentForm(
        initial={"overall_comment": sheet.overall_comment, "version": sheet.version}
    )


def _sheet_context(
    request, detail, *, bound=None, overall_form=None, conflict_form=None, missing=None
) -> dict:
    """The score sheet page: the selector's data plus one form per criterion (``bound``
    replaces the form of the criterion whose save failed, keeping what was typed)."""
    sheet = detail["sheet"]
    user = request.user
    for criterion in detail["criteria"]:
        if bound is not None and bound.criterion.pk == criterion.pk:
            criterion.form = bound
        else:
            criterion.form = CriterionScoreForm.for_criterion(criterion)
    attachments = detail["attachments"]
    assignment = detail["assignment"]
    can_declare = user.has_perm("evaluation.declare_conflict", assignment)
    report = detail["result_report"]
    return {
        **detail,
        "registration_files": [
            a for a in attachments if a.purpose == AttachmentPurpose.REGISTRATION
        ],
        "result_files": [a for a in attachments if a.purpose == AttachmentPurpose.RESULT],
        "overall_form": overall_form or _overall_form(sheet),
        "can_declare": can_declare,
        "conflict_form": (conflict_form or ConflictForm()) if can_declare else None,
        "conflict_declared": assignment.conflict_status == ConflictStatus.DECLARED,
        "missing": missing or [],
        "indicator_values": (
            list(report.indicator_values.select_related("indicator")) if report else []
        ),
        "peer_rows": _peer_rows(detail["criteria"], detail["peers"]),
        "peer_names": not detail["is_assignee"],
        "today": today(),
    }


def _render_sheet(request, detail, status=200, **kwargs):
    # A refusal (422) that is not a form's own error still starts the title with "Error:".
    context = {**_sheet_context(request, detail, **kwargs), "page_has_errors": status == 422}
    return render(request, "evaluation/review/sheet.html", context, status=status)


def sheet(request, pk):
    detail = _detail_or_404(request, pk)
    return _render_sheet(request, detail)


def _editable_sheet_or_404(request, pk):
    """The sheet for a write, with its assignment, round and model: 404 unless the user may
    read it (``evaluation.view_sheet``, as ``selectors.sheets_visible_to``) and is its
    reviewer. Whether it may change now is the service's decision, which explains a
    refusal."""
    sheet = object_or_404(
        ScoreSheet.objects.select_related(
            "assignment__round__scope_unit", "assignment__entry__dvk_model"
        ).get,
        pk=pk,
    )
    require(request.user, "evaluation.view_sheet", sheet)
    if sheet.assignment.reviewer_id != request.user.pk:
        raise Http404  # the secretariat reads a sheet; only its reviewer writes it
    return sheet


@require_POST
def sheet_score(request, pk, criterion_pk):
    """Save one criterion (htmx: answers the criterion's status line and error slots and
    the running total; else redirects back). A criterion of another rubric answers 404.

    The htmx answer is a fragment: it reads only the running total (one query) and skips
    the page's context processors (the menu), so a save costs what it must — the sheet,
    the criterion, the locked write and the total."""
    sheet = _editable_sheet_or_404(request, pk)
    criterion = get_object_or_404(Criterion.objects.select_related("rubric"), pk=criterion_pk)
    assignment = sheet.assignment
    if criterion.rubric_id != assignment.round.rubric_id_for(assignment.entry.dvk_model.kind):
        raise Http404
    form = CriterionScoreForm(request.POST, criterion=criterion)
    saved = None
    if form.is_valid():
        with refusals(form) as outcome:
            saved = services.sheet_save_score(
                sheet=sheet,
                criterion=criterion,
                points=form.cleaned_data["points"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        if not outcome.ok:
            saved = None
    if not _is_htmx(request):
        if saved:
            messages.success(request, _("Saved: %(criterion)s.") % {"criterion": criterion.title})
            return redirect(_sheet_url(pk, f"criterion-{criterion.pk}"))
        return _render_sheet(request, _detail_or_404(request, pk), bound=form, status=422)
    criterion.score_points = saved.points if saved else None
    criterion.score_comment = saved.comment if saved else ""
    criterion.form = CriterionScoreForm.for_criterion(criterion) if saved else form
    context = {
        **selectors.sheet_progress(sheet=sheet, rubric_id=criterion.rubric_id),
        "sheet": saved.sheet if saved else sheet,
        "rubric": criterion.rubric,
        # The answer feeds the status line and error slots of the form on screen, even
        # when the sheet can no longer change (the status says why).
        "can_edit": True,
        "criterion": criterion,
        "saved_at": timezone.localtime() if saved else None,
        "oob": True,
        "csrf_token": get_token(request),
    }
    return HttpResponse(
        render_to_string("evaluation/review/includes/criterion_response.html", context)
    )


@require_POST
def sheet_overall(request, pk):
    """Save the overall comment (htmx autosave: answers the comment's status line, error
    slot and new version; else redirects back)."""
    sheet = _editable_sheet_or_404(request, pk)
    form = OverallCommentForm(request.POST)
    saved = None
    if form.is_valid():
        with refusals(form) as outcome:
            saved = services.sheet_save_overall(
                sheet=sheet,
                overall_comment=form.cleaned_data["overall_comment"],
                version=form.cleaned_data["version"],
                by=request.user,
            )
        if not outcome.ok:
            saved = None
    if _is_htmx(request):
        return render(
            request,
            "evaluation/review/includes/overall.html",
            {
                "sheet": sheet,
                "overall_form": _overall_form(saved) if saved else form,
                "saved_at": timezone.localtime() if saved else None,
            },
        )
    if saved:
        messages.success(request, _("The overall comment has been saved."))
        return redirect(_sheet_url(pk, "overall"))
    # A stale form included: the typed text stays in the form below the message.
    detail = _detail_or_404(request, pk)
    return _render_sheet(request, detail, overall_form=form, status=422)


@require_POST
def sheet_submit(request, pk):
    """Submit the sheet with the overall comment the form carries (typed, perhaps not
    saved yet). A refusal re-renders the sheet, keeping the typed comment."""
    sheet = _editable_sheet_or_404(request, pk)
    form = SheetSubmitForm(request.POST)
    outcome = None
    if form.is_valid():
        with refusals(request) as outcome:
            services.sheet_submit(
                sheet=sheet,
                by=request.user,
                overall_comment=form.cleaned_data["overall_comment"],
                version=form.cleaned_data["version"],
            )
        if outcome.ok:
            messages.success(request, _("Your score sheet has been submitted. Thank you."))
            return redirect("evaluation:queue")
    detail = _detail_or_404(request, pk)
    missing = getattr(outcome and outcome.error, "criteria", [])
    return _render_sheet(request, detail, overall_form=form, missing=missing, status=422)


@require_POST
def sheet_declare_conflict(request, pk):
    sheet = _editable_sheet_or_404(request, pk)
    assignment = sheet.assignment
    if not request.user.has_perm("evaluation.declare_conflict", assignment):
        messages.error(request, _("You cannot declare a conflict of interest for this sheet now."))
        return redirect(_sheet_url(pk))
    form = ConflictForm(request.POST)
    if form.is_valid():
        with refusals(form) as outcome:
            services.assignment_declare_conflict(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "Your conflict of interest has been sent to the secretariat. Once they "
                    "approve it, the model goes to another reviewer."
                ),
            )
            return redirect(_sheet_url(pk))
    detail = _detail_or_404(request, pk)
    return _render_sheet(request, detail, conflict_form=form, status=422)


# --- A unit's results ---------------------------------------------------------------------


def my_results(request):
    """The finalised results of the unit's models, newest campaign first: score, tier,
    rank, recognition — never a reviewer or a sheet."""
    user = request.user
    if user.unit_id is None or not user.has_perm("models_registry.register"):
        raise Http404
    results = selectors.results_for_unit(user=user)
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/review/my_results.html", {"page_obj": page_obj})
