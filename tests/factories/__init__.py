from .core import UnitFactory, UserFactory

__all__ = ["UnitFactory", "UserFactory"]
from .registry import CampaignFactory, DvkModelFactory, FieldFactory, dvk_model_in_status

__all__ += ["CampaignFactory", "DvkModelFactory", "FieldFactory", "dvk_model_in_status"]
from .evaluation import (  # noqa: E402 -- each stage appends its own export block
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
)

__all__ += [
    "CommitteeFactory",
    "CommitteeMemberFactory",
    "CriterionFactory",
    "RoundEntryFactory",
    "RoundFactory",
    "RubricFactory",
    "TierFactory",
]
from .awards import AwardTypeFactory, DecisionFactory  # noqa: E402 -- the awards stage's block

__all__ += ["AwardTypeFactory", "DecisionFactory"]
