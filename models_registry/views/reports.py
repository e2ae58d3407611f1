"""The unit's result report of an accepted model."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import refusals

from .. import services
from ..enums import AttachmentPurpose
from ..forms import AttachmentForm, ResultReportForm
from .common import UNIT_SIDE, action_refused, model_or_404, require_side
from .drafts import autosave_response


def _report_form(request, dvk_model, data=None):
    return ResultReportForm(
        data,
        instance=getattr(dvk_model, "result_report", None),
        indicators=list(dvk_model.campaign.indicators.all()),
    )


def result_report_page(request, dvk_model, *, form=None, attachment_form=None):
    """The report page; ``attachment_form`` is a refused result-evidence upload."""
    return render(
        request,
        "models_registry/resultreport_form.html",
        {
            "dvk_model": dvk_model,
            "form": form or _report_form(request, dvk_model),
            "report": getattr(dvk_model, "result_report", None),
            "attachment_form": attachment_form
            or AttachmentForm(initial={"purpose": AttachmentPurpose.RESULT}),
            "result_files": [
                a for a in dvk_model.attachments.all() if a.purpose == AttachmentPurpose.RESULT
            ],
            "autosave_url": reverse("models_registry:result_report_autosave", args=[dvk_model.pk]),
        },
    )


def _save(form, request, dvk_model, *, submit: bool):
    """Run the one service of the report's form; returns the report, or None when refused
    (the messages are on ``form``)."""
    with refusals(form) as outcome:
        report = services.result_report_save(
            dvk_model=dvk_model,
            by=request.user,
            data={name: form.cleaned_data.get(name) for name in services.RESULT_FIELDS},
            version=form.cleaned_data.get("version"),
            submit=submit,
            indicator_values=form.indicator_values(),
        )
    return report if outcome.ok else None


@require_POST
def result_report_autosave(request, pk):
    """htmx: save the result report as a draft while the unit types (never submits it);
    the status line answers (``views.drafts.autosave_response``)."""
    dvk_model = model_or_404(request, pk)
    require_side(request.user, UNIT_SIDE, dvk_model)
    form = _report_form(request, dvk_model, request.POST)
    if not request.user.has_perm("models_registry.report_dvkmodel", dvk_model):
        form.is_valid()
        form.add_error(None, _("A result report can be filed only for an accepted model."))
        return autosave_response(request, form=form)
    if not form.is_valid():
        return autosave_response(request, form=form)
    report = _save(form, request, dvk_model, submit=False)
    return autosave_response(request, form=form, saved=report)


def result_report(request, pk):
    dvk_model = model_or_404(request, pk)
    require_side(request.user, UNIT_SIDE, dvk_model)
    if not request.user.has_perm("models_registry.report_dvkmodel", dvk_model):
        return action_refused(
            request, dvk_model, _("A result report can be filed only for an accepted model.")
        )
    form = _report_form(request, dvk_model, request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        if _save(form, request, dvk_model, submit=submit) is not None:
            if submit:
                messages.success(request, _("The result report has been submitted."))
                return redirect(dvk_model)
            messages.success(request, _("The result report has been saved as a draft."))
            return redirect("models_registry:result_report", pk=dvk_model.pk)
    return result_report_page(request, dvk_model, form=form)
