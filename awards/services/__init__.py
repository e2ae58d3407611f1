"""Every write of the awards stage (the façade: import from here, not the submodules)."""

from .base import AwardsError
from .decisions import (
    DECISION_FIELDS,
    award_add,
    award_remove,
    award_revoke,
    award_type_save,
    award_update,
    decision_create,
    decision_create_from_proposal,
    decision_issue,
    decision_revoke,
    decision_update,
    honouring_event_save,
)
from .proposals import (
    default_achievement,
    proposal_create_from_round,
    proposal_line_add,
    proposal_line_remove,
    proposal_line_update,
    proposal_send,
)

__all__ = [
    "DECISION_FIELDS",
    "AwardsError",
    "award_add",
    "award_remove",
    "award_revoke",
    "award_type_save",
    "award_update",
    "decision_create",
    "decision_create_from_proposal",
    "decision_issue",
    "decision_revoke",
    "decision_update",
    "default_achievement",
    "honouring_event_save",
    "proposal_create_from_round",
    "proposal_line_add",
    "proposal_line_remove",
    "proposal_line_update",
    "proposal_send",
]
