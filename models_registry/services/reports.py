"""The result report of an accepted model, with the campaign's indicator figures."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.concurrency import claim_version
from danvan.dates import format_date, today
from danvan.models import User

from ..enums import ModelStatus, ReportStatus
from ..models import DvkModel, Indicator, IndicatorValue, ResultReport
from .common import RESULT_FIELDS, RegistrationError, lock_dvk_model

# What a result report must hold before it is submitted (a draft may be incomplete).
REPORT_REQUIRED_ON_SUBMIT = ["results", "self_assessment"]


def ensure_result_report_editable(dvk_model: DvkModel) -> None:
    """Raise ``RegistrationError`` unless the model's result report may still change."""
    if dvk_model.status != ModelStatus.ACCEPTED:
        raise RegistrationError(_("A result report can be filed only for an accepted model."))
    report = getattr(dvk_model, "result_report", None)
    if report is not None and report.status == ReportStatus.SUBMITTED:
        raise RegistrationError(_("The result report has already been submitted."))
    due = dvk_model.campaign.result_report_due
    if today() > due:
        raise RegistrationError(
            _("Result reports were due on %(date)s.") % {"date": format_date(due)}
        )


@transaction.atomic
def result_report_save(
    *,
    dvk_model: DvkModel,
    by: User,
    data: dict,
    version: int | None,
    submit: bool = False,
    indicator_values: dict[int, Decimal | None] | None = None,
) -> ResultReport:
    """Create or update the result report of an accepted model; ``submit`` locks it and
    logs ``submit_result_report`` on the model.

    ``indicator_values`` maps the campaign's indicator ids to figures (None clears one);
    ids of other campaigns' indicators are ignored.
    """
    dvk_model = lock_dvk_model(dvk_model)
    ensure_result_report_editable(dvk_model)
    report = ResultReport.objects.filter(dvk_model=dvk_model).first()
    if report is None:
        report = ResultReport(dvk_model=dvk_model)
    else:
        claim_version(ResultReport, report.pk, version or 0)
        report.version = (version or 0) + 1
    for name in RESULT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if submit:
        errors = {
            name: [_("This item is required before submitting.")]
            for name in REPORT_REQUIRED_ON_SUBMIT
            if not (getattr(report, name) or "").strip()
        }
        if errors:
            raise RegistrationError(errors=errors)
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
    report.full_clean(exclude=["dvk_model"])
    report.save()
    if indicator_values:
        _save_indicator_values(report=report, values=indicator_values)
    if submit:
        log_action(
            dvk_model,
            "models_registry.dvkmodel.submit_result_report",
            actor=by,
            data={"report": report.pk},
            unit=dvk_model.unit,
        )
    return report


def _save_indicator_values(*, report: ResultReport, values: dict) -> None:
    known = set(
        Indicator.objects.filter(campaign_id=report.dvk_model.campaign_id).values_list(
            "pk", flat=True
        )
    )
    for indicator_id, value in values.items():
        if indicator_id not in known:
            continue
        if value is None:
            IndicatorValue.objects.filter(report=report, indicator_id=indicator_id).delete()
            continue
        if value < 0:
            raise RegistrationError(
                _("The figure cannot be negative."), field=f"indicator_{indicator_id}"
            )
        IndicatorValue.objects.update_or_create(
            report=report, indicator_id=indicator_id, defaults={"value": value}
        )
