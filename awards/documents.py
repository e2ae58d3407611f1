"""Builders of the renderers' plain data from the awards models (``awards.renderers`` stays
free of model imports). The printed wording is the Vietnamese of official documents.
"""

from django.utils import timezone

from danvan.dates import today
from danvan.enums import UnitKind
from models_registry.enums import ModelKind

from . import selectors
from .enums import RecipientKind
from .models import Proposal, ProposalLine
from .renderers import ProposalData, ProposalLineData


def proposal_document(proposal: Proposal) -> ProposalData:
    """The proposal list (danh sách đề nghị khen thưởng) of ``proposal``, dated the day it
    was sent (today while it is a draft). The header names the proposing unit and the body
    above it (for a Party body working for a locality, that locality's Party committee) and
    a Party body gets the Party header. One query for the lines, plus the unit's parent or
    locality when not loaded."""
    unit = proposal.unit
    party = unit.kind == UnitKind.PARTY_BODY
    if party and unit.oversees_id:
        # The Party committee of the locality the body works for: "ĐẢNG BỘ TỈNH HÀ TĨNH".
        parent = f"Đảng bộ {unit.oversees.name}"
    else:
        parent = unit.parent.name if unit.parent_id else ""
    sent_on = timezone.localdate(proposal.sent_at) if proposal.sent_at else today()
    lines = tuple(_line(line) for line in selectors.proposal_lines(proposal=proposal))
    return ProposalData(
        issuer_parent=parent.upper(),
        issuer_name=unit.name.upper(),
        party=party,
        proposed_on=sent_on,
        lines=lines,
        subtitle=proposal.campaign.title,
        filename_stem=f"danh-sach-de-nghi-khen-thuong-{proposal.pk}",
    )


def recipient_position_unit(line: ProposalLine) -> str:
    """The "chức vụ/đơn vị" column: an individual's position and unit, a model's unit (with
    the person of an individual exemplar), the body above a collective."""
    if line.recipient_kind == RecipientKind.INDIVIDUAL:
        parts = [line.person_position, line.unit.name if line.unit_id else ""]
    elif line.recipient_kind == RecipientKind.COLLECTIVE:
        parts = [line.unit.parent.name if line.unit_id and line.unit.parent_id else ""]
    else:
        model = line.dvk_model
        parts = [model.unit.name]
        if model.kind == ModelKind.INDIVIDUAL_EXEMPLAR:
            parts = [model.person_name, model.person_position, *parts]
    return ", ".join(part for part in parts if part)


def _line(line: ProposalLine) -> ProposalLineData:
    return ProposalLineData(
        name=line.recipient_name,
        position_unit=recipient_position_unit(line),
        achievement=line.achievement,
        award=line.award_type.name,
    )
