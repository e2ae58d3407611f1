"""Who scores what: the assignment page, automatic and manual assignment, conflicts of
interest, reopening a submitted sheet. The page's context is built in one place
(``_render``) whichever form was posted.

The page lists one page of the round's entries (``PAGE_SIZE`` models with their
reviewers), filtered, searched and sorted in SQL (``selectors.assignment_entries``); its
summary, the committee's loads, the reminder list (every reviewer behind, whatever the
page) and the conflicts to decide are read in SQL too. The forms post to the page's own
query string, so that the secretariat comes back to the page and filters it left.
"""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danvan.web import object_or_404, refusals, require

from ... import reminders, selectors, services
from ...enums import RoundStatus, SheetStatus
from ...forms.assignments import STATUS_CHOICES, AssignmentFilterForm
from ...forms.manage import BulkAssignForm, ReopenForm
from ...models import Assignment, RoundEntry, ScoreSheet
from ...selectors import assignments as listing

PAGE_SIZE = 50


def _round_or_404(request, pk, perm: str = "evaluation.view_assignments"):
    """The round of a page the user may see and act on with ``perm``."""
    round_ = object_or_404(partial(selectors.assignment_round, user=request.user), round_id=pk)
    require(request.user, "evaluation.view_round", round_)
    require(request.user, perm, round_)
    return round_


def _back(request, pk) -> str:
    """The assignment page with the filters and page the form was posted from."""
    url = reverse("evaluation:round_assignments", args=[pk])
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


def _checked(form, name) -> set[int]:
    """The ids ticked in a bound form, to keep the boxes ticked when it is shown again.
    Only ASCII digits: "²".isdigit() is true but int("²") fails."""
    if not form.is_bound:
        return set()
    return {int(v) for v in form.data.getlist(name) if v.isascii() and v.isdigit()}


def _posted_ids(request, name) -> set[int]:
    return {int(v) for v in request.POST.getlist(name) if v.isascii() and v.isdigit()}


def _listing(request, round_) -> dict:
    """The page of entries the query string asks for, and what the page shows around it."""
    reviewers = listing.round_reviewers(round=round_)
    filter_form = AssignmentFilterForm(request.GET or None, reviewers=reviewers)
    entries = listing.assignment_entries(round=round_, **filter_form.filters())
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = list(page_obj.object_list)
    submitted = listing.with_assignments(page_obj.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "reviewers": reviewers,
        "filter_form": filter_form,
        "filtered": filter_form.is_filtered(),
        "page_obj": page_obj,
        "entries": page_obj.object_list,
        "submitted_sheets": submitted,
        "list_query": request.GET.urlencode(),
        "status_query": urlencode({k: v for k, v in query.items() if k != "status"}),
    }


def _render(request, round_, *, bulk_form=None, reopen_form=None, refused=(), status=200):
    """The assignment page of ``round_``, with the forms as posted (or fresh). A posted
    form keeps its choices and gains the page's (its ticks and values stay shown)."""
    page = _listing(request, round_)
    entry_choices = [(e.pk, str(e.dvk_model)) for e in page["entries"]]
    if bulk_form is None:
        bulk_form = BulkAssignForm(entries=[], reviewers=page["reviewers"])
    bulk_form.fields["entries"].choices = _merged(
        bulk_form.fields["entries"].choices, entry_choices
    )
    reopen_form = reopen_form or ReopenForm(sheets=[])
    reopen_form.fields["sheet"].choices = _merged(
        reopen_form.fields["sheet"].choices, page["submitted_sheets"]
    )
    summary = listing.assignment_summary(round=round_)
    is_open = round_.status == RoundStatus.OPEN
    context = {
        **page,
        "round": round_,
        "summary": summary,
        "reviewers_per_model": round_.reviewers_per_model,
        "summary_links": _summary_links(summary),
        "conflicts": listing.conflicts_to_decide(round=round_) if summary["conflicts"] else [],
        "can_assign": request.user.has_perm("evaluation.assign_round", round_),
        "can_reopen": not round_.is_finalised,
        "bulk_form": bulk_form,
        "checked_entries": _checked(bulk_form, "entries"),
        "checked_reviewers": _checked(bulk_form, "reviewers"),
        "reopen_form": reopen_form,
        "refused": list(refused),
        # Reviewers with sheets to submit, for the "nhắc" list (evaluation.reminders): all
        # of them, whatever page of models is shown.
        "behind": (
            reminders.reviewers_behind(round=round_)
            if is_open and summary["submitted"] < summary["assignments"]
            else []
        ),
    }
    return render(request, "evaluation/manage/round_assignments.html", context, status=status)


def _summary_links(summary: dict) -> list[tuple[str, str, int]]:
    """(status, label, entries) for the summary's links, in the filter's order."""
    return [(value, label, summary[value]) for value, label in STATUS_CHOICES if value]


def _merged(choices, more) -> list:
    seen = dict(choices)
    seen.update(more)
    return list(seen.items())


def round_assignments(request, pk):
    return _render(request, _round_or_404(request, pk))


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
    round_ = _round_or_404(request, pk, "evaluation.assign_round")
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
    return redirect(_back(request, pk))


@require_POST
def assignments_bulk(request, pk):
    """Assign the ticked reviewers to the ticked models (of any page: the ticks are checked
    against the round in one query)."""
    round_ = _round_or_404(request, pk, "evaluation.assign_round")
    entries = list(
        RoundEntry.objects.filter(round=round_, pk__in=_posted_ids(request, "entries"))
        .select_related("dvk_model__unit")
        .order_by("pk")
    )
    members = listing.round_reviewers(round=round_)
    form = BulkAssignForm(request.POST, entries=entries, reviewers=members)
    if not form.is_valid():
        return _render(request, round_, bulk_form=form)
    reviewer_ids = set(form.cleaned_data["reviewers"])
    reviewers = list({m.user_id: m.user for m in members if m.user_id in reviewer_ids}.values())
    with refusals(form) as outcome:
        result = services.assignments_add_bulk(
            round=round_, entries=entries, reviewers=reviewers, by=request.user
        )
    if not outcome.ok:
        return _render(request, round_, bulk_form=form)
    _created_message(request, result.created)
    if not result.refused:
        return redirect(_back(request, pk))
    return _render(request, _round_or_404(request, pk), refused=result.refused)


def _assignment_or_404(request, pk, assignment_pk) -> Assignment:
    """An assignment of a round the user manages; what may be done to it now is for the
    service to say (its refusal is shown as a message)."""
    round_ = _round_or_404(request, pk)
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
    return redirect(_back(request, pk))


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
    return redirect(_back(request, pk))


@require_POST
def sheet_reopen(request, pk):
    """Reopen a submitted sheet of the round (offered on the page of its model); a refusal
    shows the page again with the form as typed."""
    round_ = _round_or_404(request, pk)
    posted = ScoreSheet.objects.filter(
        assignment__round=round_,
        status=SheetStatus.SUBMITTED,
        pk__in=_posted_ids(request, "sheet"),
    ).select_related("assignment__reviewer", "assignment__entry__dvk_model")
    choices = [(s.pk, f"{s.assignment.entry.dvk_model} — {s.assignment.reviewer}") for s in posted]
    form = ReopenForm(request.POST, sheets=choices)
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
            return redirect(_back(request, pk))
    return _render(request, round_, reopen_form=form)
