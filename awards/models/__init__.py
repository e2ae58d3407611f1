"""Award types, proposals, decisions with their awards, honouring events."""

from .decisions import Award, Decision, HonouringEvent
from .proposals import Proposal, ProposalLine
from .types import AwardType

__all__ = ["Award", "AwardType", "Decision", "HonouringEvent", "Proposal", "ProposalLine"]
