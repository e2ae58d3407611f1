"""The secretariat's pages: rubrics, committees, rounds, assignments, results.

Each view: permission → selector → form → service → message → redirect. Objects outside
the user's scope answer 404 (never 403) so that ids cannot be probed; transitions are
POST-only and report through messages.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danvan.enums import UnitKind
from danvan.models import User
from danvan.selectors import units_in_scope
from models_registry.selectors import campaigns_in_scope

from .. import selectors, services
from ..enums import ConflictStatus, RoundStatus, SheetStatus
from ..exports import results_xlsx
from ..forms.manage import (
    MANAGING_KINDS,
    BulkAssignForm,
    CommitteeForm,
    CriterionFormSet,
    FinaliseForm,
    MemberForm,
    ReopenForm,
    ResultsFilterForm,
    RoundForm,
    RubricCreateForm,
    RubricFilterForm,
    RubricHeaderForm,
    TierFormSet,
)
from ..models import (
    Assignment,
    Committee,
    CommitteeMember,
    Result,
    Round,
    RoundEntry,
    Rubric,
    ScoreSheet,
)
from ..services.rounds import OPEN_ROUND_FIELDS, ROUND_FIELDS
from ..services.rubrics import parse_points

ENTRIES_PAGE_SIZE = 50


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise Http404


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _posted(request):
    """The POST data for a form, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _managing_units(user):
    return (
        units_in_scope(user=user)
        .filter(kind__in=MANAGING_KINDS, active=True)
        .order_by("kind", "name")
    )


# --- Rubrics ------------------------------------------------------------------------------


def rubric_list(request):
    _require(request.user, "evaluation.manage_rubrics")
    campaigns = campaigns_in_scope(user=request.user)
    form = RubricFilterForm(request.GET or None, campaigns=campaigns)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    rubrics = selectors.rubric_list(user=request.user, campaign=campaign)
    return render(
        request, "evaluation/manage/rubric_list.html", {"rubrics": rubrics, "filter_form": form}
    )


def _rubric_or_404(request, pk, perm="evaluation.view_rubric") -> dict:
    try:
        detail = selectors.rubric_detail(rubric_id=pk, user=request.user)
    except Rubric.DoesNotExist:
        raise Http404 from None
    _require(request.user, perm, detail["rubric"])
    return detail


def rubric_create(request):
    _require(request.user, "evaluation.manage_rubrics")
    form = RubricCreateForm(
        _posted(request),
        organisers=_managing_units(request.user),
        campaigns=campaigns_in_scope(user=request.user),
        rubrics=selectors.rubric_list(user=request.user),
        initial={"mode": request.GET.get("mode", RubricCreateForm.BLANK)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == RubricCreateForm.CLONE:
                rubric = services.rubric_clone(
                    source=data["source"],
                    campaign=data["campaign"],
                    organiser=data["organiser"],
                    by=request.user,
                )
            elif data["mode"] == RubricCreateForm.DEFAULT:
                rubric = services.rubric_create_default(
                    organiser=data["organiser"],
                    campaign=data["campaign"],
                    applies_to=data["applies_to"],
                    by=request.user,
                )
            else:
                rubric = services.rubric_create(
                    organiser=data["organiser"],
                    campaign=data["campaign"],
                    applies_to=data["applies_to"],
                    name=data["name"],
                    total_points=data["total_points"],
                    by=request.user,
                )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The rubric has been created."))
            return redirect("evaluation:rubric_detail", pk=rubric.pk)
    return render(request, "evaluation/manage/rubric_create.html", {"form": form})


def _rows(formset, fields) -> tuple[list[dict], list[int]]:
    """The rows a formset posts for a service, in the order of their ``position`` (when
    given), skipping deleted and untouched forms; with the form index of each row."""
    kept = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        if not data or data.get("DELETE"):
            continue
        if not data.get("id") and not any(str(data.get(name) or "").strip() for name in fields):
            continue  # an empty row
        kept.append((index, data))
    kept.sort(key=lambda item: (item[1].get("position") is None, item[1].get("position") or 0))
    rows = [{name: data.get(name) for name in fields} for _index, data in kept]
    return rows, [index for index, _data in kept]


def _apply_row_errors(formset, error, form_indexes) -> None:
    """Put a ``RowsValidationError`` on the formset's forms and its non-form errors."""
    row_errors = getattr(error, "errors", None)
    if row_errors is None:
        formset._non_form_errors = formset.error_class(error.messages)
        return
    for row_index, fields in row_errors.rows.items():
        form = formset.forms[form_indexes[row_index]]
        for name, field_messages in fields.items():
            form.add_error(name if name in form.fields and name != "id" else None, field_messages)
    formset._non_form_errors = formset.error_class(row_errors.general)


class _Rollback(Exception):
    """Undo every part of the rubric save when one part was refused."""


def _posted_points_sum(formset) -> Decimal | None:
    total = Decimal(0)
    for form in formset.forms:
        if form.cleaned_data.get("DELETE") if hasattr(form, "cleaned_data") else False:
            continue
        try:
            value = parse_points(form["max_points"].value())
        except ValueError:
            continue
        total += value or 0
    return total


def rubric_detail(request, pk):
    """The rubric builder: header, criteria and tiers saved together, or nothing saved."""
    detail = _rubric_or_404(request, pk)
    rubric = detail["rubric"]
    can_change = request.user.has_perm("evaluation.change_rubric", rubric)
    context = {
        **detail,
        "can_change": can_change,
        "can_version": request.user.has_perm("evaluation.version_rubric", rubric),
    }
    if not can_change:
        return render(request, "evaluation/manage/rubric_detail.html", context)
    campaigns = campaigns_in_scope(user=request.user)
    criteria_initial = [
        {
            "id": c.pk,
            "group": c.group,
            "title": c.title,
            "guidance": c.guidance,
            "max_points": f"{c.max_points.normalize():f}",
            "position": c.position,
        }
        for c in detail["criteria"]
    ]
    tiers_initial = [
        {"name": t.name, "min_score": f"{t.min_score.normalize():f}"} for t in detail["tiers"]
    ]
    header_initial = {
        "name": rubric.name,
        "campaign": rubric.campaign_id,
        "applies_to": rubric.applies_to,
        "total_points": f"{rubric.total_points.normalize():f}",
    }
    data = request.POST if request.method == "POST" else None
    header = RubricHeaderForm(data, initial=header_initial, campaigns=campaigns)
    criteria = CriterionFormSet(data, initial=criteria_initial, prefix="criteria")
    tiers = TierFormSet(data, initial=tiers_initial, prefix="tiers")
    if request.method == "POST":
        valid = all([header.is_valid(), criteria.is_valid(), tiers.is_valid()])
        if valid:
            try:
                with transaction.atomic():
                    refused = False
                    changes = {
                        name: header.cleaned_data[name]
                        for name in header.changed_data
                        if name in ("name", "campaign", "total_points", "applies_to")
                    }
                    try:
                        if changes:
                            services.rubric_update(rubric=rubric, by=request.user, data=changes)
                    except ValidationError as error:
                        _apply_errors(header, error)
                        refused = True
                    rows, indexes = _rows(
                        criteria, ["id", "group", "title", "guidance", "max_points"]
                    )
                    try:
                        services.rubric_save_criteria(rubric=rubric, criteria=rows, by=request.user)
                    except ValidationError as error:
                        _apply_row_errors(criteria, error, indexes)
                        refused = True
                    rows, indexes = _rows(tiers, ["name", "min_score"])
                    try:
                        services.rubric_save_tiers(rubric=rubric, tiers=rows, by=request.user)
                    except ValidationError as error:
                        _apply_row_errors(tiers, error, indexes)
                        refused = True
                    if refused:
                        raise _Rollback
            except _Rollback:
                messages.error(request, _("Nothing was saved: please correct the errors below."))
            except services.DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The rubric has been saved."))
                return redirect("evaluation:rubric_detail", pk=rubric.pk)
        context["posted_sum"] = _posted_points_sum(criteria)
    context.update({"header_form": header, "criteria_formset": criteria, "tiers_formset": tiers})
    return render(request, "evaluation/manage/rubric_detail.html", context)


@require_POST
def rubric_new_version(request, pk):
    rubric = _rubric_or_404(request, pk, "evaluation.version_rubric")["rubric"]
    try:
        new = services.rubric_new_version(rubric=rubric, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
        return redirect("evaluation:rubric_detail", pk=rubric.pk)
    messages.success(
        request,
        _("Version %(version)d has been created: change it here.") % {"version": new.version},
    )
    return redirect("evaluation:rubric_detail", pk=new.pk)


# --- Committees ---------------------------------------------------------------------------


def committee_list(request):
    _require(request.user, "evaluation.manage_committees")
    committees = selectors.committee_list(user=request.user)
    return render(request, "evaluation/manage/committee_list.html", {"committees": committees})


def committee_create(request):
    _require(request.user, "evaluation.manage_committees")
    form = CommitteeForm(_posted(request), units=_managing_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                unit=form.cleaned_data["unit"], name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The committee has been created."))
            return redirect("evaluation:committee_detail", pk=committee.pk)
    return render(request, "evaluation/manage/committee_form.html", {"form": form})


def _committee_or_404(request, pk) -> dict:
    try:
        detail = selectors.committee_detail(committee_id=pk, user=request.user)
    except Committee.DoesNotExist:
        raise Http404 from None
    _require(request.user, "evaluation.change_committee", detail["committee"])
    return detail


def _people(user):
    return (
        User.objects.filter(is_active=True, unit__in=units_in_scope(user=user))
        .select_related("unit")
        .order_by("full_name", "username")
    )


def _followable_units(user):
    return (
        units_in_scope(user=user)
        .filter(active=True)
        .exclude(kind__in=[UnitKind.DISTRICT, UnitKind.RESIDENTIAL, UnitKind.PROVINCE])
        .order_by("kind", "name")
    )


def committee_detail(request, pk):
    detail = _committee_or_404(request, pk)
    form = MemberForm(
        _posted(request),
        people=_people(request.user),
        units=_followable_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_add(
                committee=detail["committee"],
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                followed_units=list(form.cleaned_data["followed_units"]),
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The member has been added."))
            return redirect("evaluation:committee_detail", pk=pk)
    return render(
        request, "evaluation/manage/committee_detail.html", {**detail, "member_form": form}
    )


def _member_or_404(request, pk) -> CommitteeMember:
    member = get_object_or_404(
        CommitteeMember.objects.select_related("committee__unit", "user"), pk=pk
    )
    _require(request.user, "evaluation.change_committee", member)
    return member


def member_update(request, pk):
    member = _member_or_404(request, pk)
    form = MemberForm(
        _posted(request),
        units=_followable_units(request.user),
        editing=True,
        initial={
            "role": member.role,
            "active": member.active,
            "followed_units": list(member.followed_units.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_update(
                member=member,
                role=form.cleaned_data["role"],
                active=form.cleaned_data["active"],
                followed_units=list(form.cleaned_data["followed_units"]),
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The member has been saved."))
            return redirect("evaluation:committee_detail", pk=member.committee_id)
    return render(request, "evaluation/manage/member_form.html", {"form": form, "member": member})


@require_POST
def member_deactivate(request, pk):
    member = _member_or_404(request, pk)
    services.committee_member_update(member=member, active=False, by=request.user)
    messages.success(
        request,
        _("%(person)s is no longer active: they keep their sheets but get no new models.")
        % {"person": member.user},
    )
    return redirect("evaluation:committee_detail", pk=member.committee_id)


# --- Rounds -------------------------------------------------------------------------------


def round_list(request):
    """Rounds in scope: the secretariat manages them; leaders open finalised results."""
    _require(request.user, "evaluation.list_rounds")
    rounds = selectors.round_list(user=request.user)
    page = Paginator(rounds, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/manage/round_list.html",
        {"page_obj": page, "can_manage": request.user.has_perm("evaluation.manage_rounds")},
    )


def _round_or_404(request, pk, perm="evaluation.view_assignments") -> dict:
    try:
        detail = selectors.round_detail(round_id=pk, user=request.user)
    except Round.DoesNotExist:
        raise Http404 from None
    _require(request.user, "evaluation.view_round", detail["round"])
    if perm and not request.user.has_perm(perm, detail["round"]):
        raise Http404
    return detail


def _round_form(request, instance=None, editable=None):
    user = request.user
    # A frozen rubric cannot be chosen anew, but the one a round already uses stays.
    current = [instance.rubric_collective_id, instance.rubric_individual_id] if instance else []
    current = [pk for pk in current if pk]
    return RoundForm(
        _posted(request),
        instance=instance,
        campaigns=campaigns_in_scope(user=user),
        units=_managing_units(user),
        rubrics=selectors.rubric_list(user=user).filter(Q(is_frozen=False) | Q(pk__in=current)),
        rounds=selectors.rounds_visible_to(user=user)
        .exclude(pk=instance.pk if instance else None)
        .select_related("scope_unit")
        .order_by("-scoring_opens", "name"),
        editable=editable,
    )


def _round_data(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def round_create(request):
    _require(request.user, "evaluation.manage_rounds")
    form = _round_form(request)
    if request.method == "POST" and form.is_valid():
        data = _round_data(form, ROUND_FIELDS)
        for name in ("scoring_opens", "scoring_closes"):
            if data.get(name) is None:
                data.pop(name, None)
        try:
            round_ = services.round_create(
                campaign=form.cleaned_data["campaign"],
                scope_unit=form.cleaned_data["scope_unit"],
                by=request.user,
                data=data,
                nominated_from=list(form.cleaned_data["nominated_from"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The round has been created."))
            return redirect("evaluation:round_detail", pk=round_.pk)
    return render(request, "evaluation/manage/round_form.html", {"form": form})


def round_update(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.change_round")["round"]
    allowed = [*ROUND_FIELDS, "nominated_from"]
    if round_.status != RoundStatus.DRAFT:
        allowed = OPEN_ROUND_FIELDS
    form = _round_form(request, instance=round_, editable=allowed)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name in ROUND_FIELDS]
        nominated = (
            list(form.cleaned_data["nominated_from"])
            if "nominated_from" in form.changed_data
            else None
        )
        try:
            services.round_update(
                round=round_,
                by=request.user,
                data=_round_data(form, changed),
                nominated_from=nominated,
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("evaluation:round_detail", pk=round_.pk)
    return render(request, "evaluation/manage/round_form.html", {"form": form, "round": round_})


def round_detail(request, pk):
    detail = _round_or_404(request, pk)
    round_ = detail["round"]
    entries = Paginator(selectors.round_entries(round=round_), ENTRIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    user = request.user
    return render(
        request,
        "evaluation/manage/round_detail.html",
        {
            **detail,
            "page_obj": entries,
            "can_change": user.has_perm("evaluation.change_round", round_),
            "can_open": user.has_perm("evaluation.open_round", round_),
            "can_finalise": user.has_perm("evaluation.finalise_round", round_),
        },
    )


@require_POST
def round_populate(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.change_round")["round"]
    try:
        population = services.round_populate_entries(round=round_, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(added)d model added, %(kept)d already in the round.",
                "%(added)d models added, %(kept)d already in the round.",
                population.added,
            )
            % {"added": population.added, "kept": population.kept},
        )
        if population.not_matching:
            messages.warning(
                request,
                _(
                    "These entries no longer match the entry rules (kept; remove them if needed): %(names)s"
                )
                % {"names": "; ".join(str(e) for e in population.not_matching)},
            )
    return redirect("evaluation:round_detail", pk=pk)


@require_POST
def round_open(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.open_round")["round"]
    try:
        services.round_open(round=round_, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round is open: reviewers can score their models."))
    return redirect("evaluation:round_detail", pk=pk)


@require_POST
def round_entry_remove(request, pk, entry_pk):
    round_ = _round_or_404(request, pk, "evaluation.change_round")["round"]
    entry = get_object_or_404(
        RoundEntry.objects.select_related("dvk_model"), pk=entry_pk, round=round_
    )
    try:
        services.round_entry_remove(entry=entry, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("“%(model)s” has been taken out of the round.") % {"model": entry}
        )
    return redirect("evaluation:round_detail", pk=pk)


# --- Assignments --------------------------------------------------------------------------


def _assignment_context(round_, matrix, bulk_form=None, reopen_form=None, refused=None):
    conflicts, submitted = [], []
    for entry in matrix["entries"]:
        for assignment in entry.assignment_list:
            if assignment.conflict_status == ConflictStatus.DECLARED:
                conflicts.append((entry, assignment))
            sheet = _sheet_of(assignment)
            if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
                submitted.append((sheet.pk, f"{entry.dvk_model} — {assignment.reviewer}"))
    bulk_form = bulk_form or BulkAssignForm(
        entries=matrix["entries"], reviewers=matrix["reviewers"]
    )
    return {
        "conflicts": conflicts,
        "bulk_form": bulk_form,
        "checked_entries": _checked(bulk_form, "entries"),
        "checked_reviewers": _checked(bulk_form, "reviewers"),
        "reopen_form": reopen_form or ReopenForm(sheets=submitted),
        "refused": refused or [],
        "submitted_sheets": submitted,
    }


def _checked(form, name) -> set[int]:
    """The ids ticked in a bound form, to keep the boxes ticked when it is shown again."""
    if not form.is_bound:
        return set()
    return {int(value) for value in form.data.getlist(name) if value.isdigit()}


def _sheet_of(assignment) -> ScoreSheet | None:
    """The prefetched sheet, or None (an approved conflict's sheet may be deleted)."""
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


def round_assignments(request, pk):
    detail = _round_or_404(request, pk)
    round_ = detail["round"]
    matrix = selectors.assignment_matrix(round=round_)
    context = {
        **detail,
        **matrix,
        "can_assign": request.user.has_perm("evaluation.assign_round", round_),
        "can_reopen": round_.status != RoundStatus.FINALISED,
    }
    context.update(_assignment_context(round_, matrix))
    return render(request, "evaluation/manage/round_assignments.html", context)


@require_POST
def assignments_auto(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.assign_round")["round"]
    try:
        result = services.assignments_auto(round=round_, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d assignment has been made.",
                "%(count)d assignments have been made.",
                len(result.created),
            )
            % {"count": len(result.created)},
        )
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
    detail = _round_or_404(request, pk, "evaluation.assign_round")
    round_ = detail["round"]
    matrix = selectors.assignment_matrix(round=round_)
    form = BulkAssignForm(request.POST, entries=matrix["entries"], reviewers=matrix["reviewers"])
    refused = []
    if form.is_valid():
        entries = [e for e in matrix["entries"] if e.pk in set(form.cleaned_data["entries"])]
        reviewers = [
            m.user for m in matrix["reviewers"] if m.user_id in set(form.cleaned_data["reviewers"])
        ]
        reviewers = list({user.pk: user for user in reviewers}.values())
        try:
            result = services.assignments_add_bulk(
                round=round_, entries=entries, reviewers=reviewers, by=request.user
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d assignment has been made.",
                    "%(count)d assignments have been made.",
                    len(result.created),
                )
                % {"count": len(result.created)},
            )
            if not result.refused:
                return redirect("evaluation:round_assignments", pk=pk)
            refused = result.refused
            matrix = selectors.assignment_matrix(round=round_)
            form = BulkAssignForm(entries=matrix["entries"], reviewers=matrix["reviewers"])
    context = {
        **detail,
        **matrix,
        "can_assign": True,
        "can_reopen": round_.status != RoundStatus.FINALISED,
    }
    context.update(_assignment_context(round_, matrix, bulk_form=form, refused=refused))
    return render(request, "evaluation/manage/round_assignments.html", context)


def _assignment_or_404(request, pk, assignment_pk, perm) -> Assignment:
    round_ = _round_or_404(request, pk)["round"]
    assignment = get_object_or_404(
        Assignment.objects.select_related("round", "reviewer", "entry__dvk_model"),
        pk=assignment_pk,
        round=round_,
    )
    if not request.user.has_perm(perm, assignment):
        raise PermissionError(perm)
    return assignment


@require_POST
def assignment_remove(request, pk, assignment_pk):
    try:
        assignment = _assignment_or_404(request, pk, assignment_pk, "evaluation.assign_round")
        services.assignment_remove(assignment=assignment, by=request.user)
    except PermissionError:
        messages.error(request, _("This action is not possible now."))
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s no longer scores “%(model)s”.")
            % {"person": assignment.reviewer, "model": assignment.entry},
        )
    return redirect("evaluation:round_assignments", pk=pk)


@require_POST
def assignment_resolve(request, pk, assignment_pk):
    approve = request.POST.get("decision") == "approve"
    try:
        assignment = _assignment_or_404(request, pk, assignment_pk, "evaluation.resolve_conflict")
        resolution = services.assignment_resolve_conflict(
            assignment=assignment, approve=approve, by=request.user
        )
    except PermissionError:
        messages.error(request, _("There is no pending conflict of interest to decide here."))
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        if not approve:
            messages.success(request, _("The conflict has been rejected: the reviewer stays."))
        elif resolution.replacement is not None:
            messages.success(
                request,
                _("The conflict has been approved; %(person)s takes over the model.")
                % {"person": resolution.replacement.reviewer},
            )
        else:
            messages.warning(
                request,
                _("The conflict has been approved, but no other reviewer can take the model."),
            )
    return redirect("evaluation:round_assignments", pk=pk)


@require_POST
def sheet_reopen(request, pk):
    detail = _round_or_404(request, pk)
    round_ = detail["round"]
    matrix = selectors.assignment_matrix(round=round_)
    context = _assignment_context(round_, matrix)
    form = ReopenForm(request.POST, sheets=context["submitted_sheets"])
    if form.is_valid():
        sheet = ScoreSheet.objects.select_related("assignment__round").get(
            pk=form.cleaned_data["sheet"], assignment__round=round_
        )
        if not request.user.has_perm("evaluation.reopen_sheet", sheet):
            raise Http404
        try:
            services.sheet_reopen(
                sheet=sheet,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The sheet has been reopened for its reviewer."))
            return redirect("evaluation:round_assignments", pk=pk)
    context = {
        **detail,
        **matrix,
        "can_assign": request.user.has_perm("evaluation.assign_round", round_),
        "can_reopen": True,
    }
    context.update(_assignment_context(round_, matrix, reopen_form=form))
    return render(request, "evaluation/manage/round_assignments.html", context)


# --- Results ------------------------------------------------------------------------------


def _results_round(request, pk) -> dict:
    try:
        detail = selectors.round_detail(round_id=pk, user=request.user)
    except Round.DoesNotExist:
        raise Http404 from None
    round_ = detail["round"]
    if round_.is_finalised:
        _require(request.user, "evaluation.view_results", round_)
    else:
        _require(request.user, "evaluation.view_live_results", round_)
    return detail


def round_results(request, pk):
    detail = _results_round(request, pk)
    round_ = detail["round"]
    user = request.user
    form = ResultsFilterForm(request.GET or None, round=round_)
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
    else:
        rows = selectors.round_results(round=round_, tier=tier, **common)
    if request.GET.get("format") == "xlsx":
        filename, content_type, body = results_xlsx(round=round_, rows=rows)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    is_manager = user.has_perm("evaluation.view_live_results", round_)
    context = {
        **detail,
        "rows": rows,
        "filter_form": form,
        "is_manager": is_manager,
        "reviewers": selectors.reviewer_stats(round=round_) if is_manager else [],
        "can_finalise": user.has_perm("evaluation.finalise_round", round_),
        "can_set_exemplary": user.has_perm("evaluation.set_exemplary", round_),
        "can_nominate": is_manager
        and round_.is_finalised
        and round_.scope_unit.kind != UnitKind.PROVINCE,
    }
    return render(request, "evaluation/manage/round_results.html", context)


def round_finalise(request, pk):
    """A confirmation page (GET) and the finalisation itself (POST)."""
    detail = _round_or_404(request, pk, "evaluation.finalise_round")
    round_ = detail["round"]
    form = FinaliseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_finalise(round=round_, by=request.user, force=form.cleaned_data["force"])
        except services.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The round has been finalised: its results can no longer change.")
            )
            return redirect("evaluation:round_results", pk=pk)
    unfinished = round_.pending_count + round_.in_progress_count
    return render(
        request,
        "evaluation/manage/round_finalise.html",
        {**detail, "form": form, "unfinished": unfinished},
    )


def _result_or_404(request, pk, result_pk) -> Result:
    result = get_object_or_404(
        Result.objects.select_related("round__scope_unit", "dvk_model"),
        pk=result_pk,
        round_id=pk,
    )
    _require(request.user, "evaluation.view_live_results", result.round)
    return result


@require_POST
def result_exemplary(request, pk, result_pk):
    result = _result_or_404(request, pk, result_pk)
    exemplary = request.POST.get("exemplary") == "1"
    if not request.user.has_perm("evaluation.set_exemplary", result):
        messages.error(request, _("The exemplary selection can no longer change."))
        return redirect("evaluation:round_results", pk=pk)
    try:
        services.result_set_exemplary(result=result, exemplary=exemplary, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        if exemplary:
            message = _("“%(model)s” is marked as exemplary.")
        else:
            message = _("“%(model)s” is no longer marked as exemplary.")
        messages.success(request, message % {"model": result.dvk_model})
    return redirect("evaluation:round_results", pk=pk)


@require_POST
def result_nominate(request, pk, result_pk):
    result = _result_or_404(request, pk, result_pk)
    nominated = request.POST.get("nominated") == "1"
    if nominated and not request.user.has_perm("evaluation.nominate_result", result):
        messages.error(request, _("Only a recognised model can be nominated."))
        return redirect("evaluation:round_results", pk=pk)
    try:
        services.round_nominate(result=result, nominated=nominated, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        if nominated:
            message = _("“%(model)s” is nominated to the provincial round.")
        else:
            message = _("The nomination of “%(model)s” has been withdrawn.")
        messages.success(request, message % {"model": result.dvk_model})
    return redirect("evaluation:round_results", pk=pk)
