"""Keyboard-only journeys (issue 16): a commune official registers a model and a reviewer
scores a sheet with nothing but keys — Tab, Shift+Tab, Enter, Space, arrow keys and typed
text — from the login page on. Addresses are only typed once (the login page); every other
page is reached by following links. After every key the focused element must be seen
(tests/e2e/keyboard.py). No click(), fill() or focus() here: reading the page (expect) is
allowed, acting on it only through the keyboard.

"Submit my scores" asks with the browser's own confirm() (static/js/confirm.js), which a
keyboard user answers with Enter; Playwright answers it through its dialog event."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from evaluation.models import ScoreSheet
from models_registry.enums import ModelStatus
from models_registry.models import DvkModel
from tests.e2e.a11y import check_a11y
from tests.e2e.helpers import PASSWORD
from tests.e2e.keyboard import Keyboard
from tests.e2e.test_registration_journey import world  # noqa: F401 -- fixture, used by name
from tests.e2e.test_scoring_sheet import sheet  # noqa: F401 -- fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED_AT = re.compile(r"\d\d:\d\d")


def _keyboard_log_in(browser: Browser, base: str, username: str, width: int) -> Keyboard:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    keys = Keyboard(page)
    page.goto(base + reverse("login"))
    check_a11y(page)
    keys.tab_to("input[name=username]")
    keys.type(username)
    keys.tab_to("input[name=password]")
    keys.type(PASSWORD)
    keys.press("Enter", navigates=True)
    expect(page).to_have_url(base + "/")
    check_a11y(page)
    return keys


def _follow(keys: Keyboard, selector: str, url) -> None:
    """Tab to the link ``selector``, press Enter, land on ``url``, check the page."""
    keys.tab_to(selector)
    keys.press("Enter", navigates=True)
    expect(keys.page).to_have_url(url)
    check_a11y(keys.page)


def _type_date(keys: Keyboard, page: Page, iso: str) -> None:
    """A date field takes its parts in the browser's order (month first in en-US)."""
    year, month, day = iso.split("-")
    first_month = page.evaluate("() => navigator.language") == "en-US"
    keys.type(f"{month}{day}{year}" if first_month else f"{day}{month}{year}")


TEXTS = {
    "situation": "Đường thôn hẹp, xuống cấp.",
    "goals": "Mở rộng 3 km đường.",
    "content": "Họp dân, vận động từng hộ.",
    "area": "Thôn 1, thôn 2.",
    "forces": "Chi bộ, MTTQ, đoàn thể.",
    "lead_name": "Lê Văn Đức",
    "lead_phone": "0912345678",
    "resources": "Ngân sách 50 triệu đồng.",
}
LATER_TEXTS = {
    "timeline": "Tháng 3 đến tháng 9.",
    "outputs": "3 km đường mở rộng.",
    "sustainability": "Đưa vào hương ước.",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_keyboard_only_commune_official_registers_and_submits_a_model(
    live_server, browser, request, width
):
    data = request.getfixturevalue("world")
    base = live_server.url
    keys = _keyboard_log_in(browser, base, "canbo.xa", width)
    page = keys.page
    if width < 992:  # the menu is behind its toggle on a phone
        keys.tab_to(".navbar-toggler")
        keys.press("Enter")
        expect(page.locator("#site-nav")).to_be_visible()

    # Home → "Our models" in the menu → "Register a new model".
    _follow(keys, "#site-nav a[href='/mo-hinh/']", base + "/mo-hinh/")
    _follow(keys, "main a[href='/mo-hinh/dang-ky/']", base + "/mo-hinh/dang-ky/")

    keys.tab_to("#id_name")
    keys.type("Dân vận khéo trong hiến đất làm đường giao thông")
    # The kind: a radio group, moved with the arrows (to the next kind and back).
    keys.tab_to("input[name=kind]")
    keys.press("ArrowDown")
    expect(page.locator("input[name=kind]:checked")).to_have_value("collective_exemplar")
    keys.press("ArrowUp")
    expect(page.locator("input[name=kind]:checked")).to_have_value("collective_model")
    # The field: a closed select takes the arrow keys.
    keys.tab_to("#id_field")
    field = page.locator("#id_field")
    for _ in range(5):
        keys.press("ArrowDown")
        if field.input_value() == str(data["topic"].pk):
            break
    expect(page.locator("#id_field")).to_have_value(str(data["topic"].pk))
    for name, value in TEXTS.items():
        keys.tab_to(f"#id_{name}")
        keys.type(value)
    keys.tab_to("#id_planned_start")
    _type_date(keys, page, "2026-03-01")
    keys.tab_to("#id_planned_end")
    _type_date(keys, page, "2026-09-30")
    expect(page.locator("#id_planned_start")).to_have_value("2026-03-01")
    expect(page.locator("#id_planned_end")).to_have_value("2026-09-30")
    for name, value in LATER_TEXTS.items():
        keys.tab_to(f"#id_{name}")
        keys.type(value)
    check_a11y(page, state="filled in")

    # "Save draft" (in the sticky bar) with Enter: the model's page says it is saved.
    keys.tab_to("button[name=save]")
    keys.press("Enter", navigates=True)
    expect(page).to_have_url(re.compile(r"/mo-hinh/\d+/$"))
    expect(page.locator(".alert-success").first).to_be_visible()
    check_a11y(page, state="draft saved")
    dvk_model = DvkModel.objects.get()
    assert (dvk_model.status, dvk_model.name, dvk_model.lead_phone, dvk_model.field) == (
        ModelStatus.DRAFT,
        "Dân vận khéo trong hiến đất làm đường giao thông",
        "0912345678",
        data["topic"],
    )

    # Submitted with Space on its button.
    keys.tab_to(f"form[action='/mo-hinh/{dvk_model.pk}/gui/'] button[type=submit]")
    keys.press("Space", navigates=True)
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page).to_have_url(base + f"/mo-hinh/{dvk_model.pk}/")
    check_a11y(page, state="submitted")
    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.SUBMITTED
    assert keys.problems == [], "\n".join(keys.problems)


@pytest.mark.parametrize("width", [1280, 390])
def test_keyboard_only_reviewer_scores_and_submits_a_sheet(live_server, browser, request, width):
    score_sheet = request.getfixturevalue("sheet")
    base = live_server.url
    keys = _keyboard_log_in(browser, base, score_sheet.assignment.reviewer.username, width)
    page = keys.page
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    if width < 992:
        keys.tab_to(".navbar-toggler")
        keys.press("Enter")
        expect(page.locator("#site-nav")).to_be_visible()

    # Home → "My score sheets" in the menu → the score_sheet.
    queue = base + reverse("evaluation:queue")
    _follow(keys, "#site-nav a[href='/cham-diem/phieu-cham/']", queue)
    sheet_url = reverse("evaluation:sheet", args=[score_sheet.pk])
    _follow(keys, f"main a[href='{sheet_url}']", base + sheet_url)

    # Each criterion: Tab to its points, type, Tab on (leaving the field saves it).
    criteria = page.locator("form.criterion")
    for i, max_points in enumerate(["10", "15"]):
        form = criteria.nth(i)
        keys.tab_to(f"#{form.get_attribute('id')} input[name=points]")
        keys.type(max_points if i == 0 else "12,5")
        keys.press("Tab")
        expect(form.locator(".criterion-status")).to_contain_text(SAVED_AT)
    expect(page.locator("#sheet-total")).to_contain_text("22,5")
    keys.tab_to("#id_overall_comment")
    keys.type("Cách làm sáng tạo, nên nhân rộng.")
    check_a11y(page, state="scored")

    # "Submit" with Enter; the browser asks; yes.
    keys.tab_to("#sheet-submit button[data-confirm]")
    keys.press("Enter", navigates=True)
    expect(page).to_have_url(queue)
    check_a11y(page, state="sheet submitted")
    assert len(questions) == 1
    score_sheet.refresh_from_db()
    assert (score_sheet.status, score_sheet.total, score_sheet.overall_comment) == (
        "submitted",
        Decimal("22.5"),
        "Cách làm sáng tạo, nên nhân rộng.",
    )
    # The sheet opened again with the keyboard is locked: nothing to type into.
    _follow(keys, f"main a[href='{sheet_url}']", base + sheet_url)
    expect(page.locator("input[name=points]")).to_have_count(0)
    assert ScoreSheet.objects.get(pk=score_sheet.pk).status == "submitted"
    assert keys.problems == [], "\n".join(keys.problems)
