"""Every write of the reports' own data: issuer profiles, narratives, unit plans.

Each service validates, writes inside one transaction, and records one activity row
(``danvan.activity.log_action``). Refusals raise ``ReportsError`` with a Vietnamese
message at the form field it concerns; nothing is half-saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.errors import DomainError, StaleEditError
from danvan.models import Unit, User
from danvan.rules import unit_in_subtree
from models_registry.models import Campaign

from . import selectors
from .enums import ReportKind
from .models import (
    NARRATIVE_FIELDS,
    NARRATIVE_MAX_LENGTH,
    IssuerProfile,
    ReportNarrative,
    UnitPlan,
)
from .validators import (
    clean_plan_number,
    validate_plan_date,
    validate_plan_file,
    validate_symbol,
)

ISSUER_FIELDS = [
    "unit",
    "superior_body",
    "issuing_body",
    "symbol",
    "place",
    "signer_prefix",
    "signer_title",
    "signer_name",
    "recipients",
    "valid_from",
    "valid_to",
]
PLAN_FIELDS = ["number", "date", "title"]


class ReportsError(DomainError):
    """A refused action on the reports' data; the message is shown as is."""


def _refuse(error: ValidationError, field: str | None = None) -> ReportsError:
    if hasattr(error, "error_dict"):
        return ReportsError(errors=error.message_dict)
    return ReportsError(" ".join(error.messages), field=field)


# --- Issuer profiles -------------------------------------------------------------------------


@transaction.atomic
def issuer_profile_save(
    *, data: dict, by: User, profile: IssuerProfile | None = None
) -> IssuerProfile:
    """Create (``profile`` None or unsaved) or change an issuer profile.

    Refuses a malformed symbol, an end before the start and dates that overlap another
    version of the same unit — each at its field. One activity row.
    """
    creating = profile is None or profile.pk is None
    profile = profile or IssuerProfile()
    for name in ISSUER_FIELDS:
        if name in data:
            value = data[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.symbol = (profile.symbol or "").upper()
    profile.recipients = "\n".join(
        line.strip() for line in (profile.recipients or "").splitlines() if line.strip()
    )
    try:
        validate_symbol(profile.symbol)
    except ValidationError as error:
        raise _refuse(error, "symbol") from None
    try:
        profile.full_clean(exclude=["updated_by"])
    except ValidationError as error:
        raise _refuse(error) from None
    profile.updated_by = by
    profile.save()
    log_action(
        profile,
        "reports.issuerprofile.create" if creating else "reports.issuerprofile.update",
        actor=by,
        data={"title": str(profile)},
        unit=profile.unit,
    )
    return profile


# --- Narratives ------------------------------------------------------------------------------


def narrative_open(*, campaign: Campaign, kind: str = ReportKind.ANNUAL) -> ReportNarrative:
    """The narrative to edit: the saved one, or — the first time — a new unsaved one
    prefilled with the newest earlier year's text of the same organiser and kind
    (``prefilled_from`` says which). Writes nothing: opening a page must not record a
    change; the first ``narrative_save`` creates the row."""
    saved = selectors.narrative_of(campaign=campaign, kind=kind)
    if saved is not None:
        return saved
    narrative = ReportNarrative(campaign=campaign, kind=kind, version=0)
    earlier = selectors.latest_narrative_before(campaign=campaign, kind=kind)
    if earlier is not None:
        for name in NARRATIVE_FIELDS:
            setattr(narrative, name, getattr(earlier, name))
        narrative.prefilled_from = earlier
    return narrative


@transaction.atomic
def narrative_save(
    *,
    campaign: Campaign,
    data: dict,
    by: User,
    kind: str = ReportKind.ANNUAL,
    version: int | None = None,
) -> ReportNarrative:
    """Save the narrative sections in ``data`` (any of ``NARRATIVE_FIELDS``).

    ``version`` is the one the form was opened with (0 for a new narrative): a narrative
    saved by someone else since is refused (``StaleEditError``). A text over the length
    limit is refused at its field. One activity row listing the sections changed.
    """
    narrative = (
        ReportNarrative.objects.select_for_update().filter(campaign=campaign, kind=kind).first()
    )
    creating = narrative is None
    if creating:
        narrative = narrative_open(campaign=campaign, kind=kind)
    current = 0 if creating else narrative.version
    if version is not None and version != current:
        raise StaleEditError()
    changed, too_long = [], {}
    for name in NARRATIVE_FIELDS:
        if name not in data:
            continue
        value = (data[name] or "").replace("\r\n", "\n").strip()
        if len(value) > NARRATIVE_MAX_LENGTH:
            too_long[name] = [
                _("Keep this section under %(limit)s characters (it has %(length)s).")
                % {"limit": NARRATIVE_MAX_LENGTH, "length": len(value)}
            ]
        if value != getattr(narrative, name):
            changed.append(name)
        setattr(narrative, name, value)
    if too_long:
        raise ReportsError(errors=too_long)
    try:
        narrative.full_clean(exclude=["campaign", "updated_by", "prefilled_from"])
    except ValidationError as error:
        raise _refuse(error) from None
    narrative.updated_by = by
    narrative.version = current + 1
    narrative.save()
    log_action(
        narrative,
        "reports.reportnarrative.create" if creating else "reports.reportnarrative.update",
        actor=by,
        data={
            "title": str(narrative),
            "sections": changed,
            "prefilled_from": narrative.prefilled_from.campaign.year
            if creating and narrative.prefilled_from_id
            else None,
        },
        unit=campaign.organiser,
    )
    return narrative


# --- Unit plans ------------------------------------------------------------------------------


def _apply_plan(plan: UnitPlan, data: dict, campaign: Campaign) -> None:
    errors: dict[str, list[str]] = {}
    if "number" in data:
        try:
            plan.number = clean_plan_number(data["number"])
        except ValidationError as error:
            errors["number"] = error.messages
    if "date" in data:
        plan.date = data["date"]
    try:
        validate_plan_date(plan.date, campaign)
    except ValidationError as error:
        errors["date"] = error.messages
    if "title" in data:
        plan.title = (data["title"] or "").strip()
    uploaded = data.get("file")
    if uploaded:
        try:
            checked = validate_plan_file(uploaded)
        except ValidationError as error:
            errors["file"] = error.messages
        else:
            plan.sha256, plan.size = checked.sha256, checked.size
            plan.original_name = (uploaded.name or "")[:255]
    if errors:
        raise ReportsError(errors=errors)
    if uploaded:
        plan.file = uploaded


@transaction.atomic
def unit_plan_save(*, campaign: Campaign, unit: Unit, data: dict, by: User) -> UnitPlan:
    """Record (or correct) the plan ``unit`` issued for ``campaign``: ``number``, ``date``,
    optional ``title`` and ``file`` (a PDF, checked by content).

    Refuses a unit outside the campaign's organiser subtree, a malformed number, a date in
    the future or outside the campaign's year and the one before, a file that is not a
    real PDF — each at its field, nothing saved. One activity row.
    """
    if not unit_in_subtree(unit, campaign.organiser):
        raise ReportsError(_("This unit does not take part in this campaign."), field="unit")
    plan = UnitPlan.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    creating = plan is None
    if creating:
        plan = UnitPlan(campaign=campaign, unit=unit, created_by=by)
    _apply_plan(plan, data, campaign)
    plan.save()
    log_action(
        plan,
        "reports.unitplan.create" if creating else "reports.unitplan.update",
        actor=by,
        data={"title": plan.number, "campaign": campaign.year, "file": bool(plan.file)},
        unit=unit,
    )
    return plan


@transaction.atomic
def unit_plan_remove(*, plan: UnitPlan, by: User) -> None:
    """Delete a plan recorded by mistake (its file too, once committed). One activity row
    on the unit, which outlives the plan."""
    unit, number, year = plan.unit, plan.number, plan.campaign.year
    stored = plan.file.name if plan.file else ""
    storage = plan.file.storage if plan.file else None
    log_action(
        unit,
        "reports.unitplan.remove",
        actor=by,
        data={"title": number, "campaign": year},
        unit=unit,
    )
    plan.delete()
    if stored and not UnitPlan.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: storage.delete(stored))
