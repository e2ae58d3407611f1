"""Registration pages. Each view: permission → selector → form → service → message → redirect.

Objects outside the user's scope answer 404 (never 403) so that ids cannot be probed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.models import Unit
from danvan.selectors import units_in_scope

from . import selectors, services
from .enums import AttachmentPurpose, ModelStatus
from .exports import coverage_xlsx
from .filters import IntakeFilter
from .forms import (
    AttachmentForm,
    CampaignForm,
    DeadlineExtensionForm,
    DvkModelForm,
    FieldForm,
    IndicatorFormSet,
    ResultReportForm,
    ReturnForm,
    default_campaign_dates,
    registering_units_choices,
)
from .models import Attachment, Campaign, DvkModel, Field

PAGE_SIZE = 25


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise Http404


def _require_registering_unit(user):
    """Registration pages need a unit officer attached to a unit (an administrator without
    a unit passes every permission check but has no unit to register for)."""
    if user.unit_id is None or not user.has_perm("models_registry.register"):
        raise Http404


def _model_or_404(request, pk, perm="models_registry.view_dvkmodel") -> DvkModel:
    try:
        dvk_model = selectors.dvk_model_detail(pk=pk)
    except DvkModel.DoesNotExist:
        raise Http404 from None
    # Seeing is the first gate: without it every action answers 404.
    _require(request.user, "models_registry.view_dvkmodel", dvk_model)
    if perm != "models_registry.view_dvkmodel" and not request.user.has_perm(perm, dvk_model):
        raise PermissionError(perm)
    return dvk_model


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _campaign_or_404(request, pk, perm="models_registry.view_campaign") -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    _require(request.user, perm, campaign)
    return campaign


def _forbidden_action(request, dvk_model, message=None):
    messages.error(request, message or _("This action is not possible for this model now."))
    return redirect(dvk_model)


# --- Campaigns ----------------------------------------------------------------------------


def campaign_list(request):
    _require(request.user, "models_registry.intake")
    campaigns = selectors.campaigns_in_scope(user=request.user)
    return render(request, "models_registry/campaign_list.html", {"campaigns": campaigns})


def _organisers(user):
    return registering_units_choices(units_in_scope(user=user)).filter(
        kind__in=["province", "commune"]
    )


def campaign_create(request):
    _require(request.user, "models_registry.manage_campaigns")
    organisers = _organisers(request.user)
    if request.method == "POST":
        form = CampaignForm(request.POST, organisers=organisers)
        if form.is_valid():
            campaign = form.save(commit=False)
            try:
                services.campaign_save(
                    campaign=campaign, focus_fields=form.cleaned_data["focus_fields"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The campaign has been created."))
                return redirect(campaign)
    else:
        form = CampaignForm(
            initial=default_campaign_dates(timezone.localdate().year), organisers=organisers
        )
    return render(request, "models_registry/campaign_form.html", {"form": form})


def campaign_update(request, pk):
    campaign = _campaign_or_404(request, pk, "models_registry.change_campaign")
    organisers = _organisers(request.user)
    form = CampaignForm(request.POST or None, instance=campaign, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_save(
                campaign=form.save(commit=False), focus_fields=form.cleaned_data["focus_fields"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The campaign has been saved."))
            return redirect(campaign)
    return render(
        request, "models_registry/campaign_form.html", {"form": form, "campaign": campaign}
    )


def _campaign_detail_context(request, campaign, extension_form=None) -> dict:
    can_manage = request.user.has_perm("models_registry.change_campaign", campaign)
    context = {
        "campaign": campaign,
        "can_manage": can_manage,
        "focus_fields": campaign.focus_fields.select_related("parent"),
        "extensions": campaign.extensions.select_related("unit", "granted_by").order_by(
            "unit__name"
        ),
    }
    if request.user.has_perm("models_registry.intake"):
        context["coverage"] = selectors.coverage_by_kind(user=request.user, campaign=campaign)
    if can_manage:
        context["extension_form"] = extension_form or DeadlineExtensionForm(
            units=_extension_units(request.user, campaign)
        )
    return context


def campaign_detail(request, pk):
    campaign = _campaign_or_404(request, pk)
    return render(
        request, "models_registry/campaign_detail.html", _campaign_detail_context(request, campaign)
    )


def _extension_units(user, campaign):
    in_campaign = Unit.objects.descendants(campaign.organiser_id, include_self=False).values("pk")
    return registering_units_choices(units_in_scope(user=user).filter(pk__in=in_campaign)).order_by(
        "kind", "name"
    )


@require_POST
def campaign_extend(request, pk):
    campaign = _campaign_or_404(request, pk, "models_registry.change_campaign")
    form = DeadlineExtensionForm(request.POST, units=_extension_units(request.user, campaign))
    if form.is_valid():
        try:
            services.campaign_extend_deadline(
                campaign=campaign,
                unit=form.cleaned_data["unit"],
                until=form.cleaned_data["registration_closes"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The deadline has been extended."))
            return redirect(campaign)
    return render(
        request,
        "models_registry/campaign_detail.html",
        _campaign_detail_context(request, campaign, extension_form=form),
    )


def campaign_indicators(request, pk):
    """The secretariat sets the figures every result report of the campaign asks for."""
    campaign = _campaign_or_404(request, pk, "models_registry.change_campaign")
    initial = [
        {"id": i.pk, "name": i.name, "unit_label": i.unit_label, "position": i.position}
        for i in campaign.indicators.all()
    ]
    formset = IndicatorFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [{**row, "delete": row.get("DELETE", False)} for row in formset.cleaned_data if row]
        try:
            services.campaign_save_indicators(campaign=campaign, rows=rows)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The result indicators have been saved."))
            return redirect(campaign)
    return render(
        request,
        "models_registry/campaign_indicators.html",
        {"campaign": campaign, "formset": formset},
    )


# --- Fields -------------------------------------------------------------------------------


def field_list(request):
    _require(request.user, "models_registry.manage_fields")
    return render(
        request, "models_registry/field_list.html", {"fields": selectors.fields_for_management()}
    )


def field_edit(request, pk=None):
    _require(request.user, "models_registry.manage_fields")
    instance = get_object_or_404(Field, pk=pk) if pk else None
    initial = {}
    if instance is None and request.GET.get("parent", "").isdigit():
        initial["parent"] = request.GET["parent"]
    form = FieldForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.field_save(field=form.save(commit=False))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The field has been saved."))
            return redirect("models_registry:field_list")
    return render(request, "models_registry/field_form.html", {"form": form, "field": instance})


# --- The unit's models --------------------------------------------------------------------


def my_models(request):
    """The unit officer's list of their unit's models in the current campaign."""
    _require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    models_page = None
    deadline = None
    if campaign is not None:
        qs = selectors.dvk_models_of_unit(user=request.user, campaign=campaign)
        models_page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        deadline = services.registration_deadline(campaign=campaign, unit=request.user.unit)
    return render(
        request,
        "models_registry/dvkmodel_mine.html",
        {
            "campaign": campaign,
            "page_obj": models_page,
            "deadline": deadline,
            "days_left": (deadline - timezone.localdate()).days if deadline else None,
            "today": timezone.localdate(),
        },
    )


def _form_fields_queryset(campaign):
    return (
        Field.objects.filter(active=True)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )


def model_create(request):
    _require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    if campaign is None:
        messages.error(request, _("There is no open campaign for your unit."))
        return redirect("models_registry:my_models")
    form = DvkModelForm(request.POST or None, fields_queryset=_form_fields_queryset(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            dvk_model = services.dvk_model_create(
                campaign=campaign, unit=request.user.unit, by=request.user, data=form.content_data()
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The draft has been saved. You can keep editing it, "
                    "add evidence files, and submit it when it is complete."
                ),
            )
            return redirect(dvk_model)
    return render(
        request, "models_registry/dvkmodel_form.html", {"form": form, "campaign": campaign}
    )


def model_update(request, pk):
    dvk_model = _model_or_404(request, pk)
    if not request.user.has_perm("models_registry.change_dvkmodel", dvk_model):
        return _forbidden_action(request, dvk_model, _("This model can no longer be edited."))
    form = DvkModelForm(
        request.POST or None,
        instance=dvk_model,
        fields_queryset=_form_fields_queryset(dvk_model.campaign),
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            with transaction.atomic():
                services.dvk_model_update(
                    dvk_model=dvk_model,
                    by=request.user,
                    data=form.content_data(),
                    version=form.cleaned_data.get("version") or 0,
                )
                if submit:
                    services.dvk_model_submit(dvk_model=dvk_model, by=request.user)
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if submit:
                messages.success(request, _("The model has been submitted to the secretariat."))
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(dvk_model)
    return render(
        request,
        "models_registry/dvkmodel_form.html",
        {"form": form, "campaign": dvk_model.campaign, "dvk_model": dvk_model},
    )


def model_detail(request, pk):
    dvk_model = _model_or_404(request, pk)
    user = request.user
    context = {
        "dvk_model": dvk_model,
        "lineage": selectors.dvk_model_lineage(dvk_model=dvk_model),
        "timeline": dvk_model.status_changes.all(),
        "registration_files": [
            a for a in dvk_model.attachments.all() if a.purpose == AttachmentPurpose.REGISTRATION
        ],
        "result_files": [
            a for a in dvk_model.attachments.all() if a.purpose == AttachmentPurpose.RESULT
        ],
        "result_report": getattr(dvk_model, "result_report", None),
        "can_edit": user.has_perm("models_registry.change_dvkmodel", dvk_model),
        "can_submit": user.has_perm("models_registry.submit_dvkmodel", dvk_model),
        "can_withdraw": user.has_perm("models_registry.withdraw_dvkmodel", dvk_model),
        "can_review": user.has_perm("models_registry.review_dvkmodel", dvk_model),
        "can_report": user.has_perm("models_registry.report_dvkmodel", dvk_model),
        "missing": services.dvk_model_missing_items(dvk_model) if dvk_model.is_editable else {},
    }
    if context["can_edit"] or context["can_submit"]:
        context["deadline"] = services.submission_deadline(dvk_model=dvk_model)
        context["attachment_form"] = AttachmentForm()
    if context["can_review"]:
        context["return_form"] = ReturnForm()
    if user.has_perm("models_registry.view_history"):
        context["history"] = selectors.dvk_model_history(dvk_model=dvk_model)
    return render(request, "models_registry/dvkmodel_detail.html", context)


def _transition(request, pk, perm, service, success, **kwargs):
    try:
        dvk_model = _model_or_404(request, pk, perm)
    except PermissionError:
        return _forbidden_action(request, get_object_or_404(DvkModel, pk=pk))
    try:
        service(dvk_model=dvk_model, by=request.user, **kwargs)
    except services.DomainError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for field_errors in getattr(error, "message_dict", {"": error.messages}).values():
            for message in field_errors:
                messages.error(request, message)
        if hasattr(error, "error_dict"):
            return redirect("models_registry:model_update", pk=pk)
    else:
        messages.success(request, success)
    return redirect(dvk_model)


@require_POST
def model_submit(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.submit_dvkmodel",
        services.dvk_model_submit,
        _("The model has been submitted to the secretariat."),
    )


@require_POST
def model_withdraw(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.withdraw_dvkmodel",
        services.dvk_model_withdraw,
        _("The model has been withdrawn and is a draft again."),
    )


@require_POST
def model_accept(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.review_dvkmodel",
        services.dvk_model_accept,
        _("The registration has been accepted."),
    )


def model_return(request, pk):
    try:
        dvk_model = _model_or_404(request, pk, "models_registry.review_dvkmodel")
    except PermissionError:
        return _forbidden_action(request, get_object_or_404(DvkModel, pk=pk))
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dvk_model_return(
                dvk_model=dvk_model,
                by=request.user,
                reason=form.cleaned_data["reason"],
                resubmit_by=form.cleaned_data["resubmit_by"],
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The registration has been returned to the unit."))
            return redirect(dvk_model)
    return render(
        request, "models_registry/dvkmodel_return.html", {"dvk_model": dvk_model, "form": form}
    )


def carry_over(request):
    _require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    if campaign is None:
        messages.error(request, _("There is no open campaign for your unit."))
        return redirect("models_registry:my_models")
    candidates = selectors.carry_over_candidates(user=request.user, campaign=campaign)
    if request.method == "POST":
        source_id = request.POST.get("source", "")
        if not source_id.isdigit():
            raise Http404
        source = get_object_or_404(candidates, pk=int(source_id))
        try:
            new_model = services.dvk_model_carry_over(
                source=source, campaign=campaign, by=request.user
            )
        except services.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "A new draft continuing this model has been created. "
                    "Update its targets and dates for this year."
                ),
            )
            return redirect("models_registry:model_update", pk=new_model.pk)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/dvkmodel_carry_over.html",
        {"campaign": campaign, "page_obj": page},
    )


def replication_search(request):
    """htmx: accepted models of other units matching the typed words."""
    _require_registering_unit(request.user)
    results = selectors.replication_candidates(
        user=request.user, query=request.GET.get("q", "")[:100], exclude_unit=request.user.unit
    )
    return render(
        request, "models_registry/includes/replication_results.html", {"results": results}
    )


# --- Evidence -----------------------------------------------------------------------------


@require_POST
def attachment_upload(request, pk):
    dvk_model = _model_or_404(request, pk)
    purpose = request.POST.get("purpose", AttachmentPurpose.REGISTRATION)
    perm = (
        "models_registry.report_dvkmodel"
        if purpose == AttachmentPurpose.RESULT
        else "models_registry.change_dvkmodel"
    )
    if not request.user.has_perm(perm, dvk_model):
        return _forbidden_action(request, dvk_model)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                dvk_model=dvk_model,
                uploaded_file=form.cleaned_data["file"],
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                description=form.cleaned_data["description"],
            )
        except services.DomainError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, _("File not added: %(reason)s") % {"reason": message})
        else:
            messages.success(request, _("The file has been added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, _("File not added: %(reason)s") % {"reason": message})
    if purpose == AttachmentPurpose.RESULT:
        return redirect("models_registry:result_report", pk=dvk_model.pk)
    return redirect(dvk_model)


def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("dvk_model__unit", "dvk_model__campaign"), pk=pk
    )
    _require(request.user, "models_registry.view_dvkmodel", attachment.dvk_model)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("dvk_model"), pk=pk)
    dvk_model = attachment.dvk_model
    _require(request.user, "models_registry.view_dvkmodel", dvk_model)
    perm = (
        "models_registry.report_dvkmodel"
        if attachment.purpose == AttachmentPurpose.RESULT
        else "models_registry.change_dvkmodel"
    )
    if not request.user.has_perm(perm, dvk_model):
        return _forbidden_action(request, dvk_model)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file has been removed."))
    if attachment.purpose == AttachmentPurpose.RESULT:
        return redirect("models_registry:result_report", pk=dvk_model.pk)
    return redirect(dvk_model)


# --- Result report ------------------------------------------------------------------------


def result_report(request, pk):
    try:
        dvk_model = _model_or_404(request, pk, "models_registry.report_dvkmodel")
    except PermissionError:
        return _forbidden_action(
            request,
            get_object_or_404(DvkModel, pk=pk),
            _("A result report can be filed only for an accepted model."),
        )
    report = getattr(dvk_model, "result_report", None)
    indicators = list(dvk_model.campaign.indicators.all())
    form = ResultReportForm(request.POST or None, instance=report, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.result_report_save(
                dvk_model=dvk_model,
                by=request.user,
                data={name: form.cleaned_data.get(name) for name in services.RESULT_FIELDS},
                version=form.cleaned_data.get("version"),
                submit=submit,
                indicator_values=form.indicator_values(),
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if submit:
                messages.success(request, _("The result report has been submitted."))
                return redirect(dvk_model)
            messages.success(request, _("The result report has been saved as a draft."))
            return redirect("models_registry:result_report", pk=dvk_model.pk)
    return render(
        request,
        "models_registry/resultreport_form.html",
        {
            "dvk_model": dvk_model,
            "form": form,
            "report": report,
            "attachment_form": AttachmentForm(initial={"purpose": AttachmentPurpose.RESULT}),
            "result_files": [
                a for a in dvk_model.attachments.all() if a.purpose == AttachmentPurpose.RESULT
            ],
        },
    )


# --- Secretariat: intake and coverage -----------------------------------------------------


def intake(request):
    _require(request.user, "models_registry.intake")
    filterset = IntakeFilter(
        request.GET or None, queryset=selectors.intake_queryset(user=request.user)
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/intake_list.html",
        {"filter": filterset, "page_obj": page, "status_submitted": ModelStatus.SUBMITTED},
    )


def coverage(request, pk):
    campaign = _campaign_or_404(request, pk)
    _require(request.user, "models_registry.intake")
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in selectors.REGISTERING_KINDS else None
    missing = selectors.units_without_models(user=request.user, campaign=campaign, kinds=kinds)
    if request.GET.get("format") == "xlsx":
        filename, content_type, body = coverage_xlsx(campaign=campaign, units=missing)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    page = Paginator(missing, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/coverage.html",
        {
            "campaign": campaign,
            "summary": selectors.coverage_by_kind(user=request.user, campaign=campaign),
            "page_obj": page,
            "kind": kind,
            "kinds": [(k, k.label) for k in selectors.REGISTERING_KINDS],
        },
    )
