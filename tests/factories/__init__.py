from .core import UnitFactory, UserFactory

__all__ = ["UnitFactory", "UserFactory"]
from .registry import CampaignFactory, DvkModelFactory, FieldFactory, dvk_model_in_status

__all__ += ["CampaignFactory", "DvkModelFactory", "FieldFactory", "dvk_model_in_status"]
