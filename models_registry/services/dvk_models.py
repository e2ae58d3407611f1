"""The registration workflow of a ``DvkModel``: create, edit, submit, withdraw, accept,
return and carry over ("duy trì").

Every transition locks the row, checks the source state, writes with ``update_fields``
and logs one ``ActivityLog`` row (``models_registry.dvkmodel.<verb>``, with the old and
new status and the reason). Refusals raise ``RegistrationError``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import activity_for, log_action
from danvan.concurrency import claim_version
from danvan.dates import format_date, today
from danvan.models import Unit, User

from ..enums import ModelKind, ModelStatus
from ..models import Campaign, DvkModel
from ..validators import normalise_phone, validate_birth_year, validate_planned_dates
from .common import (
    CONTENT_FIELDS,
    REQUIRED_FOR_INDIVIDUAL,
    REQUIRED_ON_SUBMIT,
    RETURN_GRACE_DAYS,
    RegistrationError,
    ensure_registration_open,
    lock_dvk_model,
    refuse_invalid,
    registration_deadline,
    submission_deadline,
)


def _normalise_phone(dvk_model: DvkModel) -> None:
    dvk_model.lead_phone = normalise_phone(dvk_model.lead_phone)


def _validate_content(dvk_model: DvkModel) -> None:
    """Refuse content that breaks a rule (by field); normalises the phone number."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: validate_planned_dates(dvk_model.planned_start, dvk_model.planned_end),
        lambda: validate_birth_year(dvk_model.person_birth_year),
        lambda: _normalise_phone(dvk_model),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in refuse_invalid(error).errors.items():
                errors.setdefault(field, []).extend(messages)
    if dvk_model.replicates_id and dvk_model.replicates.unit_id == dvk_model.unit_id:
        errors["replicates"] = [_("A model replicates another unit's model, not one of its own.")]
    if errors:
        raise RegistrationError(errors=errors)


ACTION = "models_registry.dvkmodel"


def _log(dvk_model: DvkModel, verb: str, *, by: User, source: str = "", **data) -> None:
    log_action(
        dvk_model,
        f"{ACTION}.{verb}",
        actor=by,
        data={"from": source, "to": dvk_model.status, **data},
        unit=dvk_model.unit,
    )


def _new_draft(*, campaign: Campaign, unit: Unit, by: User, data: dict, **links) -> DvkModel:
    ensure_registration_open(campaign=campaign, unit=unit)
    dvk_model = DvkModel(campaign=campaign, unit=unit, created_by=by, **links)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(dvk_model, name, data[name])
    _validate_content(dvk_model)
    dvk_model.save()
    return dvk_model


@transaction.atomic
def dvk_model_create(*, campaign: Campaign, unit: Unit, by: User, data: dict) -> DvkModel:
    """Create a draft for ``unit`` while its registration is open; logs ``create``."""
    dvk_model = _new_draft(campaign=campaign, unit=unit, by=by, data=data)
    _log(dvk_model, "create", by=by)
    return dvk_model


@transaction.atomic
def dvk_model_update(
    *,
    dvk_model: DvkModel,
    by: User,
    data: dict,
    version: int,
    coalesce: datetime.timedelta | None = None,
) -> DvkModel:
    """Save edits of a draft or returned model; logs ``update`` with the changed items.

    ``coalesce`` (autosave): no new ``update`` row when the same user's creation or edit
    was logged less than this long ago, so that an editing session saved at every pause
    reads as one edit in the timeline (the field-level edit history keeps every save).
    Raises ``StaleEditError`` when the form was opened before another save.
    """
    if not dvk_model.is_editable:
        raise RegistrationError(_("Only a draft or a returned model can be edited."))
    claim_version(DvkModel, dvk_model.pk, version)
    names = [name for name in CONTENT_FIELDS if name in data]
    attributes = [f"{name}_id" if name in ("field", "replicates") else name for name in names]
    # The instance may already carry the new values (a ModelForm writes them): compare
    # with the stored row to log what changed.
    stored = DvkModel.objects.filter(pk=dvk_model.pk).values(*attributes).get()
    for name in names:
        setattr(dvk_model, name, data[name])
    _validate_content(dvk_model)
    changed = [
        name
        for name, attribute in zip(names, attributes, strict=True)
        if getattr(dvk_model, attribute) != stored[attribute]
    ]
    dvk_model.version = version + 1
    dvk_model.save(update_fields=[*names, "version"])
    if not (coalesce and _edit_logged_since(dvk_model, by=by, since=coalesce)):
        _log(dvk_model, "update", by=by, source=dvk_model.status, fields=changed)
    return dvk_model


def _edit_logged_since(dvk_model: DvkModel, *, by: User, since: datetime.timedelta) -> bool:
    """Whether the model's latest activity row is a creation or an edit by ``by`` less
    than ``since`` ago (one editing session)."""
    latest = activity_for(dvk_model).order_by("-timestamp", "-pk").first()
    return (
        latest is not None
        and latest.actor_id == by.pk
        and latest.action in (f"{ACTION}.create", f"{ACTION}.update")
        and latest.timestamp >= timezone.now() - since
    )


@transaction.atomic
def dvk_model_save(
    *,
    dvk_model: DvkModel,
    by: User,
    data: dict,
    version: int,
    submit: bool = False,
    coalesce: datetime.timedelta | None = None,
) -> DvkModel:
    """The registration form's two buttons: save the edits and, with ``submit``, submit
    the model in the same transaction (a refused submission keeps nothing of the edits).
    ``coalesce``: as for ``dvk_model_update`` (the form also saves itself as the user
    types, so its last save usually follows an autosave of the same session)."""
    dvk_model = dvk_model_update(
        dvk_model=dvk_model, by=by, data=data, version=version, coalesce=coalesce
    )
    if submit:
        dvk_model = dvk_model_submit(dvk_model=dvk_model, by=by)
    return dvk_model


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
    """Submit a draft or returned model for acceptance; logs ``submit``.

    Idempotent for a model already submitted (a double-click submits once). Raises
    ``RegistrationError`` listing the missing items by field, after the deadline, or
    from another state.
    """
    locked = lock_dvk_model(dvk_model)
    if locked.status == ModelStatus.SUBMITTED:
        return locked
    if not locked.is_editable:
        raise RegistrationError(_("This model has already been accepted."))
    missing = dvk_model_missing_items(locked)
    if missing:
        raise RegistrationError(errors={name: [m] for name, m in missing.items()})
    _validate_content(locked)
    ensure_registration_open(
        campaign=locked.campaign, unit=locked.unit, deadline=submission_deadline(dvk_model=locked)
    )
    source = locked.status
    locked.status = ModelStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "submitted_at", "version"])
    _log(locked, "submit", by=by, source=source)
    return locked


@transaction.atomic
def dvk_model_withdraw(*, dvk_model: DvkModel, by: User) -> DvkModel:
    """Take a submitted model back to draft before the secretariat decides; logs
    ``withdraw``. Refused after the model's submission deadline: it could never be
    submitted again.
    """
    locked = lock_dvk_model(dvk_model)
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(
            _("Only a submitted model that is not yet accepted can be withdrawn.")
        )
    deadline = submission_deadline(dvk_model=locked)
    if today() > deadline:
        raise RegistrationError(
            _(
                "The deadline (%(date)s) has passed: a withdrawn model could not be "
                "submitted again, so it stays with the secretariat."
            )
            % {"date": format_date(deadline)}
        )
    locked.status = ModelStatus.DRAFT
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "version"])
    _log(locked, "withdraw", by=by, source=ModelStatus.SUBMITTED)
    return locked


@transaction.atomic
def dvk_model_accept(*, dvk_model: DvkModel, by: User) -> DvkModel:
    """Accept a submitted registration; logs ``accept`` (idempotent once accepted)."""
    locked = lock_dvk_model(dvk_model)
    if locked.status == ModelStatus.ACCEPTED:
        return locked
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(_("Only a submitted model can be accepted."))
    locked.status = ModelStatus.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.return_reason = ""
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "accepted_at", "return_reason", "version"])
    _log(locked, "accept", by=by, source=ModelStatus.SUBMITTED)
    return locked


@transaction.atomic
def dvk_model_return(
    *, dvk_model: DvkModel, by: User, reason: str, resubmit_by: datetime.date | None = None
) -> DvkModel:
    """Return a submitted registration to its unit with a reason and a resubmission day;
    logs ``return`` with the reason and the day.

    ``resubmit_by`` defaults to the later of the unit's deadline and a week from today.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(
            _("Please tell the unit why the model is returned."), field="reason"
        )
    locked = lock_dvk_model(dvk_model)
    if locked.status != ModelStatus.SUBMITTED:
        raise RegistrationError(_("Only a submitted model can be returned."))
    day = today()
    if resubmit_by is not None and resubmit_by < day:
        raise RegistrationError(
            _("The resubmission day cannot be in the past."), field="resubmit_by"
        )
    if resubmit_by is None:
        resubmit_by = max(
            registration_deadline(campaign=locked.campaign, unit=locked.unit),
            day + datetime.timedelta(days=RETURN_GRACE_DAYS),
        )
    locked.status = ModelStatus.RETURNED
    locked.return_reason = reason
    locked.resubmit_deadline = resubmit_by
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=["status", "return_reason", "resubmit_deadline", "version"])
    _log(
        locked,
        "return",
        by=by,
        source=ModelStatus.SUBMITTED,
        reason=reason,
        resubmit_by=resubmit_by,
    )
    return locked


@transaction.atomic
def dvk_model_carry_over(*, source: DvkModel, campaign: Campaign, by: User) -> DvkModel:
    """Start a draft in ``campaign`` that continues ``source`` ("duy trì"); logs
    ``carry_over`` on the new draft.

    The new draft copies the registration content and links to ``source`` as its
    predecessor. Refused when ``source`` is not from an earlier campaign, was never
    accepted, or was already carried over into ``campaign``. ``source`` is locked while
    the check runs, and the database allows one continuation per campaign, so that two
    requests at the same moment cannot both carry it over.
    """
    source = (
        DvkModel.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit")
        .get(pk=source.pk)
    )
    if source.campaign.year >= campaign.year:
        raise RegistrationError(_("Only a model of an earlier year can be carried over."))
    if source.status != ModelStatus.ACCEPTED:
        raise RegistrationError(_("Only an accepted model can be carried over."))
    already = _("This model has already been carried over into this campaign.")
    if DvkModel.objects.filter(campaign=campaign, predecessor=source).exists():
        raise RegistrationError(already)
    data = {name: getattr(source, name) for name in CONTENT_FIELDS}
    data["planned_start"] = data["planned_end"] = None
    try:
        with transaction.atomic():
            dvk_model = _new_draft(
                campaign=campaign, unit=source.unit, by=by, data=data, predecessor=source
            )
    except IntegrityError:
        # The constraint dvk_model_one_continuation_per_campaign: another request won.
        raise RegistrationError(already) from None
    _log(dvk_model, "carry_over", by=by, predecessor=source.pk)
    return dvk_model
