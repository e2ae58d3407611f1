"""Checks on uploaded evidence files: type by content, size, hash."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> (content type, detector name)
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str


def _detect_extension(head: bytes, uploaded) -> str | None:
    """The extension the content really has (None when it is none of the allowed)."""
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith(b"PK\x03\x04"):
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names:
            return ".docx"
        if "xl/workbook.xml" in names:
            return ".xlsx"
    return None


def check_uploaded_file(uploaded) -> CheckedFile:
    """Validate an upload's size and real type; return its facts.

    Raises ``ValidationError`` with a Vietnamese message when the file is too big, of a
    type that is not allowed, or its content does not match its name (a renamed
    executable uploaded as ``.pdf``).
    """
    limit_mb = settings.FILE_UPLOAD_MAX_MB
    if uploaded.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": limit_mb}, code="too_big"
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    name = uploaded.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only PDF, DOCX, XLSX, JPG and PNG files are accepted."), code="type"
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    detected = _detect_extension(head, uploaded)
    normalised = ".jpg" if extension == ".jpeg" else extension
    if detected != normalised:
        raise ValidationError(
            _("The content of this file is not a real %(type)s file.")
            % {"type": extension.lstrip(".").upper()},
            code="content",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(
        extension=normalised,
        content_type=ALLOWED_TYPES[extension],
        size=uploaded.size,
        sha256=digest.hexdigest(),
    )
