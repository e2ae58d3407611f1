"""Checks on uploaded evidence files: type by content, size, hash."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The one table of accepted evidence files: extension -> (content type, the kind a person
# recognises). The server's check, the box's "accept" list, the limits stated beside it and
# the browser's check before sending are all derived from it (and from
# settings.FILE_UPLOAD_MAX_MB): there is no second copy to fall out of step.
FILE_TYPES = {
    ".pdf": ("application/pdf", "PDF"),
    ".jpg": ("image/jpeg", gettext_lazy("JPG/PNG photo")),
    ".jpeg": ("image/jpeg", gettext_lazy("JPG/PNG photo")),
    ".png": ("image/png", gettext_lazy("JPG/PNG photo")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
}
ALLOWED_TYPES = {extension: content_type for extension, (content_type, _k) in FILE_TYPES.items()}

# Files a browser shows in the page itself (the preview): the rest are downloaded.
PREVIEW_CONTENT_TYPES = ("application/pdf", "image/jpeg", "image/png")

# A photo's list thumbnail is the original scaled by the browser, so only photos up to this
# size get one (a phone on 3G should not fetch 20 MB for a 64-pixel square); the others show
# their kind instead. Nothing is generated on the server.
THUMBNAIL_MAX_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """What the upload box states and the browser checks before sending."""

    max_mb: int
    max_bytes: int
    accept: str  # the file box's ``accept`` attribute: ".pdf,.jpg,…"
    kinds: str  # "PDF, JPG/PNG photo, Word, Excel" in the reader's language


def upload_limits() -> UploadLimits:
    """The limits ``check_uploaded_file`` applies, in the shape the upload box needs."""
    max_mb = settings.FILE_UPLOAD_MAX_MB
    kinds = list(dict.fromkeys(str(kind) for _c, kind in FILE_TYPES.values()))
    return UploadLimits(
        max_mb=max_mb,
        max_bytes=max_mb * 1024 * 1024,
        accept=",".join(FILE_TYPES),
        kinds=", ".join(kinds),
    )


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
    limits = upload_limits()
    if uploaded.size > limits.max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": limits.max_mb}, code="too_big"
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
