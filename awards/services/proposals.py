"""Proposals: opened from a finalised round, edited line by line, sent."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import User
from evaluation.enums import RoundStatus
from evaluation.models import Result, Round

from ..enums import ProposalStatus, RecipientKind
from ..models import AwardType, Proposal, ProposalLine
from .base import AwardsError, apply_recipient, ensure_from_finalised_round


def default_achievement(model_name: str) -> str:
    return _("Outstanding achievement in building the model “%(name)s”") % {"name": model_name}


def _lock(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.DRAFT:
        raise AwardsError(_("This proposal has been sent: its lines can no longer change."))
    return proposal


@transaction.atomic
def proposal_create_from_round(
    *, round: Round, by: User, award_type: AwardType | None = None, title: str = ""
) -> Proposal:
    """Open a draft proposal from a finalised round: one line per exemplary or recognised
    result (exemplary first), with the default achievement line and ``award_type`` (the
    first active type when None). Refuses a round that is not finalised. One activity row.
    """
    round_ = Round.objects.select_related("campaign", "scope_unit").get(pk=round.pk)
    if round_.status != RoundStatus.FINALISED:
        raise AwardsError(_("Only a finalised round can be proposed for awards."), field="round")
    award_type = award_type or AwardType.objects.filter(active=True).first()
    if award_type is None:
        raise AwardsError(_("Add an award type first."), field="award_type")
    proposal = Proposal.objects.create(
        round=round_,
        campaign=round_.campaign,
        unit=by.unit if by.unit_id else round_.scope_unit,
        title=title or _("Proposal for awards: %(round)s") % {"round": round_.name},
        created_by=by,
    )
    results = (
        Result.objects.filter(round=round_)
        .filter(Q(exemplary=True) | Q(recognised=True))
        .select_related("dvk_model")
        .order_by("-exemplary", "rank", "pk")
    )
    lines = [
        ProposalLine(
            proposal=proposal,
            recipient_kind=RecipientKind.MODEL,
            dvk_model=result.dvk_model,
            unit_id=result.dvk_model.unit_id,
            award_type=award_type,
            achievement=default_achievement(result.dvk_model.name),
            position=position,
        )
        for position, result in enumerate(results, start=1)
    ]
    ProposalLine.objects.bulk_create(lines)
    log_action(
        proposal,
        "awards.proposal.create",
        actor=by,
        data={"title": proposal.title, "round": round_.pk, "lines": len(lines)},
        unit=proposal.unit,
    )
    return proposal


@transaction.atomic
def proposal_line_add(*, proposal: Proposal, data: dict, by: User) -> ProposalLine:
    """Add a line (a model, a collective, an individual). A model line must come from a
    finalised round of the proposal's campaign unless ``manual`` with a reason."""
    proposal = _lock(proposal)
    line = ProposalLine(proposal=proposal)
    apply_recipient(line, data)
    ensure_from_finalised_round(line, proposal.campaign)
    if "position" not in data:
        last = proposal.lines.aggregate(m=Max("position"))["m"] or 0
        line.position = last + 1
    line.save()
    log_action(
        proposal,
        "awards.proposal.line_add",
        actor=by,
        data={"name": line.recipient_name, "line": line.pk},
        unit=proposal.unit,
    )
    return line


@transaction.atomic
def proposal_line_update(*, line: ProposalLine, data: dict, by: User) -> ProposalLine:
    proposal = _lock(line.proposal)
    line = ProposalLine.objects.get(pk=line.pk)
    apply_recipient(line, data)
    ensure_from_finalised_round(line, proposal.campaign)
    line.save()
    log_action(
        proposal,
        "awards.proposal.line_update",
        actor=by,
        data={"name": line.recipient_name, "line": line.pk},
        unit=proposal.unit,
    )
    return line


@transaction.atomic
def proposal_line_remove(*, line: ProposalLine, by: User) -> None:
    proposal = _lock(line.proposal)
    name = line.recipient_name
    ProposalLine.objects.filter(pk=line.pk).delete()
    log_action(
        proposal,
        "awards.proposal.line_remove",
        actor=by,
        data={"name": name, "line": line.pk},
        unit=proposal.unit,
    )


@transaction.atomic
def proposal_send(*, proposal: Proposal, by: User) -> Proposal:
    """Mark the proposal sent (its lines lock). Refuses an empty or already sent one."""
    proposal = _lock(proposal)
    if not proposal.lines.exists():
        raise AwardsError(_("Add at least one line before sending the proposal."))
    proposal.status = ProposalStatus.SENT
    proposal.sent_at = timezone.now()
    proposal.sent_by = by
    proposal.save(update_fields=["status", "sent_at", "sent_by"])
    log_action(
        proposal,
        "awards.proposal.send",
        actor=by,
        data={"from": ProposalStatus.DRAFT, "to": ProposalStatus.SENT},
        unit=proposal.unit,
    )
    return proposal
