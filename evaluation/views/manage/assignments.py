"""Who scores what: the assignment page, automatic and manual assignment, conflicts of
interest, reopening a submitted sheet. The page's context is built in one place
(``_render``) whichever form was posted."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danvan.web import object_or_404, refusals, require

from ... import reminders, selectors, services
from ...enums import RoundStatus
from ...forms.manage import BulkAssignForm, ReopenForm
from ...models import Assignment, ScoreSheet
from .common import round_or_404


def _checked(form, name) -> set[int]:
    """The ids ticked in a bound form, to keep the boxes ticked when it is shown again.
    Only ASCII digits: "²".isdigit() is true but int("²") fails."""
    if not form.is_bound:
        return set()
    return {int(v) for v in form.data.getlist(name) if v.isascii() and v.isdigit()}


def _render(request, detail, matrix=None, *, bulk_form=None, reopen_form=None, refused=()):
    """The assignment page of ``detail["round"]``, with the forms as posted (or fresh)."""
    round_ = detail["round"]
    matrix = matrix or selectors.assignment_matrix(round=round_)
    bulk_form = bulk_form or BulkAssignForm(
        entries=matrix["entries"], reviewers=matrix["reviewers"]
    )
    context = {
        **detail,
        **matrix,
        "can_assign": request.user.has_perm("evaluation.assign_round", round_),
        "can_reopen": not round_.is_finalised,
        "bulk_form": bulk_form,
        "checked_entries": _checked(bulk_form, "entries"),
        "checked_reviewers": _checked(bulk_form, "reviewers"),
        "reopen_form": reopen_form or ReopenForm(sheets=matrix["submitted_sheets"]),
        "refused": list(refused),
        # Reviewers with sheets to submit, for the "nhắc" list (evaluation.reminders).
        "behind": (
            reminders.reviewers_behind(round=round_) if round_.status == RoundStatus.OPEN else []
        ),
    }
    return render(request, "evaluation/manage/round_assignments.html", context)


def round_assignments(request, pk):
    return _render(request, round_or_404(request, pk))


def _created_message(request, created) -> None:
    messages.success(
        request,
        ngettext(
            "%(count)d assignment has been made.",
            "%(count)d assignments have been made.",
            len(created),
        )
        % {"count": len(created)},
    )


@require_POST
def assignments_auto(request, pk):
    round_ = round_or_404(request, pk, "evaluation.assign_round")["round"]
    with refusals(request) as outcome:
        result = services.assignments_auto(round=round_, by=request.user)
    if outcome.ok:
        _created_message(request, result.created)
        if result.uncovered:
            messages.warning(
                request,
                _("Not enough eligible reviewers for: %(entries)s")
                % {
                    "entries": "; ".join(
                        _("%(model)s (%(missing)d missing)") % {"model": entry, "missing": missing}
                        for entry, missing in result.uncovered
                    )
                },
            )
    return redirect("evaluation:round_assignments", pk=pk)


@require_POST
def assignments_bulk(request, pk):
    detail = round_or_404(request, pk, "evaluation.assign_round")
    round_ = detail["round"]
    matrix = selectors.assignment_matrix(round=round_)
    form = BulkAssignForm(request.POST, entries=matrix["entries"], reviewers=matrix["reviewers"])
    if not form.is_valid():
        return _render(request, detail, matrix, bulk_form=form)
    entry_ids = set(form.cleaned_data["entries"])
    reviewer_ids = set(form.cleaned_data["reviewers"])
    entries = [e for e in matrix["entries"] if e.pk in entry_ids]
    reviewers = list(
        {m.user_id: m.user for m in matrix["reviewers"] if m.user_id in reviewer_ids}.values()
    )
    with refusals(form) as outcome:
        result = services.assignments_add_bulk(
            round=round_, entries=entries, reviewers=reviewers, by=request.user
        )
    if not outcome.ok:
        return _render(request, detail, matrix, bulk_form=form)
    _created_message(request, result.created)
    if not result.refused:
        return redirect("evaluation:round_assignments", pk=pk)
    return _render(request, detail, refused=result.refused)


def _assignment_or_404(request, pk, assignment_pk) -> Assignment:
    """An assignment of a round the user manages; what may be done to it now is for the
    service to say (its refusal is shown as a message)."""
    round_ = round_or_404(request, pk)["round"]
    return object_or_404(
        Assignment.objects.select_related("round__scope_unit", "reviewer", "entry__dvk_model").get,
        pk=assignment_pk,
        round=round_,
    )


@require_POST
def assignment_remove(request, pk, assignment_pk):
    assignment = _assignment_or_404(request, pk, assignment_pk)
    with refusals(request) as outcome:
        services.assignment_remove(assignment=assignment, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("%(person)s no longer scores “%(model)s”.")
            % {"person": assignment.reviewer, "model": assignment.entry},
        )
    return redirect("evaluation:round_assignments", pk=pk)


@require_POST
def assignment_resolve(request, pk, assignment_pk):
    assignment = _assignment_or_404(request, pk, assignment_pk)
    approve = request.POST.get("decision") == "approve"
    with refusals(request) as outcome:
        resolution = services.assignment_resolve_conflict(
            assignment=assignment, approve=approve, by=request.user
        )
    if outcome.ok and not approve:
        messages.success(request, _("The conflict has been rejected: the reviewer stays."))
    elif outcome.ok and resolution.replacement is not None:
        messages.success(
            request,
            _("The conflict has been approved; %(person)s takes over the model.")
            % {"person": resolution.replacement.reviewer},
        )
    elif outcome.ok:
        messages.warning(
            request,
            _("The conflict has been approved, but no other reviewer can take the model."),
        )
    return redirect("evaluation:round_assignments", pk=pk)


@require_POST
def sheet_reopen(request, pk):
    detail = round_or_404(request, pk)
    round_ = detail["round"]
    matrix = selectors.assignment_matrix(round=round_)
    form = ReopenForm(request.POST, sheets=matrix["submitted_sheets"])
    if form.is_valid():
        sheet = object_or_404(
            ScoreSheet.objects.select_related("assignment__round").get,
            pk=form.cleaned_data["sheet"],
            assignment__round=round_,
        )
        require(request.user, "evaluation.reopen_sheet", sheet)
        with refusals(form) as outcome:
            services.sheet_reopen(
                sheet=sheet,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        if outcome.ok:
            messages.success(request, _("The sheet has been reopened for its reviewer."))
            return redirect("evaluation:round_assignments", pk=pk)
    return _render(request, detail, matrix, reopen_form=form)
