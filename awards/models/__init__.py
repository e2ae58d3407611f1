"""Award types, proposals, decisions with their awards, honouring events and their cadence."""

from .cadence import HonouringCadence
from .decisions import Award, Decision, HonouringEvent
from .proposals import Proposal, ProposalLine
from .types import AwardType

__all__ = [
    "Award",
    "AwardType",
    "Decision",
    "HonouringCadence",
    "HonouringEvent",
    "Proposal",
    "ProposalLine",
]
