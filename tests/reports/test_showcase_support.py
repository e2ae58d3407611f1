"""Hand-built data for the showcase tests (no tests here): a province with two communes,
its 2025 campaign with models in every status, finalised and open rounds, an award and
photos; a second province with a library model of its own.

Library (province): ``exemplary`` (commune A, exemplary, "Xuất sắc", a counting and a
revoked award, a public and a non-public photo, a PDF) and ``recognised`` (an exemplary
individual of a village of commune B, "Tốt"). Not in it: a draft, a submitted, a returned model (each
with a recognised finalised result written directly), an accepted model not recognised,
an accepted model recognised only in a round still open.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile

from awards.enums import DecisionStatus, RecipientKind
from danvan.enums import Role, UnitKind
from evaluation.models import Result
from models_registry.enums import AttachmentPurpose, ModelKind, ModelStatus
from models_registry.models import Attachment
from tests.factories import (
    AwardTypeFactory,
    FieldFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.registry import jpg_bytes, pdf_bytes, png_bytes
from tests.reports.conftest import campaign_for, decision_with, finalised_round, registered

YEAR = 2025


def attachment(dvk_model, name, content, content_type, *, public, by):
    item = Attachment(
        dvk_model=dvk_model,
        purpose=AttachmentPurpose.REGISTRATION,
        original_name=name,
        extension="." + name.rsplit(".", 1)[-1],
        content_type=content_type,
        size=len(content),
        sha256=f"{abs(hash((name, dvk_model.pk))):064d}"[:64],
        public=public,
        uploaded_by=by,
    )
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def open_round_with(campaign, scope_unit, results, *, by):
    """A round still open whose rows look like results (they are not finalised)."""
    round_ = RoundFactory(campaign=campaign, scope_unit=scope_unit, created_by=by)
    for dvk_model, tier in results:
        entry = RoundEntryFactory(round=round_, dvk_model=dvk_model)
        Result.objects.create(
            round=round_,
            entry=entry,
            dvk_model=dvk_model,
            sheet_count=2,
            score_used=Decimal("95"),
            tier_name=tier,
            aggregation="mean",
            rank_by="raw",
            recognised=True,
            exemplary=True,
        )
    round_.status = "open"
    round_.save(update_fields=["status"])
    return round_


def build_library():
    t = SimpleNamespace()
    t.province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    t.commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=t.province,
        oversees=t.province,
    )
    t.commune_a = UnitFactory(name="Xã Đức Thọ", kind=UnitKind.COMMUNE, parent=t.province)
    t.commune_b = UnitFactory(name="Xã Can Lộc", kind=UnitKind.COMMUNE, parent=t.province)
    t.village = UnitFactory(name="Thôn Phúc Lộc", kind=UnitKind.RESIDENTIAL, parent=t.commune_b)
    t.secretariat = UserFactory(unit=t.commission, roles=[Role.SECRETARIAT])
    t.leader = UserFactory(unit=t.commission, roles=[Role.LEADER])
    t.officer_a = UserFactory(unit=t.commune_a, roles=[Role.UNIT_OFFICER])
    t.officer_b = UserFactory(unit=t.commune_b, roles=[Role.UNIT_OFFICER])
    t.economy = FieldFactory(name="Kinh tế", position=1)
    t.society = FieldFactory(name="Văn hóa – xã hội", position=2)
    t.campaign = campaign_for(t.province, YEAR)
    by = t.secretariat
    c = t.campaign
    t.exemplary = registered(
        c,
        t.commune_a,
        "Đường làng hiến đất",
        field=t.economy,
        by=by,
        lead_name="Trần Thị Bình",
        lead_phone="0912345678",
        lead_email="binh@example.vn",
    )
    t.recognised = registered(
        c,
        t.village,
        "Bếp ăn nghĩa tình",
        field=t.society,
        kind=ModelKind.INDIVIDUAL_EXEMPLAR,
        person_name="Nguyễn Văn An",
        person_position="Trưởng thôn",
        person_birth_year=1975,
        by=by,
    )
    t.draft = registered(c, t.commune_a, "Bản nháp", status=ModelStatus.DRAFT, by=by)
    t.submitted = registered(c, t.commune_a, "Đã gửi", status=ModelStatus.SUBMITTED, by=by)
    t.returned = registered(c, t.commune_b, "Bị trả lại", status=ModelStatus.RETURNED, by=by)
    t.plain = registered(c, t.commune_b, "Không xếp loại", by=by)
    t.pending = registered(c, t.commune_b, "Chờ chấm xong", by=by)
    t.round = finalised_round(
        c,
        t.province,
        [
            (t.exemplary, "96", "Xuất sắc", True, True),
            (t.recognised, "84", "Tốt", True, False),
            (t.draft, "90", "Xuất sắc", True, True),
            (t.submitted, "90", "Xuất sắc", True, True),
            (t.returned, "90", "Xuất sắc", True, True),
            (t.plain, "40", "", False, False),
        ],
        by=by,
    )
    t.open_round = open_round_with(c, t.province, [(t.pending, "Xuất sắc")], by=by)
    t.award_type = AwardTypeFactory(name="Bằng khen của Chủ tịch UBND tỉnh")
    decision_with(c, t.province, [(t.award_type, RecipientKind.MODEL, t.exemplary)], by=by)
    revoked_type = AwardTypeFactory(name="Giấy khen đã thu hồi")
    decision_with(
        c,
        t.province,
        [(revoked_type, RecipientKind.MODEL, t.exemplary)],
        status=DecisionStatus.REVOKED,
        by=by,
    )
    t.photo = attachment(t.exemplary, "anh-1.png", png_bytes(), "image/png", public=True, by=by)
    t.hidden_photo = attachment(
        t.exemplary, "anh-2.jpg", jpg_bytes(), "image/jpeg", public=False, by=by
    )
    t.pdf = attachment(
        t.exemplary, "bien-ban.pdf", pdf_bytes(), "application/pdf", public=False, by=by
    )
    # Another province with its own library model.
    t.other = UnitFactory(name="Tỉnh Nghệ An", kind=UnitKind.PROVINCE)
    t.other_commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy Nghệ An",
        kind=UnitKind.PARTY_BODY,
        parent=t.other,
        oversees=t.other,
    )
    t.other_commune = UnitFactory(name="Xã Nam Đàn", kind=UnitKind.COMMUNE, parent=t.other)
    t.outsider = UserFactory(unit=t.other_commission, roles=[Role.SECRETARIAT])
    t.outside_officer = UserFactory(unit=t.other_commune, roles=[Role.UNIT_OFFICER])
    t.other_campaign = campaign_for(t.other, YEAR)
    t.foreign = registered(t.other_campaign, t.other_commune, "Mô hình tỉnh bạn", by=t.outsider)
    finalised_round(
        t.other_campaign, t.other, [(t.foreign, "92", "Xuất sắc", True, True)], by=t.outsider
    )
    return t


def library_names(qs):
    return sorted(qs.values_list("name", flat=True))
