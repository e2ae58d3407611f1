"""The unit's result report of an accepted model."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.web import refusals

from .. import services
from ..enums import AttachmentPurpose
from ..forms import AttachmentForm, ResultReportForm
from .common import action_refused, model_or_404


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
        },
    )


def result_report(request, pk):
    dvk_model = model_or_404(request, pk)
    if not request.user.has_perm("models_registry.report_dvkmodel", dvk_model):
        return action_refused(
            request, dvk_model, _("A result report can be filed only for an accepted model.")
        )
    form = _report_form(request, dvk_model, request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        with refusals(form) as outcome:
            services.result_report_save(
                dvk_model=dvk_model,
                by=request.user,
                data={name: form.cleaned_data.get(name) for name in services.RESULT_FIELDS},
                version=form.cleaned_data.get("version"),
                submit=submit,
                indicator_values=form.indicator_values(),
            )
        if outcome.ok:
            if submit:
                messages.success(request, _("The result report has been submitted."))
                return redirect(dvk_model)
            messages.success(request, _("The result report has been saved as a draft."))
            return redirect("models_registry:result_report", pk=dvk_model.pk)
    return result_report_page(request, dvk_model, form=form)
