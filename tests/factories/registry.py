"""Factories and helpers for the registration stage (models_registry).

Dates are relative to ``timezone.localdate()``: a campaign built here is open for
registration today unless the test passes other dates. Statuses are reached through the
services (``dvk_model_in_status``), never by assigning ``status``.
"""

import datetime
import io
import struct
import zipfile
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danvan.enums import Role, UnitKind
from models_registry import services
from models_registry.enums import ModelKind, ModelStatus
from models_registry.models import Campaign, DvkModel, Field

from .core import UnitFactory, UserFactory


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """``n`` days from today (negative: in the past)."""
    return today() + datetime.timedelta(days=n)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    parent = None
    position = factory.Sequence(lambda n: n)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A province's campaign whose registration window is open today."""

    class Meta:
        model = Campaign

    year = factory.LazyFunction(lambda: today().year)
    title = factory.LazyAttribute(lambda o: f"Phong trào thi đua Dân vận khéo năm {o.year}")
    organiser = factory.SubFactory(UnitFactory, kind=UnitKind.PROVINCE)
    registration_opens = factory.LazyFunction(lambda: days(-30))
    registration_closes = factory.LazyFunction(lambda: days(30))
    result_report_due = factory.LazyFunction(lambda: days(120))
    scoring_opens = factory.LazyFunction(lambda: days(121))
    scoring_closes = factory.LazyFunction(lambda: days(140))
    honouring_date = factory.LazyFunction(lambda: days(150))
    report_date = factory.LazyFunction(lambda: days(200))
    share_accepted_models = False


class DvkModelFactory(factory.django.DjangoModelFactory):
    """A draft with every item filled in, so that it can be submitted as it is.

    The unit defaults to a new commune under the campaign's organiser; ``created_by`` to
    a user of that unit.
    """

    class Meta:
        model = DvkModel

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory, parent=factory.SelfAttribute("..campaign.organiser"))
    kind = ModelKind.COLLECTIVE_MODEL
    field = factory.SubFactory(FieldFactory)
    name = factory.Sequence(lambda n: f"Mô hình Dân vận khéo số {n}")
    situation = "Đường giao thông nông thôn xuống cấp, người dân đi lại khó khăn."
    goals = "Bê tông hoá 2 km đường thôn trong năm."
    content = "Vận động nhân dân hiến đất, góp ngày công; công khai thu chi."
    area = "Thôn 1 và thôn 2, 350 hộ dân."
    forces = "Mặt trận chủ trì, các đoàn thể phối hợp, nhân dân thực hiện."
    resources = "Ngân sách xã 40%, nhân dân đóng góp 60%."
    timeline = "Khởi công tháng 3, hoàn thành tháng 9."
    outputs = "2 km đường bê tông, biên bản nghiệm thu."
    sustainability = "Thành lập tổ tự quản duy tu đường."
    lead_name = "Trần Thị Bình"
    lead_phone = "0912345678"
    lead_email = "binh@example.vn"
    planned_start = factory.LazyFunction(lambda: days(0))
    planned_end = factory.LazyFunction(lambda: days(180))
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))

    class Params:
        individual = factory.Trait(
            kind=ModelKind.INDIVIDUAL_EXEMPLAR,
            person_name="Nguyễn Văn An",
            person_position="Trưởng thôn",
            person_birth_year=1975,
        )


def secretariat_for(campaign: Campaign):
    """A secretariat user whose commission oversees the campaign's organiser."""
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh uỷ",
        kind=UnitKind.PARTY_BODY,
        parent=campaign.organiser,
        oversees=campaign.organiser,
    )
    return UserFactory(unit=commission, roles=[Role.SECRETARIAT])


def dvk_model_in_status(status: str, *, reviewer=None, **kwargs) -> DvkModel:
    """A complete model moved into ``status`` through the services.

    ``returned`` and ``accepted`` go through ``submitted``; ``reviewer`` (default: a new
    secretariat user) accepts or returns. Extra keyword arguments go to the factory.
    """
    dvk_model = DvkModelFactory(**kwargs)
    if status == ModelStatus.DRAFT:
        return dvk_model
    dvk_model = services.dvk_model_submit(dvk_model=dvk_model, by=dvk_model.created_by)
    if status == ModelStatus.SUBMITTED:
        return dvk_model
    reviewer = reviewer or secretariat_for(dvk_model.campaign)
    if status == ModelStatus.ACCEPTED:
        return services.dvk_model_accept(dvk_model=dvk_model, by=reviewer)
    if status == ModelStatus.RETURNED:
        return services.dvk_model_return(
            dvk_model=dvk_model, by=reviewer, reason="Bổ sung số liệu mục tiêu."
        )
    raise ValueError(status)


# --- Uploaded files built in memory ---------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpg_bytes() -> bytes:
    """The JPEG markers the check looks at (SOI, APP0/JFIF), then EOI."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document><w:body><w:p/></w:body></w:document>",
        }
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Số hộ", 350])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
