"""Evidence files: upload (one or several), permission-checked download and preview, removal."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from danvan.web import object_or_404, refusals, require

from .. import services
from ..enums import AttachmentPurpose
from ..files import PREVIEW_CONTENT_TYPES
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


def _wants_json(request) -> bool:
    # uploads.js sends each file on its own and asks for JSON; a plain form (no
    # JavaScript) gets a page, as before.
    return "application/json" in request.headers.get("Accept", "")


def _add_each(request, dvk_model) -> tuple[list[str], list[tuple[str, AttachmentForm]]]:
    """Add every chosen file on its own: a refused file changes nothing and does not stop
    the others. Returns the names added and, per refused file, its name and bound form."""
    added, refused = [], []
    for uploaded in request.FILES.getlist("file") or [None]:
        form = AttachmentForm(request.POST, {"file": uploaded} if uploaded else {})
        name = uploaded.name if uploaded else ""
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
                added.append(name)
                continue
        refused.append((name, form))
    return added, refused


def _shown_form(refused, several: bool) -> AttachmentForm:
    """The form shown again in the upload box: a single file's own form, or — after several
    files — one form whose errors name the file each belongs to."""
    form = refused[0][1]
    if not several:
        return form
    errors = [(field, name, list(f.errors[field])) for name, f in refused for field in f.errors]
    form.errors.clear()
    for field, name, field_messages in errors:
        form.add_error(
            None if field == "__all__" else field,
            [_("“%(name)s”: %(reason)s") % {"name": name, "reason": m} for m in field_messages],
        )
    return form


def _list_html(request, dvk_model, purpose) -> str:
    """The refreshed list of one purpose's files, as the page that holds the box shows it."""
    user = request.user
    return render_to_string(
        "models_registry/includes/attachment_list.html",
        {
            "files": dvk_model.attachments.filter(purpose=purpose),
            "can_delete": user.has_perm(_perm_for(purpose), dvk_model),
            "can_publish": purpose == AttachmentPurpose.REGISTRATION
            and user.has_perm("models_registry.publish_attachment", dvk_model),
        },
        request=request,
    )


def _json_answer(request, dvk_model, purpose, added, refused) -> JsonResponse:
    answer = {
        "ok": not refused,
        "added": added,
        "errors": [str(m) for _n, form in refused for ms in form.errors.values() for m in ms],
    }
    if added:
        answer["list"] = _list_html(request, dvk_model, purpose)
    return JsonResponse(answer, status=200 if not refused else 400)


@require_POST
def attachment_upload(request, pk):
    """Add the chosen files (``file`` may be sent several times), each checked and stored
    on its own. A plain form gets the page: redirected when every file was added, rendered
    again otherwise with each refused file's error next to the file box (named when several
    were sent) and the typed description. uploads.js asks for JSON (one file a request):
    ``{ok, added, errors, list}``, ``list`` being the refreshed file list."""
    dvk_model = model_or_404(request, pk)
    purpose = request.POST.get("purpose", AttachmentPurpose.REGISTRATION)
    wants_json = _wants_json(request)
    if not request.user.has_perm(_perm_for(purpose), dvk_model):
        if wants_json:
            refused = _("This action is not possible for this model now.")
            return JsonResponse({"ok": False, "added": [], "errors": [refused]}, status=403)
        return action_refused(request, dvk_model)
    added, refused = _add_each(request, dvk_model)
    if wants_json:
        return _json_answer(request, dvk_model, purpose, added, refused)
    if len(added) == 1 and not refused:
        messages.success(request, _("The file has been added."))
    elif added:
        messages.success(
            request,
            ngettext(
                "%(count)s file has been added.", "%(count)s files have been added.", len(added)
            )
            % {"count": len(added)},
        )
    if not refused:
        return _back_to(dvk_model, purpose)
    form = _shown_form(refused, several=len(added) + len(refused) > 1)
    if purpose == AttachmentPurpose.RESULT:
        return result_report_page(request, dvk_model, attachment_form=form)
    return render(
        request,
        "models_registry/dvkmodel_detail.html",
        model_detail_context(request, dvk_model, attachment_form=form),
    )


def _readable(request, pk) -> Attachment:
    """The file, or 404 unless the user may read its model (as the model's page)."""
    attachment = object_or_404(
        Attachment.objects.select_related("dvk_model__unit", "dvk_model__campaign").get, pk=pk
    )
    require(request.user, "models_registry.view_dvkmodel", attachment.dvk_model)
    return attachment


def _serve(attachment: Attachment, *, inline: bool) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_download(request, pk):
    return _serve(_readable(request, pk), inline=False)


@require_safe
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def attachment_preview(request, pk):
    """A PDF or a photo shown in the page (``Content-Disposition: inline``; framed by this
    site's preview only): the same readers as the download; 404 for any other type. Not
    cached: evidence may show people (danvan.middleware.SecurityHeadersMiddleware)."""
    attachment = _readable(request, pk)
    if attachment.content_type not in PREVIEW_CONTENT_TYPES:
        raise Http404
    return _serve(attachment, inline=True)


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
