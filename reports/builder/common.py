"""What both reports share: the issuer snapshot, the narrative sections, the annex
columns and the closing sections."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from danvan.dates import format_date
from danvan.models import Unit

from .. import selectors
from ..data import Issuer, Section
from ..models import ReportNarrative
from ..services import ReportsError
from .tables import paragraphs

ANNEX_COLUMNS = (
    "Đơn vị",
    "Tên mô hình, điển hình",
    "Lĩnh vực",
    "Loại",
    "Cấp",
    "Mới, duy trì, nhân rộng",
    "Điểm",
    "Xếp loại",
    "Khen thưởng",
)
DVK = "“Dân vận khéo”"
MISSING_TEXT = "(Nội dung do Cơ quan thường trực Ban Chỉ đạo bổ sung.)"


def issuer_snapshot(*, organiser: Unit, date: datetime.date) -> Issuer:
    """The ``Issuer`` of the profile that signs ``organiser``'s reports on ``date``.

    Raises ``ReportsError`` when none is valid on that date."""
    profile = selectors.issuer_profile_for(organiser=organiser, date=date)
    if profile is None:
        raise ReportsError(
            _("No issuer profile is valid on %(date)s: add one in the administration.")
            % {"date": format_date(date)}
        )
    return Issuer(
        superior_body=profile.superior_body,
        issuing_body=profile.issuing_body,
        symbol=profile.symbol,
        place=profile.place,
        signer_prefix=profile.signer_prefix,
        signer_title=profile.signer_title,
        signer_name=profile.signer_name,
        recipients=profile.recipient_lines,
    )


def narrative_blocks(narrative: ReportNarrative | None, name: str):
    texts = narrative.paragraphs(name) if narrative is not None else []
    return paragraphs(texts or [MISSING_TEXT])


def closing_sections(
    narrative, number_: int, heading_next: str
) -> tuple[list[Section], list[Section]]:
    """Sections 5–7 of part I (from ``number_``), then parts II and III."""
    return [
        Section(f"{number_}. Hạn chế", narrative_blocks(narrative, "limitations")),
        Section(f"{number_ + 1}. Nguyên nhân", narrative_blocks(narrative, "causes")),
        Section(f"{number_ + 2}. Bài học kinh nghiệm", narrative_blocks(narrative, "lessons")),
    ], [
        Section(heading_next, narrative_blocks(narrative, "next_tasks")),
        Section("III. KIẾN NGHỊ, ĐỀ XUẤT", narrative_blocks(narrative, "proposals")),
    ]
