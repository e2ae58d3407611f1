"""The unit's registrations: its list, the registration form, the model page and the
replication search."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.dates import days_left, today
from danvan.extensions import MODEL_FORM, MODEL_PAGE, detail_sections_for
from danvan.web import refusals

from .. import privacy, selectors, services
from ..enums import AttachmentPurpose, ModelStatus
from ..forms import AttachmentForm, DvkModelForm, ReturnForm
from .common import (
    PAGE_SIZE,
    UNIT_SIDE,
    action_refused,
    model_or_404,
    require_registering_unit,
    require_side,
)
from .intake import model_page_context


def my_models(request):
    """The unit officer's list of their unit's models in the current campaign."""
    require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    models_page = None
    deadline = None
    if campaign is not None:
        qs = selectors.dvk_models_of_unit(user=request.user, campaign=campaign)
        models_page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        deadline = services.registration_deadline(campaign=campaign, unit=request.user.unit)
        for dvk_model in models_page:
            # The one deadline that applies to a returned model (never earlier than the
            # unit's own); see services.submission_deadline.
            dvk_model.deadline = max(filter(None, [deadline, dvk_model.resubmit_deadline]))
    return render(
        request,
        "models_registry/dvkmodel_mine.html",
        {
            "campaign": campaign,
            "page_obj": models_page,
            "deadline": deadline,
            "days_left": days_left(deadline),
            "today": today(),
        },
    )


def registration_form(request, *, instance=None, initial=None):
    """The registration form, bound to the POST if any (the form page and its autosave)."""
    return DvkModelForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        fields_queryset=selectors.fields_for_registration(),
        replicates_queryset=selectors.replication_choices(
            user=request.user, exclude_unit=request.user.unit
        ),
    )


def _preselected_replication(request):
    """The model named by ``?replicates=<pk>`` (a library entry's "replicate this" link)
    when the user may choose it (``selectors.replication_choices``); None otherwise,
    silently: a stale or crafted link simply pre-selects nothing."""
    pk = request.GET.get("replicates", "")
    if request.method != "GET" or not pk.isascii() or not pk.isdigit():
        return None
    return (
        selectors.replication_choices(user=request.user, exclude_unit=request.user.unit)
        .select_related("unit", "campaign")
        .filter(pk=int(pk))
        .first()
    )


def _form_page(request, form, campaign, dvk_model=None, preselected=None):
    context = {
        "form": form,
        "campaign": campaign,
        "dvk_model": dvk_model,
        "preselected": preselected,
        "form_sections": detail_sections_for(MODEL_FORM, request, dvk_model),
        "autosave_url": reverse("models_registry:model_autosave_new"),
    }
    if dvk_model is not None:
        context["deadline"] = services.submission_deadline(dvk_model=dvk_model)
        context["autosave_url"] = reverse("models_registry:model_autosave", args=[dvk_model.pk])
        context["can_delete"] = _may_delete(request.user, dvk_model)
    return render(request, "models_registry/dvkmodel_form.html", context)


def model_create(request):
    require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    if campaign is None:
        messages.error(request, _("There is no open campaign for your unit."))
        return redirect("models_registry:my_models")
    preselected = _preselected_replication(request)
    form = registration_form(
        request, initial={"replicates": preselected.pk} if preselected else None
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            dvk_model = services.dvk_model_create(
                campaign=campaign, unit=request.user.unit, by=request.user, data=form.content_data()
            )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "The draft has been saved. You can keep editing it, "
                    "add evidence files, and submit it when it is complete."
                ),
            )
            return redirect(dvk_model)
    return _form_page(request, form, campaign, preselected=preselected)


def model_update(request, pk):
    dvk_model = model_or_404(request, pk)
    require_side(request.user, UNIT_SIDE, dvk_model)
    if not request.user.has_perm("models_registry.change_dvkmodel", dvk_model):
        return action_refused(request, dvk_model, _("This model can no longer be edited."))
    form = registration_form(request, instance=dvk_model)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        with refusals(form) as outcome:
            services.dvk_model_save(
                dvk_model=dvk_model,
                by=request.user,
                data=form.content_data(),
                version=form.cleaned_data.get("version") or 0,
                submit=submit,
                coalesce=services.AUTOSAVE_LOG_WINDOW,
            )
        if outcome.ok:
            if submit:
                messages.success(request, _("The model has been submitted to the secretariat."))
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(dvk_model)
    return _form_page(request, form, dvk_model.campaign, dvk_model)


def _may_delete(user, dvk_model) -> bool:
    return dvk_model.status == ModelStatus.DRAFT and user.has_perm(
        "models_registry.delete_dvkmodel", dvk_model
    )


def model_detail_context(request, dvk_model, *, attachment_form=None) -> dict:
    """The model page; ``attachment_form`` is a refused upload to show in the upload box."""
    user = request.user
    files = list(dvk_model.attachments.all())
    # The lineage, the replications and the links to the predecessor and the replicated
    # model come from one read (``selectors.linked._relatives``).
    readable = selectors.dvk_model_readable_relatives(dvk_model=dvk_model, viewer=user)
    selectors.attach_linked_models(dvk_model=dvk_model, viewer=user)
    context = {
        "dvk_model": dvk_model,
        "lineage": selectors.dvk_model_lineage(dvk_model=dvk_model, viewer=user),
        "can_view_predecessor": dvk_model.predecessor_id in readable,
        "can_view_replicated": dvk_model.replicates_id in readable,
        "timeline": selectors.dvk_model_timeline(dvk_model=dvk_model),
        "replications": selectors.replications_of(dvk_model, viewer=user),
        "registration_files": [a for a in files if a.purpose == AttachmentPurpose.REGISTRATION],
        "result_files": [a for a in files if a.purpose == AttachmentPurpose.RESULT],
        "result_report": getattr(dvk_model, "result_report", None),
        "can_edit": user.has_perm("models_registry.change_dvkmodel", dvk_model),
        "can_submit": user.has_perm("models_registry.submit_dvkmodel", dvk_model),
        "can_withdraw": user.has_perm("models_registry.withdraw_dvkmodel", dvk_model),
        "can_review": user.has_perm("models_registry.review_dvkmodel", dvk_model),
        "can_report": user.has_perm("models_registry.report_dvkmodel", dvk_model),
        "can_publish_photos": user.has_perm("models_registry.publish_attachment", dvk_model),
        "can_delete": _may_delete(user, dvk_model),
        "personal_details": privacy.sees_personal_details(user, dvk_model),
        "missing": services.dvk_model_missing_items(dvk_model) if dvk_model.is_editable else {},
        "sections": detail_sections_for(MODEL_PAGE, request, dvk_model),
    }
    if context["can_edit"] or context["can_submit"]:
        context["deadline"] = services.submission_deadline(dvk_model=dvk_model)
        context["attachment_form"] = attachment_form or AttachmentForm()
    if context["can_review"]:
        context["return_form"] = ReturnForm()
    if user.has_perm("models_registry.view_history"):
        context["history"] = selectors.dvk_model_history(dvk_model=dvk_model)
    context.update(model_page_context(request, dvk_model))  # intake: previous/next, changes
    return context


def model_detail(request, pk):
    dvk_model = model_or_404(request, pk, links=False)
    return render(
        request, "models_registry/dvkmodel_detail.html", model_detail_context(request, dvk_model)
    )


def replication_search(request):
    """htmx: accepted models of other units matching the typed words."""
    require_registering_unit(request.user)
    results = selectors.replication_candidates(
        user=request.user, query=request.GET.get("q", ""), exclude_unit=request.user.unit
    )
    return render(
        request, "models_registry/includes/replication_results.html", {"results": results}
    )
