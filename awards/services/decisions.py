"""Decisions and their awards: recorded from scratch or from a proposal, edited while
draft, issued (locked), revoked with a reason; award types and honouring events."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import User

from ..enums import DecisionStatus, ProposalStatus
from ..models import Award, AwardType, Decision, HonouringEvent, Proposal
from ..validators import (
    validate_decision_date,
    validate_number,
    validate_scanned_copy,
    validate_symbol_part,
)
from .base import (
    RECIPIENT_FIELDS,
    AwardsError,
    apply_recipient,
    check_amount,
    ensure_from_finalised_round,
    ensure_no_double_award,
    refuse_validation,
)

DECISION_FIELDS = [
    "number",
    "doc_type",
    "issuer_code",
    "numbering",
    "date",
    "issuing_authority",
    "issuer",
    "signer_name",
    "signer_title",
    "occasion",
    "reason",
]


def _apply_decision(decision: Decision, data: dict, campaigns) -> None:
    for name in DECISION_FIELDS:
        if name in data:
            setattr(decision, name, data[name])
    for field, check, value in (
        ("number", validate_number, decision.number),
        ("doc_type", validate_symbol_part, decision.doc_type),
        ("issuer_code", validate_symbol_part, decision.issuer_code),
        ("date", lambda d: validate_decision_date(d, campaigns), decision.date),
    ):
        try:
            check(value)
        except ValidationError as error:
            raise refuse_validation(error, field) from None
    if not campaigns:
        raise AwardsError(_("Choose the campaign the decision concerns."), field="campaigns")
    decision.year = decision.date.year
    taken = Decision.objects.filter(
        issuer_id=decision.issuer_id, year=decision.year, number=decision.number
    ).exclude(pk=decision.pk)
    earlier = taken.first()
    if earlier is not None:
        raise AwardsError(
            _("This issuer already has decision %(number)s in %(year)s.")
            % {"number": earlier.display_number, "year": decision.year},
            field="number",
        )
    if data.get("scanned_copy"):
        try:
            validate_scanned_copy(data["scanned_copy"])
        except ValidationError as error:
            raise refuse_validation(error, "scanned_copy") from None
    try:
        decision.full_clean(exclude=["campaigns", "created_by", "scanned_copy"])
    except ValidationError as error:
        raise AwardsError(errors=error.message_dict) from None


def _lock(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("issuer")
        .get(pk=decision.pk)
    )


def _ensure_draft(decision: Decision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise AwardsError(
            _("This decision has been issued: only a revocation with a reason can change it.")
        )


@transaction.atomic
def decision_create(
    *, data: dict, campaigns, by: User, proposal: Proposal | None = None
) -> Decision:
    """Record a draft decision. Refuses a malformed number or symbol, a number the issuer
    already used that year, a date before a campaign began, a scanned copy that is not a
    PDF — each at its field, nothing saved. One activity row."""
    campaigns = list(campaigns)
    decision = Decision(created_by=by, proposal=proposal)
    _apply_decision(decision, data, campaigns)
    if data.get("scanned_copy"):
        decision.scanned_copy = data["scanned_copy"]
    decision.save()
    decision.campaigns.set(campaigns)
    log_action(
        decision,
        "awards.decision.create",
        actor=by,
        data={"title": decision.display_number, "proposal": proposal.pk if proposal else None},
        unit=decision.issuer,
    )
    return decision


@transaction.atomic
def decision_create_from_proposal(*, proposal: Proposal, data: dict, by: User) -> Decision:
    """A draft decision whose awards are the proposal's lines (editable afterwards), with
    each award type's default amount. Refuses a proposal not sent yet and any line that
    would be a double award."""
    proposal = Proposal.objects.select_related("campaign").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SENT:
        raise AwardsError(_("Send the proposal before recording its decision."))
    decision = decision_create(data=data, campaigns=[proposal.campaign], by=by, proposal=proposal)
    for line in proposal.lines.select_related("award_type", "dvk_model", "unit"):
        award = Award(
            decision=decision,
            campaign=proposal.campaign,
            amount=line.award_type.default_amount or 0,
        )
        apply_recipient(award, {name: getattr(line, name) for name in RECIPIENT_FIELDS})
        ensure_no_double_award(award)
        award.save()
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, data: dict, by: User, campaigns=None) -> Decision:
    """Change a draft decision (same checks as ``decision_create``)."""
    decision = _lock(decision)
    _ensure_draft(decision)
    campaigns = list(campaigns) if campaigns is not None else list(decision.campaigns.all())
    _apply_decision(decision, data, campaigns)
    if data.get("scanned_copy"):
        decision.scanned_copy = data["scanned_copy"]
    decision.save()
    decision.campaigns.set(campaigns)
    log_action(
        decision,
        "awards.decision.update",
        actor=by,
        data={"title": decision.display_number},
        unit=decision.issuer,
    )
    return decision


def _award_campaign(decision: Decision, award: Award, data: dict):
    if data.get("campaign") is not None:
        return data["campaign"]
    if award.dvk_model_id:
        return award.dvk_model.campaign
    campaigns = list(decision.campaigns.all()[:2])
    return campaigns[0] if len(campaigns) == 1 else award.campaign


def _check_award(decision: Decision, award: Award, data: dict) -> None:
    apply_recipient(award, data)
    if "amount" in data:
        award.amount = check_amount(data["amount"])
    award.campaign = _award_campaign(decision, award, data)
    ensure_from_finalised_round(award, award.campaign)
    award.decision = decision
    ensure_no_double_award(award)


@transaction.atomic
def award_add(*, decision: Decision, data: dict, by: User) -> Award:
    """Add an award to a draft decision (recipient fields, ``amount``, optional
    ``campaign``). Refuses an issued decision, a negative or fractional amount, a model
    outside a finalised round unless manual, a double award."""
    decision = _lock(decision)
    _ensure_draft(decision)
    award = Award(decision=decision)
    if "amount" not in data and data.get("award_type") is not None:
        award.amount = data["award_type"].default_amount or 0
    if "position" not in data:
        award.position = (decision.awards.aggregate(m=Max("position"))["m"] or 0) + 1
    _check_award(decision, award, data)
    award.save()
    log_action(
        decision,
        "awards.decision.award_add",
        actor=by,
        data={"name": award.recipient_name, "award": award.pk},
        unit=decision.issuer,
    )
    return award


@transaction.atomic
def award_update(*, award: Award, data: dict, by: User) -> Award:
    decision = _lock(award.decision)
    _ensure_draft(decision)
    award = Award.objects.get(pk=award.pk)
    _check_award(decision, award, data)
    award.save()
    log_action(
        decision,
        "awards.decision.award_update",
        actor=by,
        data={"name": award.recipient_name, "award": award.pk},
        unit=decision.issuer,
    )
    return award


@transaction.atomic
def award_remove(*, award: Award, by: User) -> None:
    decision = _lock(award.decision)
    _ensure_draft(decision)
    name = award.recipient_name
    Award.objects.filter(pk=award.pk).delete()
    log_action(
        decision,
        "awards.decision.award_remove",
        actor=by,
        data={"name": name, "award": award.pk},
        unit=decision.issuer,
    )


@transaction.atomic
def decision_issue(*, decision: Decision, by: User) -> Decision:
    """Mark the decision issued: it and its awards lock. Refuses a decision without
    awards, one not in draft, and a double award (checked again for every award)."""
    decision = _lock(decision)
    _ensure_draft(decision)
    awards = list(decision.awards.select_related("dvk_model", "unit"))
    if not awards:
        raise AwardsError(_("Add at least one award before marking the decision issued."))
    for award in awards:
        award.decision = decision
        ensure_no_double_award(award)
    decision.status = DecisionStatus.ISSUED
    decision.issued_at = timezone.now()
    decision.save(update_fields=["status", "issued_at"])
    log_action(
        decision,
        "awards.decision.issue",
        actor=by,
        data={"from": DecisionStatus.DRAFT, "to": DecisionStatus.ISSUED},
        unit=decision.issuer,
    )
    return decision


@transaction.atomic
def decision_revoke(*, decision: Decision, reason: str, by: User) -> Decision:
    """Revoke an issued decision with a reason: its awards stop counting everywhere."""
    decision = _lock(decision)
    reason = (reason or "").strip()
    if decision.status != DecisionStatus.ISSUED:
        raise AwardsError(_("Only an issued decision can be revoked."))
    if not reason:
        raise AwardsError(_("Give the reason for the revocation."), field="reason")
    decision.status = DecisionStatus.REVOKED
    decision.revoked_reason = reason
    decision.revoked_at = timezone.now()
    decision.revoked_by = by
    decision.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
    log_action(
        decision,
        "awards.decision.revoke",
        actor=by,
        data={"from": DecisionStatus.ISSUED, "to": DecisionStatus.REVOKED, "reason": reason},
        unit=decision.issuer,
    )
    return decision


@transaction.atomic
def award_revoke(*, award: Award, reason: str, by: User) -> Award:
    """Revoke one award of an issued decision with a reason (the decision stays issued):
    it shows as revoked everywhere and stops counting. Refuses an award of a decision that
    is not issued, one already revoked, an empty reason. One activity row."""
    decision = _lock(award.decision)
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("dvk_model", "unit")
        .get(pk=award.pk)
    )
    reason = (reason or "").strip()
    if decision.status != DecisionStatus.ISSUED:
        raise AwardsError(_("Only an award of an issued decision can be revoked."))
    if award.revoked:
        raise AwardsError(_("This award has already been revoked."))
    if not reason:
        raise AwardsError(_("Give the reason for the revocation."), field="reason")
    award.revoked = True
    award.revoked_reason = reason
    award.save(update_fields=["revoked", "revoked_reason"])
    log_action(
        decision,
        "awards.decision.award_revoke",
        actor=by,
        data={"name": award.recipient_name, "award": award.pk, "reason": reason},
        unit=decision.issuer,
    )
    return award


@transaction.atomic
def award_type_save(*, data: dict, by: User, award_type: AwardType | None = None) -> AwardType:
    """Create (``award_type`` None) or change an award type. Refuses a negative or
    fractional default amount and a name or code already in use."""
    award_type = award_type or AwardType()
    created = award_type.pk is None
    for name, value in data.items():
        setattr(award_type, name, value)
    if award_type.default_amount is not None:
        try:
            award_type.default_amount = check_amount(award_type.default_amount)
        except AwardsError as error:
            raise AwardsError(error.message, field="default_amount") from None
    try:
        award_type.full_clean()
    except ValidationError as error:
        raise AwardsError(errors=error.message_dict) from None
    award_type.save()
    log_action(
        award_type,
        "awards.awardtype.create" if created else "awards.awardtype.update",
        actor=by,
        data={"name": award_type.name},
        unit=None,
    )
    return award_type


@transaction.atomic
def honouring_event_save(
    *, data: dict, awards, by: User, event: HonouringEvent | None = None
) -> HonouringEvent:
    """Create or change an honouring event and the awards presented there. Refuses an
    award of a draft decision and a revoked one, unless it was already presented at this
    event (revoked afterwards: it stays in the event's history, shown as revoked)."""
    event = event or HonouringEvent()
    created = event.pk is None
    presented = set() if created else set(event.awards.values_list("pk", flat=True))
    for name, value in data.items():
        setattr(event, name, value)
    try:
        event.full_clean()
    except ValidationError as error:
        raise AwardsError(errors=error.message_dict) from None
    awards = list(awards)
    ids = [a.pk for a in awards]
    not_counting = Award.objects.filter(pk__in=set(ids) - presented).exclude(
        pk__in=Award.objects.counting()
    )
    if not_counting.exists():
        raise AwardsError(
            _("Only awards of issued decisions that are not revoked can be presented."),
            field="awards",
        )
    event.save()
    event.awards.set(awards)
    log_action(
        event,
        "awards.honouringevent.create" if created else "awards.honouringevent.update",
        actor=by,
        data={"name": event.name, "awards": len(ids)},
        unit=event.unit,
    )
    return event
