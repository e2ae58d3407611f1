"""The secretariat's intake list (with its export and bulk selection), the previous / next
links and the changes since the previous submission on a model's page, and the
registration coverage of a campaign."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.dates import today
from danvan.rules import is_admin, is_secretariat
from danvan.web import file_response, require

from .. import intake as intake_reads
from .. import selectors
from ..enums import ModelStatus
from ..exports import coverage_xlsx, intake_xlsx
from ..filters import IntakeFilter
from ..rules import unit_id_in_scope_of
from .common import PAGE_SIZE, campaign_or_404

# Query parameters of the list that are not filters.
NOT_FILTERS = ("page", "from")
# Who may tick rows of the list and accept or return them together: the same roles as the
# rule models_registry.review_dvkmodel (the scope and the status are checked per model).
may_review_many = is_admin | is_secretariat


def list_query(params: QueryDict) -> str:
    """The intake list's filters of ``params`` as a query string (no page), to carry to a
    model's page and back."""
    kept = params.copy()
    for name in NOT_FILTERS:
        kept.pop(name, None)
    return kept.urlencode()


def intake_url(query: str = "") -> str:
    url = reverse("models_registry:intake")
    return f"{url}?{query}" if query else url


def _filterset(user, params: QueryDict, queryset=None) -> IntakeFilter:
    return IntakeFilter(
        params or None,
        queryset=queryset if queryset is not None else selectors.intake_queryset(user=user),
    )


def intake(request):
    require(request.user, "models_registry.intake")
    filterset = _filterset(request.user, request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = list_query(request.GET)
    return render(
        request,
        "models_registry/intake_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "status_submitted": ModelStatus.SUBMITTED,
            "list_query": query,
            "from_query": urlencode({"from": query}),
            "can_review_many": may_review_many(request.user),
        },
    )


def _described_filters(filterset: IntakeFilter) -> str:
    """The filters of the export, as the title row states them."""
    form = filterset.form
    described = []
    for name, value in getattr(form, "cleaned_data", {}).items():
        # ``locality`` (a unit's id, set by the dashboard's links) has no words to show.
        if value in (None, "") or name == "locality" or name not in form.fields:
            continue
        field = form.fields[name]
        shown = value
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            shown = dict(field.choices).get(value, value)
        described.append(f"{field.label}: {shown}")
    if not described:
        return _("Filters: none (every registration in your scope)")
    return _("Filters: %(filters)s") % {"filters": "; ".join(described)}


def intake_export(request):
    """The filtered intake list (every matching row, not a page) as a spreadsheet."""
    require(request.user, "models_registry.intake")
    filterset = _filterset(request.user, request.GET)
    filterset.is_valid()
    rows = intake_reads.intake_export_rows(queryset=filterset.qs, user=request.user)
    return file_response(
        *intake_xlsx(rows=rows, filters=_described_filters(filterset), day=today())
    )


def model_page_context(request, dvk_model) -> dict:
    """What the intake adds to a model's page: ``intake_nav`` (previous / next in the
    intake list the page was opened from, with its filters — ``?from=<list query>``) and
    ``submission_changes`` (``intake.changes_since_previous_submission``) for readers in
    the model's scope: its unit's officers, the secretariat and leaders."""
    user = request.user
    context = {}
    source = request.GET.get("from")
    if source is not None and user.has_perm("models_registry.intake"):
        params = QueryDict(source)
        query = list_query(params)
        filterset = _filterset(user, params, queryset=selectors.intake_scope(user=user))
        position = intake_reads.intake_position(queryset=filterset.qs, dvk_model=dvk_model)
        if position is not None:
            suffix = "?" + urlencode({"from": query})
            position["list_url"] = intake_url(query)
            for side in ("previous", "next"):
                pk = position[side]
                position[f"{side}_url"] = (
                    reverse("models_registry:model_detail", args=[pk]) + suffix if pk else ""
                )
            context["intake_nav"] = position
    if user.has_perm("models_registry.view_history") and (
        user.is_superuser or unit_id_in_scope_of(user, dvk_model.unit_id)
    ):
        context["submission_changes"] = intake_reads.changes_since_previous_submission(
            dvk_model=dvk_model
        )
    return context


def coverage(request, pk):
    campaign = campaign_or_404(request, pk)
    require(request.user, "models_registry.intake")
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in selectors.REGISTERING_KINDS else None
    missing = selectors.units_without_models(user=request.user, campaign=campaign, kinds=kinds)
    if request.GET.get("format") == "xlsx":
        return file_response(*coverage_xlsx(campaign=campaign, units=missing))
    summary = selectors.coverage_by_kind(user=request.user, campaign=campaign)
    paginator = Paginator(missing, 50)
    # The summary counts the same units: the list's length needs no COUNT of its own.
    paginator.count = sum(
        row["missing"] for row in summary if kinds is None or row["kind"] in kinds
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/coverage.html",
        {
            "campaign": campaign,
            "summary": summary,
            "page_obj": page,
            "kind": kind,
            "kinds": [(k, k.label) for k in selectors.REGISTERING_KINDS],
        },
    )
