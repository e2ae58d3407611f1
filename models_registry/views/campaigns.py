"""Campaign pages of the secretariat: list, create, edit, detail, extensions, indicators."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.dates import today
from danvan.extensions import CAMPAIGN_PAGE, detail_sections_for
from danvan.web import refusals, require

from .. import selectors, services
from ..forms import CampaignForm, DeadlineExtensionForm, IndicatorFormSet, default_campaign_dates
from ..validators import extension_date_warnings
from .common import campaign_or_404


def campaign_list(request):
    require(request.user, "models_registry.intake")
    campaigns = selectors.campaigns_in_scope(user=request.user)
    return render(request, "models_registry/campaign_list.html", {"campaigns": campaigns})


def campaign_create(request):
    require(request.user, "models_registry.manage_campaigns")
    organisers = selectors.campaign_organisers_for(user=request.user)
    form = CampaignForm(
        request.POST or None, initial=default_campaign_dates(today().year), organisers=organisers
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            campaign = services.campaign_save(
                campaign=form.save(commit=False),
                focus_fields=form.cleaned_data["focus_fields"],
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The campaign has been created."))
            return redirect(campaign)
    return render(request, "models_registry/campaign_form.html", {"form": form})


def campaign_update(request, pk):
    campaign = campaign_or_404(request, pk, "models_registry.change_campaign")
    organisers = selectors.campaign_organisers_for(user=request.user)
    form = CampaignForm(request.POST or None, instance=campaign, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.campaign_save(
                campaign=form.save(commit=False),
                focus_fields=form.cleaned_data["focus_fields"],
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The campaign has been saved."))
            return redirect(campaign)
    return render(
        request, "models_registry/campaign_form.html", {"form": form, "campaign": campaign}
    )


def _with_warnings(extension, campaign):
    extension.date_warnings = extension_date_warnings(
        campaign=campaign, until=extension.registration_closes
    )
    return extension


def _campaign_detail_context(request, campaign, extension_form=None) -> dict:
    user = request.user
    can_manage = user.has_perm("models_registry.change_campaign", campaign)
    context = {
        "campaign": campaign,
        "can_manage": can_manage,
        "focus_fields": campaign.focus_fields.select_related("parent"),
        "extensions": [
            _with_warnings(extension, campaign)
            for extension in selectors.deadline_extensions_visible_to(user=user, campaign=campaign)
        ],
        "sections": detail_sections_for(CAMPAIGN_PAGE, request, campaign),
    }
    if user.has_perm("models_registry.intake"):
        context["coverage"] = selectors.coverage_by_kind(user=user, campaign=campaign)
    if can_manage:
        context["extension_form"] = extension_form or DeadlineExtensionForm(
            units=selectors.extension_units_for(user=user, campaign=campaign)
        )
    return context


def campaign_detail(request, pk):
    campaign = campaign_or_404(request, pk)
    return render(
        request, "models_registry/campaign_detail.html", _campaign_detail_context(request, campaign)
    )


@require_POST
def campaign_extend(request, pk):
    campaign = campaign_or_404(request, pk, "models_registry.change_campaign")
    form = DeadlineExtensionForm(
        request.POST, units=selectors.extension_units_for(user=request.user, campaign=campaign)
    )
    if form.is_valid():
        with refusals(form) as outcome:
            services.campaign_extend_deadline(
                campaign=campaign,
                unit=form.cleaned_data["unit"],
                until=form.cleaned_data["registration_closes"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The deadline has been extended."))
            for warning in extension_date_warnings(
                campaign=campaign, until=form.cleaned_data["registration_closes"]
            ):
                messages.warning(request, warning)
            return redirect(campaign)
    return render(
        request,
        "models_registry/campaign_detail.html",
        _campaign_detail_context(request, campaign, extension_form=form),
    )


def campaign_indicators(request, pk):
    """The secretariat sets the figures every result report of the campaign asks for."""
    campaign = campaign_or_404(request, pk, "models_registry.change_campaign")
    initial = [
        {"id": i.pk, "name": i.name, "unit_label": i.unit_label, "position": i.position}
        for i in campaign.indicators.all()
    ]
    formset = IndicatorFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [{**row, "delete": row.get("DELETE", False)} for row in formset.cleaned_data if row]
        with refusals(formset) as outcome:
            services.campaign_save_indicators(campaign=campaign, rows=rows, by=request.user)
        if outcome.ok:
            messages.success(request, _("The result indicators have been saved."))
            return redirect(campaign)
    return render(
        request,
        "models_registry/campaign_indicators.html",
        {"campaign": campaign, "formset": formset},
    )
