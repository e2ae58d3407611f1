"""The registration journey in a real browser: register → return → fix → accept → report."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from danvan.activity import activity_for
from danvan.enums import Role, UnitKind
from models_registry.enums import ModelStatus, ReportStatus
from models_registry.models import Campaign, DvkModel, Field
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import UnitFactory, UserFactory

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(browser: Browser, base_url: str, username: str) -> Page:
    return log_in(browser, base_url, username)


def _post_button(page: Page, action: str):
    return page.locator(f"form[action='{action}'] button[type=submit]")


@pytest.fixture
def world():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        oversees=province,
    )
    commune = UnitFactory(name="Xã Cẩm Xuyên", parent=province)
    economy = Field.objects.create(name="Kinh tế")
    topic = Field.objects.create(name="Xây dựng nông thôn mới", parent=economy)
    Campaign.objects.create(
        year=today.year,
        title=f'Phong trào thi đua "Dân vận khéo" năm {today.year}',
        organiser=province,
        registration_opens=today - 10 * day,
        registration_closes=today + 10 * day,
        result_report_due=today + 40 * day,
        scoring_opens=today + 41 * day,
        scoring_closes=today + 50 * day,
    )
    officer = UserFactory(username="canbo.xa", unit=commune, roles=[Role.UNIT_OFFICER])
    secretariat = UserFactory(username="thuongtruc", unit=commission, roles=[Role.SECRETARIAT])
    return {"topic": topic, "officer": officer, "secretariat": secretariat}


def test_registration_journey_register_return_fix_accept_report(live_server, browser, world):
    base = live_server.url
    officer = _log_in(browser, base, "canbo.xa")

    # The unit officer registers a model and saves a draft.
    officer.goto(base + "/mo-hinh/dang-ky/")
    check_a11y(officer)
    officer.locator("#id_name").fill("Dân vận khéo trong hiến đất làm đường giao thông")
    officer.locator("#id_field").select_option(str(world["topic"].pk))
    texts = {
        "situation": "Đường thôn hẹp, xuống cấp.",
        "goals": "Mở rộng 3 km đường.",
        "content": "Họp dân, vận động từng hộ.",
        "area": "Thôn 1, thôn 2.",
        "forces": "Chi bộ, MTTQ, đoàn thể.",
        "resources": "Ngân sách 50 triệu đồng.",
        "timeline": "Tháng 3 đến tháng 9.",
        "outputs": "3 km đường mở rộng.",
        "sustainability": "Đưa vào hương ước.",
        "lead_name": "Lê Văn Đức",
        "lead_phone": "0912345678",
    }
    for name, value in texts.items():
        officer.locator(f"#id_{name}").fill(value)
    officer.locator("#id_planned_start").fill("2026-03-01")
    officer.locator("#id_planned_end").fill("2026-09-30")
    officer.locator("button[name=save]").click()
    expect(officer).to_have_url(re.compile(r"/mo-hinh/\d+/$"))
    check_a11y(officer)
    dvk_model = DvkModel.objects.get()
    assert dvk_model.status == ModelStatus.DRAFT

    # … and submits it.
    _post_button(officer, f"/mo-hinh/{dvk_model.pk}/gui/").click()
    expect(officer.locator(".alert-success").first).to_be_visible()
    check_a11y(officer, state="submitted")
    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.SUBMITTED

    # The secretariat returns it with a reason.
    secretariat = _log_in(browser, base, "thuongtruc")
    secretariat.goto(base + "/mo-hinh/tiep-nhan/")
    check_a11y(secretariat)
    # The list's links carry its filters (?from=…) for the page's previous / next links.
    secretariat.locator(f"a[href^='/mo-hinh/{dvk_model.pk}/?from=']").first.click()
    expect(secretariat).to_have_url(re.compile(rf"/mo-hinh/{dvk_model.pk}/\?from="))
    check_a11y(secretariat)
    secretariat.locator(f"a[href='/mo-hinh/{dvk_model.pk}/tra-lai/']").first.click()
    expect(secretariat).to_have_url(re.compile(r"/tra-lai/$"))
    check_a11y(secretariat)
    secretariat.locator("#id_reason").fill("Đề nghị bổ sung chỉ tiêu định lượng.")
    secretariat.locator("form:has(#id_reason) button[type=submit]").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="returned")
    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.RETURNED

    # The unit sees the reason, fixes the goals and resubmits in one step.
    officer.goto(base + f"/mo-hinh/{dvk_model.pk}/")
    expect(officer.locator("body")).to_contain_text("Đề nghị bổ sung chỉ tiêu định lượng.")
    check_a11y(officer, state="returned")
    officer.goto(base + f"/mo-hinh/{dvk_model.pk}/sua/")
    check_a11y(officer, state="returned")
    officer.locator("#id_goals").fill("Mở rộng 3 km đường, 120 hộ hiến đất.")
    officer.locator("button[name=submit]").click()
    expect(officer).to_have_url(base + f"/mo-hinh/{dvk_model.pk}/")
    check_a11y(officer, state="resubmitted")
    dvk_model.refresh_from_db()
    assert (dvk_model.status, dvk_model.goals) == (
        ModelStatus.SUBMITTED,
        "Mở rộng 3 km đường, 120 hộ hiến đất.",
    )

    # The secretariat accepts, after confirming that acceptance cannot be undone.
    questions = []
    secretariat.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    secretariat.goto(base + f"/mo-hinh/{dvk_model.pk}/")
    check_a11y(secretariat)
    _post_button(secretariat, f"/mo-hinh/{dvk_model.pk}/tiep-nhan/").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="accepted")
    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.ACCEPTED
    assert len(questions) == 1

    # The unit files the result report.
    officer.goto(base + f"/mo-hinh/{dvk_model.pk}/ket-qua/")
    check_a11y(officer)
    officer.locator("#id_results").fill("Đã mở rộng 3,2 km đường; 124 hộ hiến đất.")
    officer.locator("#id_people_reached").fill("560")
    officer.locator("#id_self_assessment").fill("Hoàn thành vượt mục tiêu.")
    officer.locator("button[name=submit]").click()
    expect(officer).to_have_url(base + f"/mo-hinh/{dvk_model.pk}/")
    check_a11y(officer, state="result report filed")
    dvk_model.refresh_from_db()
    assert (dvk_model.result_report.status, dvk_model.result_report.people_reached) == (
        ReportStatus.SUBMITTED,
        560,
    )
    assert [
        row.action.removeprefix("models_registry.dvkmodel.") for row in activity_for(dvk_model)
    ] == [
        "create",
        "submit",
        "return",
        "update",
        "submit",
        "accept",
        "submit_result_report",
    ]
    # The model page's timeline shows who did what, and why it was returned.
    officer.goto(base + f"/mo-hinh/{dvk_model.pk}/")
    timeline = officer.locator(".timeline")
    expect(timeline).to_contain_text("Đề nghị bổ sung chỉ tiêu định lượng.")
    expect(timeline).to_contain_text(world["secretariat"].get_full_name())
