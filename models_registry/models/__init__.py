"""Campaigns, fields and the registered "Dân vận khéo" models with their evidence.

The models live in modules by family; import them from ``models_registry.models``.
"""

from .campaigns import Campaign, DeadlineExtension, Field, Indicator
from .dvk_models import DvkModel
from .evidence import Attachment, IndicatorValue, ResultReport, attachment_upload_to

__all__ = [
    "Attachment",
    "Campaign",
    "DeadlineExtension",
    "DvkModel",
    "Field",
    "Indicator",
    "IndicatorValue",
    "ResultReport",
    "attachment_upload_to",
]
