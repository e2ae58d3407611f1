"""Evidence files: upload, permission-checked download, removal."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import object_or_404, refusals, require

from .. import services
from ..enums import AttachmentPurpose
from ..forms import AttachmentForm
from ..models import Attachment
from .common import action_refused, model_or_404
from .models import model_detail_context
from .reports import result_report_page


def _perm_for(purpose) -> str:
    if purpose == AttachmentPurpose.RESULT:
        return "models_registry.report_dvkmodel"
    return "models_registry.change_dvkmodel"


def _back_to(dvk_model, purpose):
    if purpose == AttachmentPurpose.RESULT:
        return redirect("models_registry:result_report", pk=dvk_model.pk)
    return redirect(dvk_model)


@require_POST
def attachment_upload(request, pk):
    """Add a file; a refused file is shown again in the upload box with its error and the
    typed description (the page is rendered, not redirected)."""
    dvk_model = model_or_404(request, pk)
    purpose = request.POST.get("purpose", AttachmentPurpose.REGISTRATION)
    if not request.user.has_perm(_perm_for(purpose), dvk_model):
        return action_refused(request, dvk_model)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusals(form) as outcome:
            services.attachment_add(
                dvk_model=dvk_model,
                uploaded_file=form.cleaned_data["file"],
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                description=form.cleaned_data["description"],
                public=form.cleaned_data["public"],
            )
        if outcome.ok:
            messages.success(request, _("The file has been added."))
            return _back_to(dvk_model, purpose)
    if purpose == AttachmentPurpose.RESULT:
        return result_report_page(request, dvk_model, attachment_form=form)
    return render(
        request,
        "models_registry/dvkmodel_detail.html",
        model_detail_context(request, dvk_model, attachment_form=form),
    )


def attachment_download(request, pk):
    attachment = object_or_404(
        Attachment.objects.select_related("dvk_model__unit", "dvk_model__campaign").get, pk=pk
    )
    require(request.user, "models_registry.view_dvkmodel", attachment.dvk_model)
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
    attachment = object_or_404(Attachment.objects.select_related("dvk_model__unit").get, pk=pk)
    dvk_model = attachment.dvk_model
    require(request.user, "models_registry.view_dvkmodel", dvk_model)
    if not request.user.has_perm(_perm_for(attachment.purpose), dvk_model):
        return action_refused(request, dvk_model)
    with refusals(request) as outcome:
        services.attachment_delete(attachment=attachment, by=request.user)
    if outcome.ok:
        messages.success(request, _("The file has been removed."))
    return _back_to(dvk_model, attachment.purpose)


@require_POST
def attachment_public(request, pk):
    """Show (``public=1``) or hide (``public=0``) a photo in the library of exemplary
    models; the model's unit decides, in every status."""
    attachment = object_or_404(Attachment.objects.select_related("dvk_model__unit").get, pk=pk)
    dvk_model = attachment.dvk_model
    require(request.user, "models_registry.view_dvkmodel", dvk_model)
    if not request.user.has_perm("models_registry.publish_attachment", dvk_model):
        return action_refused(request, dvk_model)
    public = request.POST.get("public") == "1"
    with refusals(request) as outcome:
        services.attachment_set_public(attachment=attachment, public=public, by=request.user)
    if outcome.ok:
        if public:
            messages.success(request, _("The photo is shown in the library."))
        else:
            messages.success(request, _("The photo is no longer shown in the library."))
    return _back_to(dvk_model, attachment.purpose)
