"""A form that never loses work, in a real browser: the registration form saves itself
while the officer types ("Đã lưu lúc …" only after the server stored it), a reload keeps
the text, and leaving with unsaved changes asks first (static/js/autosave.js)."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from danvan.enums import Role
from models_registry.enums import ModelStatus
from models_registry.models import Campaign, DvkModel, Field
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import UnitFactory, UserFactory

PASSWORD = "matkhau-an-toan-2026"
# What the status line says, in the site's language (the server's catalogue decides).
SAVED = gettext("Saved at %(time)s").split("%(time)s")[0].strip()
NOT_SAVED = gettext("Not saved:").rstrip(":")
SAVE_TIMEOUT = 20_000  # ms: two seconds of quiet, then the request, on a busy machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(browser: Browser, base_url: str, username: str, width: int = 1280) -> Page:
    return log_in(browser, base_url, username, width=width)


def _autosave(response) -> bool:
    return "/luu-tu-dong/" in response.url and response.request.method == "POST"


@pytest.fixture
def world():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    province = UnitFactory(name="Tỉnh Hà Tĩnh")
    commune = UnitFactory(name="Xã Cẩm Xuyên", parent=province)
    Field.objects.create(name="Kinh tế")
    Campaign.objects.create(
        year=today.year,
        title=f"Phong trào thi đua “Dân vận khéo” năm {today.year}",
        organiser=province,
        registration_opens=today - 10 * day,
        registration_closes=today + 10 * day,
        result_report_due=today + 40 * day,
        scoring_opens=today + 41 * day,
        scoring_closes=today + 50 * day,
    )
    return UserFactory(
        username="canbo.xa", password=PASSWORD, unit=commune, roles=[Role.UNIT_OFFICER]
    )


def test_registration_autosaves_keeps_text_and_warns_before_leaving(live_server, browser, world):
    base = live_server.url
    page = _log_in(browser, base, "canbo.xa")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(base + "/mo-hinh/dang-ky/")
    check_a11y(page)
    status = page.locator("#autosave-status")
    expect(status).to_be_empty()

    # Typing, then a pause: the server creates the draft and the page says when.
    with page.expect_response(_autosave, timeout=SAVE_TIMEOUT):
        page.locator("#id_name").press_sequentially("Dân vận khéo hiến đất làm đường")
    expect(status).to_contain_text(SAVED)
    dvk_model = DvkModel.objects.get()
    assert (dvk_model.status, dvk_model.name) == (
        ModelStatus.DRAFT,
        "Dân vận khéo hiến đất làm đường",
    )
    # The page now edits that draft: the address and the next saves point at it, and
    # what only a draft has is there without a reload (submit, evidence, delete).
    expect(page).to_have_url(base + f"/mo-hinh/{dvk_model.pk}/sua/")
    expect(page.locator(".form-actions button[name=submit]")).to_have_count(1)
    expect(page.locator("#autosave-status")).to_have_count(1)
    expect(page.locator(".form-jump-links a").first).to_have_attribute(
        "href", f"/mo-hinh/{dvk_model.pk}/#evidence"
    )
    expect(page.locator("#delete-draft-form")).to_have_attribute(
        "action", f"/mo-hinh/{dvk_model.pk}/xoa/"
    )

    with page.expect_response(_autosave, timeout=SAVE_TIMEOUT):
        page.locator("#id_goals").press_sequentially("Mở rộng 3 km đường.")
    expect(status).to_contain_text(SAVED)
    assert DvkModel.objects.count() == 1
    dvk_model.refresh_from_db()
    assert dvk_model.goals == "Mở rộng 3 km đường."
    check_a11y(page, state="saved as a draft")

    # A reload keeps everything typed (no question: all of it is saved).
    page.reload()
    expect(page.locator("#id_name")).to_have_value("Dân vận khéo hiến đất làm đường")
    expect(page.locator("#id_goals")).to_have_value("Mở rộng 3 km đường.")
    assert dialogs == []
    check_a11y(page, state="reloaded")

    # Typing and leaving at once: the browser asks; staying keeps the page and the text.
    page.locator("#id_area").press_sequentially("Thôn 1")
    page.locator(".breadcrumb a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(base + f"/mo-hinh/{dvk_model.pk}/sua/")
    expect(page.locator("#id_area")).to_have_value("Thôn 1")

    # Once the save has completed, leaving asks nothing.
    expect(status).to_contain_text(SAVED, timeout=SAVE_TIMEOUT)
    expect(status).not_to_contain_text(gettext("Saving…"))
    dvk_model.refresh_from_db()
    assert dvk_model.area == "Thôn 1"
    page.locator(".breadcrumb a").first.click()
    expect(page).to_have_url(base + "/mo-hinh/")
    assert dialogs == ["beforeunload"]
    assert DvkModel.objects.get().status == ModelStatus.DRAFT  # never submitted


def test_refused_autosave_is_said_in_the_live_region(live_server, browser, world):
    base = live_server.url
    page = _log_in(browser, base, "canbo.xa")
    page.goto(base + "/mo-hinh/dang-ky/")
    check_a11y(page)

    with page.expect_response(_autosave, timeout=SAVE_TIMEOUT) as answer:
        page.locator("#id_name").press_sequentially("Mô hình")
        page.locator("#id_lead_phone").press_sequentially("12345")

    assert answer.value.status == 422
    status = page.locator("#autosave-status")
    expect(status).to_contain_text(NOT_SAVED)
    expect(status.locator("a[href='#id_lead_phone']")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Mô hình")
    assert DvkModel.objects.count() == 0
