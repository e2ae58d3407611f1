"""Campaigns, fields and the registered "Dân vận khéo" models with their evidence.

The models live in modules by family; import them from ``models_registry.models``.
"""

from .campaigns import Campaign, DeadlineExtension, Field, Indicator
from .dvk_models import DvkModel
from .evidence import (
    PHOTO_CONTENT_TYPES,
    Attachment,
    IndicatorValue,
    ResultReport,
    attachment_upload_to,
)

__all__ = [
    "PHOTO_CONTENT_TYPES",
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
