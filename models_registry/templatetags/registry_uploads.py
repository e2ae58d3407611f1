"""The upload box's limits and what the file list may show for a file (no queries)."""

from django import template

from ..files import PREVIEW_CONTENT_TYPES, THUMBNAIL_MAX_BYTES, UploadLimits, upload_limits

register = template.Library()


@register.simple_tag(name="upload_limits")
def upload_limits_tag() -> UploadLimits:
    """``{% upload_limits as limits %}``: the limits the server applies (``files.py``)."""
    return upload_limits()


@register.filter
def previewable(attachment) -> bool:
    """A PDF or a photo, which a browser shows in the page."""
    return attachment.content_type in PREVIEW_CONTENT_TYPES


@register.filter
def has_thumbnail(attachment) -> bool:
    """A photo small enough for the list to show it scaled down as its thumbnail."""
    return attachment.is_photo and attachment.size <= THUMBNAIL_MAX_BYTES
