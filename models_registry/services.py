"""Every write and workflow transition of the registration stage.

Transitions of a ``DvkModel`` (draft → submitted → accepted, submitted → returned →
submitted, submitted → draft on withdrawal) happen only here; each one locks the row,
checks the source state, writes with ``update_fields`` and records a ``StatusChange``.
Refusals raise ``RegistrationError`` (a message for the user, shown as is) or Django's
``ValidationError`` keyed by form field.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.concurrency import claim_version
from danvan.errors import DomainError, StaleEditError  # noqa: F401 -- part of the API
from danvan.models import Unit, User
from danvan.selectors import unit_ancestor_ids

from .enums import AttachmentPurpose, ModelKind, ModelStatus, ReportStatus
from .files import check_uploaded_file
from .models import (
    Attachment,
    Campaign,
    DeadlineExtension,
    DvkModel,
    Field,
    Indicator,
    IndicatorValue,
    ResultReport,
    StatusChange,
)

# The fields the unit fills in on the registration form.
CONTENT_FIELDS = [
    "kind",
    "field",
    "name",
    "situation",
    "goals",
    "content",
    "area",
    "forces",
    "resources",
    "timeline",
    "outputs",
    "sustainability",
    "person_name",
    "person_position",
    "person_birth_year",
    "lead_name",
    "lead_phone",
    "lead_email",
    "planned_start",
    "planned_end",
    "replicates",
]
# What must be filled before submitting (a draft may be incomplete).
REQUIRED_ON_SUBMIT = [
    "field",
    "name",
    "situation",
    "goals",
    "content",
    "area",
    "forces",
    "resources",
    "timeline",
    "outputs",
    "sustainability",
    "lead_name",
    "lead_phone",
    "planned_start",
    "planned_end",
]
REQUIRED_FOR_INDIVIDUAL = ["person_name", "person_position", "person_birth_year"]
RESULT_FIELDS = [
    "results",
    "people_reached",
    "households",
    "money_mobilised",
    "workdays",
    "land_cleared_m2",
    "participants",
    "self_assessment",
]
RETURN_GRACE_DAYS = 7


class RegistrationError(DomainError):
    """A refused registration action; ``str(error)`` is the message to show the user."""


def _today() -> datetime.date:
    return timezone.localdate()


# --- Deadlines ----------------------------------------------------------------------------


def registration_deadline(*, campaign: Campaign, unit: Unit) -> datetime.date:
    """The last day ``unit`` may register: the campaign's, or a later extension granted
    to the unit or to any unit above it."""
    ancestors = unit_ancestor_ids(unit=unit)
    extended = (
        DeadlineExtension.objects.filter(campaign=campaign, unit_id__in=ancestors)
        .order_by("-registration_closes")
        .values_list("registration_closes", flat=True)
        .first()
    )
    return max(filter(None, [campaign.registration_closes, extended]))


def submission_deadline(*, dvk_model: DvkModel) -> datetime.date:
    """The last day this model may be submitted: a model once returned keeps its own
    resubmission day (also after a withdrawal)."""
    deadline = registration_deadline(campaign=dvk_model.campaign, unit=dvk_model.unit)
    if dvk_model.resubmit_deadline:
        deadline = max(deadline, dvk_model.resubmit_deadline)
    return deadline


def _ensure_registration_open(*, campaign: Campaign, unit: Unit, deadline=None) -> None:
    today = _today()
    if today < campaign.registration_opens:
        raise RegistrationError(
            _("Registration for this campaign opens on %(date)s.")
            % {"date": campaign.registration_opens.strftime("%d/%m/%Y")}
        )
    deadline = deadline or registration_deadline(campaign=campaign, unit=unit)
    if today > deadline:
        raise RegistrationError(
            _("Registration closed on %(date)s.") % {"date": deadline.strftime("%d/%m/%Y")}
        )


# --- Campaigns ----------------------------------------------------------------------------


@transaction.atomic
def campaign_save(*, campaign: Campaign, focus_fields=None) -> Campaign:
    """Validate and save a new or edited campaign with its focus fields."""
    campaign.full_clean()
    campaign.save()
    if focus_fields is not None:
        campaign.focus_fields.set(focus_fields)
    return campaign


@transaction.atomic
def campaign_extend_deadline(
    *, campaign: Campaign, unit: Unit, until: datetime.date, reason: str, by: User
) -> DeadlineExtension:
    """Grant ``unit`` (and its subtree) registration until ``until``; replaces an earlier grant."""
    if until <= campaign.registration_closes:
        raise ValidationError(
            {
                "registration_closes": _(
                    "The new deadline must be after the campaign's (%(date)s)."
                )
                % {"date": campaign.registration_closes.strftime("%d/%m/%Y")}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    extension, _created = DeadlineExtension.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"registration_closes": until, "reason": reason.strip(), "granted_by": by},
    )
    return extension


# --- Fields -------------------------------------------------------------------------------


@transaction.atomic
def field_save(*, field: Field) -> Field:
    """Validate and save a field (lĩnh vực) or topic (chủ đề): two levels at most."""
    errors = {}
    if field.parent_id is not None:
        if field.parent.parent_id is not None:
            errors["parent"] = _("A topic belongs to a top-level field, not to another topic.")
        elif field.pk and field.parent_id == field.pk:
            errors["parent"] = _("A field cannot be its own parent.")
        elif field.pk and Field.objects.filter(parent_id=field.pk).exists():
            errors["parent"] = _("This field has topics of its own, so it must stay top-level.")
    if errors:
        raise ValidationError(errors)
    field.full_clean()
    field.save()
    return field


# --- Models: content ----------------------------------------------------------------------


def _validate_content(dvk_model: DvkModel) -> None:
    errors = {}
    if (
        dvk_model.planned_start
        and dvk_model.planned_end
        and dvk_model.planned_end < dvk_model.planned_start
    ):
        errors["planned_end"] = _("The end date cannot be before the start date.")
    year = dvk_model.person_birth_year
    if year is not None and year > _today().year:
        errors["person_birth_year"] = _("The year of birth cannot be in the future.")
    elif year is not None and year < 1900:
        errors["person_birth_year"] = _("Please enter a year of birth after 1900.")
    if dvk_model.replicates_id and dvk_model.replicates.unit_id == dvk_model.unit_id:
        errors["replicates"] = _("A model replicates another unit's model, not one of its own.")
    if errors:
        raise ValidationError(errors)


def _record(dvk_model, *, from_status, by, reason="", note=""):
    StatusChange.objects.create(
        dvk_model=dvk_model,
        from_status=from_status,
        to_status=dvk_model.status,
        by=by,
        reason=reason,
        note=note,
    )


@transaction.atomic
def dvk_model_create(*, campaign: Campaign, unit: Unit, by: User, data: dict) -> DvkModel:
    """Create a draft for ``unit`` while its registration is open."""
    _ensure_registration_open(campaign=campaign, unit=unit)
    dvk_model = DvkModel(campaign=campaign, unit=unit, created_by=by)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(dvk_model, name, data[name])
    _validate_content(dvk_model)
    dvk_model.save()
    _record(dvk_model, from_status="", by=by, note="created")
    return dvk_model


@transaction.atomic
def dvk_model_update(*, dvk_model: DvkModel, by: User, data: dict, version: int) -> DvkModel:
    """Save edits of a draft or returned model; refuses a form opened before another save."""
    if not dvk_model.is_editable:
        raise RegistrationError(_("Only a draft or a returned model can be edited."))
    claim_version(DvkModel, dvk_model.pk, version)
    changed = []
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(dvk_model, name, data[name])
            changed.append(name)
    _validate_content(dvk_model)
    dvk_model.version = version + 1
    dvk_model.save(update_fields=[*changed, "version"])
    return dvk_model


def _lock(dvk_model: DvkModel) -> DvkModel:
    """Re-read the row under a lock so that concurrent transitions serialise."""
    return (
        DvkModel.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "field", "replicates")
        .get(pk=dvk_model.pk)
    )


def dvk_model_missing_items(dvk_model: DvkModel) -> dict[str, str]:
    """Required items still empty, keyed by field name (empty when complete)."""
    required = list(REQUIRED_ON_SUBMIT)
    if dvk_model.kind == ModelKind.INDIVIDUAL_EXEMPLAR:
        required += REQUIRED_FOR_INDIVIDUAL
    missing = {}
    for name in required:
        value = getattr(dvk_model, f"{name}_id" if name == "field" else name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            missing[name] = _("This item is required before submitting.")
    return missing


@transaction.atomic
def dvk_model_submit(*, dvk_model: DvkModel, by: User) -> DvkModel:
    """Submit a draft or returned model for acceptance.

    Idempotent for a model already submitted (a double-click submits once). Raises
    ``ValidationError`` listing missing items, or ``RegistrationError`` after the deadline
    or from another state.
    """
    locked = _lock(dvk_model)
    if locked.status == ModelStatus.SUBMITTED:
        return locked
    if not locked.is_editable:
        raise RegistrationError(_("This model has already been accepted."))
    missing = dvk_model_missing_items(locked)
    if missing:
        raise ValidationError(missing)
    _validate_content(locked)
    _ensure_registration_open(
        campaign=locked.campaign, unit=locked.unit, deadline=submission_deadline(dvk_model=locked)
    )
    source = locked.status
    locked.status = ModelStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "submitted_at", "version"])
    _record(locked, from_status=source, by=by)
    return locked


@transaction.atomic
def dvk_model_withdraw(*, dvk_model: DvkModel, by: User) -> DvkModel:
    """Take a submitted model back to draft before the secretariat decides.

    Refused after the model's submission deadline: it could never be submitted again.
    """
    locked = _lock(dvk_model)
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(
            _("Only a submitted model that is not yet accepted can be withdrawn.")
        )
    deadline = submission_deadline(dvk_model=locked)
    if _today() > deadline:
        raise RegistrationError(
            _(
                "The deadline (%(date)s) has passed: a withdrawn model could not be "
                "submitted again, so it stays with the secretariat."
            )
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    locked.status = ModelStatus.DRAFT
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "version"])
    _record(locked, from_status=ModelStatus.SUBMITTED, by=by)
    return locked


@transaction.atomic
def dvk_model_accept(*, dvk_model: DvkModel, by: User) -> DvkModel:
    """Accept a submitted registration."""
    locked = _lock(dvk_model)
    if locked.status == ModelStatus.ACCEPTED:
        return locked
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(_("Only a submitted model can be accepted."))
    locked.status = ModelStatus.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.return_reason = ""
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "accepted_at", "return_reason", "version"])
    _record(locked, from_status=ModelStatus.SUBMITTED, by=by)
    return locked


@transaction.atomic
def dvk_model_return(
    *, dvk_model: DvkModel, by: User, reason: str, resubmit_by: datetime.date | None = None
) -> DvkModel:
    """Return a submitted registration to its unit with a reason and a resubmission day.

    ``resubmit_by`` defaults to the later of the unit's deadline and a week from today.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please tell the unit why the model is returned.")})
    locked = _lock(dvk_model)
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(_("Only a submitted model can be returned."))
    today = _today()
    if resubmit_by is not None and resubmit_by < today:
        raise ValidationError({"resubmit_by": _("The resubmission day cannot be in the past.")})
    if resubmit_by is None:
        resubmit_by = max(
            registration_deadline(campaign=locked.campaign, unit=locked.unit),
            today + datetime.timedelta(days=RETURN_GRACE_DAYS),
        )
    locked.status = ModelStatus.RETURNED
    locked.return_reason = reason
    locked.resubmit_deadline = resubmit_by
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "return_reason", "resubmit_deadline", "version"])
    _record(locked, from_status=ModelStatus.SUBMITTED, by=by, reason=reason)
    return locked


@transaction.atomic
def dvk_model_carry_over(*, source: DvkModel, campaign: Campaign, by: User) -> DvkModel:
    """Start a draft in ``campaign`` that continues ``source`` ("duy trì").

    The new draft copies the registration content and links to ``source`` as its
    predecessor. Refused when ``source`` is not from an earlier campaign, was never
    accepted, or was already carried over into ``campaign``.
    """
    if source.campaign.year >= campaign.year:
        raise RegistrationError(_("Only a model of an earlier year can be carried over."))
    if source.status != ModelStatus.ACCEPTED:
        raise RegistrationError(_("Only an accepted model can be carried over."))
    if DvkModel.objects.filter(campaign=campaign, predecessor=source).exists():
        raise RegistrationError(_("This model has already been carried over into this campaign."))
    data = {name: getattr(source, name) for name in CONTENT_FIELDS}
    data["planned_start"] = data["planned_end"] = None
    dvk_model = dvk_model_create(campaign=campaign, unit=source.unit, by=by, data=data)
    dvk_model.predecessor = source
    dvk_model.save(update_fields=["predecessor"])
    return dvk_model


# --- Attachments --------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, dvk_model: DvkModel, uploaded_file, by: User, purpose: str, description: str = ""
) -> Attachment:
    """Store an evidence file after checking its real type and size.

    Registration evidence can be added while the model is editable; result evidence
    while the result report is not yet submitted. Raises ``ValidationError`` on the file.
    """
    if purpose == AttachmentPurpose.REGISTRATION and not dvk_model.is_editable:
        raise RegistrationError(
            _("Evidence can be added only while the model is a draft or returned.")
        )
    if purpose == AttachmentPurpose.RESULT:
        _ensure_result_report_editable(dvk_model)
    checked = check_uploaded_file(uploaded_file)
    attachment = Attachment(
        dvk_model=dvk_model,
        purpose=purpose,
        original_name=uploaded_file.name[:255],
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description[:300],
        uploaded_by=by,
    )
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    dvk_model = attachment.dvk_model
    if attachment.purpose == AttachmentPurpose.REGISTRATION and not dvk_model.is_editable:
        raise RegistrationError(
            _("Evidence can be removed only while the model is a draft or returned.")
        )
    if attachment.purpose == AttachmentPurpose.RESULT:
        _ensure_result_report_editable(dvk_model)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The same content may be shared by another row (same hash): keep the file then.
    if not Attachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


# --- Result reports -----------------------------------------------------------------------


def _ensure_result_report_editable(dvk_model: DvkModel) -> None:
    if dvk_model.status != ModelStatus.ACCEPTED:
        raise RegistrationError(_("A result report can be filed only for an accepted model."))
    report = getattr(dvk_model, "result_report", None)
    if report is not None and report.status == ReportStatus.SUBMITTED:
        raise RegistrationError(_("The result report has already been submitted."))
    due = dvk_model.campaign.result_report_due
    if _today() > due:
        raise RegistrationError(
            _("Result reports were due on %(date)s.") % {"date": due.strftime("%d/%m/%Y")}
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
    """Create or update the result report of an accepted model; ``submit`` locks it.

    ``indicator_values`` maps the campaign's indicator ids to figures (None clears one);
    ids of other campaigns' indicators are ignored.
    """
    dvk_model = _lock(dvk_model)
    _ensure_result_report_editable(dvk_model)
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
        errors = {}
        for name in ("results", "self_assessment"):
            if not (getattr(report, name) or "").strip():
                errors[name] = _("This item is required before submitting.")
        if errors:
            raise ValidationError(errors)
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
    report.full_clean(exclude=["dvk_model"])
    report.save()
    if indicator_values:
        _save_indicator_values(report=report, values=indicator_values)
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
            raise ValidationError(
                {f"indicator_{indicator_id}": _("The figure cannot be negative.")}
            )
        IndicatorValue.objects.update_or_create(
            report=report, indicator_id=indicator_id, defaults={"value": value}
        )


@transaction.atomic
def campaign_save_indicators(*, campaign: Campaign, rows: list[dict]) -> None:
    """Replace the campaign's indicators by ``rows`` (dicts with id?, name, unit_label,
    position, delete?). An indicator that reports already use cannot be deleted."""
    for row in rows:
        indicator_id = row.get("id")
        if row.get("delete"):
            if indicator_id:
                indicator = Indicator.objects.get(pk=indicator_id, campaign=campaign)
                if indicator.values.exists():
                    raise ValidationError(
                        _("“%(name)s” is already used by result reports and cannot be removed.")
                        % {"name": indicator.name}
                    )
                indicator.delete()
            continue
        if not (row.get("name") or "").strip():
            continue
        indicator = (
            Indicator.objects.get(pk=indicator_id, campaign=campaign)
            if indicator_id
            else Indicator(campaign=campaign)
        )
        indicator.name = row["name"].strip()
        indicator.unit_label = (row.get("unit_label") or "").strip()
        indicator.position = row.get("position") or 0
        indicator.full_clean()
        indicator.save()
