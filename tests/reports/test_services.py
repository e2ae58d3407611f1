import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from danvan.errors import StaleEditError
from danvan.models import ActivityLog
from reports import selectors, services
from reports.enums import ReportKind
from reports.models import IssuerProfile, ReportNarrative, UnitPlan
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def profile_data(unit, **changes):
    data = {
        "unit": unit,
        "superior_body": "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "issuing_body": "BAN DÂN VẬN",
        "symbol": "BDVTU",
        "place": "Hà Tĩnh",
        "signer_prefix": "K/T TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_name": "Nguyễn Văn Thành",
        "recipients": "Thường trực Tỉnh ủy (để báo cáo)\n\n  Lưu VP  ",
        "valid_from": datetime.date(2020, 10, 1),
        "valid_to": datetime.date(2025, 2, 28),
    }
    data.update(changes)
    return data


def two_profiles(tree):
    old = services.issuer_profile_save(data=profile_data(tree.commission), by=tree.secretariat)
    new = services.issuer_profile_save(
        data=profile_data(
            tree.commission,
            issuing_body="BAN TUYÊN GIÁO VÀ DÂN VẬN",
            symbol="btgdvtu",
            valid_from=datetime.date(2025, 3, 1),
            valid_to=None,
        ),
        by=tree.secretariat,
    )
    return old, new


# --- Issuer profiles --------------------------------------------------------------------------


def test_issuer_profile_on_picks_the_version_valid_on_the_date(tree):
    old, new = two_profiles(tree)

    assert selectors.issuer_profile_on(tree.commission, datetime.date(2024, 12, 5)) == old
    assert selectors.issuer_profile_on(tree.commission, datetime.date(2025, 2, 28)) == old
    assert selectors.issuer_profile_on(tree.commission, datetime.date(2025, 3, 1)) == new
    assert selectors.issuer_profile_on(tree.commission, datetime.date(2019, 1, 1)) is None
    assert new.symbol == "BTGDVTU"
    assert old.recipient_lines == ("Thường trực Tỉnh ủy (để báo cáo)", "Lưu VP")


def test_issuer_profile_for_organiser_finds_the_overseeing_commission(tree):
    _old, new = two_profiles(tree)

    found = selectors.issuer_profile_for(organiser=tree.province, date=datetime.date(2025, 12, 5))

    assert found == new


def test_issuer_profile_save_refuses_overlap_at_valid_from(tree):
    two_profiles(tree)

    with pytest.raises(services.ReportsError) as refused:
        services.issuer_profile_save(
            data=profile_data(tree.commission, valid_from=datetime.date(2025, 1, 1), valid_to=None),
            by=tree.secretariat,
        )

    assert "valid_from" in refused.value.field_errors()
    assert IssuerProfile.objects.count() == 2


def test_issuer_profile_save_refuses_open_version_before_an_existing_one(tree):
    services.issuer_profile_save(
        data=profile_data(tree.commission, valid_from=datetime.date(2025, 3, 1), valid_to=None),
        by=tree.secretariat,
    )

    with pytest.raises(services.ReportsError):
        services.issuer_profile_save(
            data=profile_data(tree.commission, valid_to=None), by=tree.secretariat
        )


def test_issuer_profile_save_allows_same_dates_for_another_unit(tree):
    services.issuer_profile_save(data=profile_data(tree.commission), by=tree.secretariat)

    services.issuer_profile_save(data=profile_data(tree.province), by=tree.secretariat)

    assert IssuerProfile.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"symbol": "BDV TU"}, "symbol"),
        ({"valid_to": datetime.date(2019, 1, 1)}, None),
        ({"signer_name": ""}, "signer_name"),
    ],
)
def test_issuer_profile_save_refusals(tree, changes, field):
    with pytest.raises(services.ReportsError) as refused:
        services.issuer_profile_save(
            data=profile_data(tree.commission, **changes), by=tree.secretariat
        )

    if field:
        assert field in refused.value.field_errors()
    assert not IssuerProfile.objects.exists()


def test_issuer_profile_save_logs_activity(tree):
    old, _new = two_profiles(tree)

    services.issuer_profile_save(
        data={"signer_name": "Lê Thị Hà"}, profile=old, by=tree.secretariat
    )

    actions = list(ActivityLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "reports.issuerprofile.create",
        "reports.issuerprofile.create",
        "reports.issuerprofile.update",
    ]


# --- Narratives -----------------------------------------------------------------------------

SECTIONS = {
    "leadership": "Ban hành kế hoạch.\n\nTuyên truyền rộng rãi.",
    "limitations": "Còn chậm.",
    "causes": "Thay đổi cán bộ.",
    "lessons": "Gắn với việc khó.",
    "next_tasks": "Nhân rộng mô hình.",
    "proposals": "Bố trí kinh phí.",
}


def test_narrative_open_prefills_from_last_year_without_writing(world):
    services.narrative_save(campaign=world.previous, data=SECTIONS, by=world.secretariat)

    narrative = services.narrative_open(campaign=world.campaign)

    assert narrative.pk is None
    assert narrative.leadership == SECTIONS["leadership"]
    assert narrative.prefilled_from.campaign == world.previous
    assert narrative.version == 0
    assert ReportNarrative.objects.count() == 1


def test_narrative_open_empty_without_earlier_year(world):
    narrative = services.narrative_open(campaign=world.campaign)

    assert (narrative.pk, narrative.leadership, narrative.prefilled_from) == (None, "", None)


def test_narrative_save_first_time_keeps_prefill_and_logs(world):
    services.narrative_save(campaign=world.previous, data=SECTIONS, by=world.secretariat)

    narrative = services.narrative_save(
        campaign=world.campaign,
        data={"limitations": "Hạn chế mới."},
        by=world.secretariat,
        version=0,
    )

    assert narrative.causes == SECTIONS["causes"]
    assert narrative.limitations == "Hạn chế mới."
    assert narrative.version == 1
    log = ActivityLog.objects.order_by("-pk").first()
    assert log.action == "reports.reportnarrative.create"
    assert log.data["prefilled_from"] == world.previous.year
    assert log.data["sections"] == ["limitations"]
    assert narrative.paragraphs("leadership") == ["Ban hành kế hoạch.", "Tuyên truyền rộng rãi."]


def test_narrative_save_refuses_a_stale_version(world):
    services.narrative_save(campaign=world.campaign, data=SECTIONS, by=world.secretariat, version=0)

    with pytest.raises(StaleEditError):
        services.narrative_save(
            campaign=world.campaign, data={"causes": "Khác"}, by=world.secretariat, version=0
        )

    assert ReportNarrative.objects.get().causes == SECTIONS["causes"]


def test_narrative_save_refuses_too_long_text_at_field(world):
    with pytest.raises(services.ReportsError) as refused:
        services.narrative_save(
            campaign=world.campaign, data={"lessons": "x" * 20001}, by=world.secretariat
        )

    assert "lessons" in refused.value.field_errors()
    assert not ReportNarrative.objects.exists()


def test_narrative_kinds_are_separate(world):
    services.narrative_save(campaign=world.campaign, data=SECTIONS, by=world.secretariat)

    summary = services.narrative_open(campaign=world.campaign, kind=ReportKind.SUMMARY)

    assert summary.pk is None and summary.leadership == ""


# --- Unit plans ---------------------------------------------------------------------------


def plan_data(campaign, **changes):
    data = {"number": "05/KH-UBND", "date": campaign.registration_opens, "title": "Kế hoạch"}
    data.update(changes)
    return data


def test_unit_plan_save_with_pdf_and_logs(world):
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")

    plan = services.unit_plan_save(
        campaign=world.campaign,
        unit=world.commune_a,
        data=plan_data(world.campaign, number=" 12-KH/ĐU ", file=upload),
        by=world.secretariat,
    )

    assert plan.number == "12-KH/ĐU"
    assert plan.original_name == "ke-hoach.pdf"
    assert plan.size == len(PDF) and len(plan.sha256) == 64
    assert plan.file.name.endswith(".pdf")
    assert ActivityLog.objects.filter(action="reports.unitplan.create").count() == 1


def test_unit_plan_save_twice_corrects_the_same_row(world):
    services.unit_plan_save(
        campaign=world.campaign,
        unit=world.commune_a,
        data=plan_data(world.campaign),
        by=world.secretariat,
    )

    services.unit_plan_save(
        campaign=world.campaign,
        unit=world.commune_a,
        data={"number": "06/KH-UBND"},
        by=world.secretariat,
    )

    assert list(UnitPlan.objects.values_list("number", flat=True)) == ["06/KH-UBND"]
    assert ActivityLog.objects.filter(action="reports.unitplan.update").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "kế hoạch số 5"}, "number"),
        ({"number": "05/QĐ-UBND"}, "number"),
        ({"date": datetime.date(2023, 5, 1)}, "date"),
        ({"date": datetime.date(2999, 1, 1)}, "date"),
        ({"date": None}, "date"),
        ({"file": SimpleUploadedFile("ke-hoach.docx", b"PK\x03\x04rest")}, "file"),
        ({"file": SimpleUploadedFile("ke-hoach.pdf", b"MZ not a pdf at all")}, "file"),
    ],
)
def test_unit_plan_save_refusals_at_field_nothing_saved(world, changes, field):
    with pytest.raises(services.ReportsError) as refused:
        services.unit_plan_save(
            campaign=world.campaign,
            unit=world.commune_a,
            data=plan_data(world.campaign, **changes),
            by=world.secretariat,
        )

    assert field in refused.value.field_errors()
    assert not UnitPlan.objects.exists()


def test_unit_plan_refusal_message_is_the_translated_one_at_the_field(world):
    # Vietnamese once the lead merges /work/po/report-data.po into the catalogue.
    with translation.override("vi"), pytest.raises(services.ReportsError) as refused:
        services.unit_plan_save(
            campaign=world.campaign,
            unit=world.commune_a,
            data=plan_data(world.campaign, file=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n")),
            by=world.secretariat,
        )

    with translation.override("vi"):
        expected = translation.gettext("The plan must be a PDF file.")
    assert refused.value.field_errors()["file"] == [expected]


def test_unit_plan_refuses_unit_outside_the_campaign(world):
    with pytest.raises(services.ReportsError) as refused:
        services.unit_plan_save(
            campaign=world.campaign,
            unit=UnitFactory(),
            data=plan_data(world.campaign),
            by=world.secretariat,
        )

    assert "unit" in refused.value.field_errors()


def test_unit_plan_remove_logs_on_the_unit(world):
    plan = services.unit_plan_save(
        campaign=world.campaign,
        unit=world.commune_a,
        data=plan_data(world.campaign),
        by=world.secretariat,
    )

    services.unit_plan_remove(plan=plan, by=world.secretariat)

    assert not UnitPlan.objects.exists()
    assert ActivityLog.objects.filter(
        action="reports.unitplan.remove", object_id=world.commune_a.pk
    ).exists()
