"""Rounds: the list, creating and changing one, its entries, opening it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danvan.db import vi_order
from danvan.web import object_or_404, refusals, require
from models_registry.selectors import campaigns_in_scope

from ... import selectors, services
from ...forms.manage import RoundForm
from ...models import RoundEntry
from ...validators import round_date_warnings
from .common import posted, round_or_404

ENTRIES_PAGE_SIZE = 50


def round_list(request):
    """Rounds in scope: the secretariat manages them; leaders open finalised results."""
    require(request.user, "evaluation.list_rounds")
    rounds = selectors.round_list(user=request.user)
    page = Paginator(rounds, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/manage/round_list.html",
        {"page_obj": page, "can_manage": request.user.has_perm("evaluation.manage_rounds")},
    )


def _round_form(request, instance=None):
    """The round form with its choices in the user's scope; the settings it may change
    are the service's policy (``services.round_editable_fields``)."""
    user = request.user
    # A frozen rubric cannot be chosen anew, but the one a round already uses stays.
    current = [instance.rubric_collective_id, instance.rubric_individual_id] if instance else []
    current = [pk for pk in current if pk]
    return RoundForm(
        posted(request),
        instance=instance,
        campaigns=campaigns_in_scope(user=user),
        units=selectors.managing_units(user=user),
        rubrics=selectors.rubric_list(user=user).filter(Q(is_frozen=False) | Q(pk__in=current)),
        rounds=selectors.rounds_visible_to(user=user)
        .exclude(pk=instance.pk if instance else None)
        .select_related("scope_unit")
        .order_by("-scoring_opens", vi_order("name")),
        editable=services.round_editable_fields(round=instance) if instance else None,
    )


def round_create(request):
    require(request.user, "evaluation.manage_rounds")
    form = _round_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        with refusals(form) as outcome:
            round_ = services.round_create(
                campaign=form.cleaned_data["campaign"],
                scope_unit=form.cleaned_data["scope_unit"],
                by=request.user,
                nominated_from=list(data.pop("nominated_from", [])),
                data=data,
            )
        if outcome.ok:
            messages.success(request, _("The round has been created."))
            _warn_about_dates(request, round_)
            return redirect("evaluation:round_detail", pk=round_.pk)
    return render(request, "evaluation/manage/round_form.html", {"form": form})


def round_update(request, pk):
    round_ = round_or_404(request, pk, "evaluation.change_round")["round"]
    form = _round_form(request, instance=round_)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.round_update(round=round_, by=request.user, data=form.changes())
        if outcome.ok:
            messages.success(request, _("The round has been saved."))
            _warn_about_dates(request, round_)
            return redirect("evaluation:round_detail", pk=round_.pk)
    return render(
        request,
        "evaluation/manage/round_form.html",
        {"form": form, "round": round_, "date_warnings": _date_warnings(round_)},
    )


def _date_warnings(round_) -> list[str]:
    return round_date_warnings(
        campaign=round_.campaign,
        scoring_opens=round_.scoring_opens,
        scoring_closes=round_.scoring_closes,
    )


def _warn_about_dates(request, round_) -> None:
    """Saved, and said so; the dates that contradict the campaign's follow as warnings."""
    for warning in _date_warnings(round_):
        messages.warning(request, warning)


def round_detail(request, pk):
    detail = round_or_404(request, pk)
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
            "date_warnings": _date_warnings(round_),
        },
    )


@require_POST
def round_populate(request, pk):
    round_ = round_or_404(request, pk, "evaluation.change_round")["round"]
    with refusals(request) as outcome:
        population = services.round_populate_entries(round=round_, by=request.user)
    if outcome.ok:
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
    round_ = round_or_404(request, pk, "evaluation.open_round")["round"]
    with refusals(request) as outcome:
        services.round_open(round=round_, by=request.user)
    if outcome.ok:
        messages.success(request, _("The round is open: reviewers can score their models."))
    return redirect("evaluation:round_detail", pk=pk)


@require_POST
def round_entry_remove(request, pk, entry_pk):
    round_ = round_or_404(request, pk, "evaluation.change_round")["round"]
    entry = object_or_404(
        RoundEntry.objects.select_related("dvk_model").get, pk=entry_pk, round=round_
    )
    with refusals(request) as outcome:
        services.round_entry_remove(entry=entry, by=request.user)
    if outcome.ok:
        messages.success(
            request, _("“%(model)s” has been taken out of the round.") % {"model": entry}
        )
    return redirect("evaluation:round_detail", pk=pk)
