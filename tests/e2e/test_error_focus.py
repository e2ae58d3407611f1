"""Errors a keyboard or screen reader user cannot miss (issue 16), in a real browser:

- after a refused submit the page opens with the focus on the error summary, and its links
  put the focus on the field, fully visible (not under the sticky save bar);
- a refused or failed autosave is said through the page's live region (#live-region), which
  exists when the page loads;
- Enter in a score field saves that criterion once (not twice, not the whole sheet), and so
  does leaving the field with Tab.

Selectors use ids, names and data attributes; texts are the server's gettext (Vietnamese).
"""

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from danvan.enums import Role
from tests.e2e.helpers import check_a11y, log_in

# The worlds of the autosave and score sheet journeys, reused (fixtures found by name).
from tests.e2e.test_autosave import world  # noqa: F401 (an officer, an open campaign)
from tests.e2e.test_scoring_sheet import sheet  # noqa: F401 (one sheet of two criteria)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_SAVED = gettext("Not saved: check your connection, then press Save.")
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
IN_SUMMARY = "() => Boolean(document.activeElement.closest('[data-error-summary]'))"
# The focused element is fully inside the viewport and above the sticky save bar, if any.
FULLY_VISIBLE = """() => {
  const box = document.activeElement.getBoundingClientRect();
  const bar = document.querySelector(".form-actions--sticky");
  const bottom = bar ? bar.getBoundingClientRect().top : window.innerHeight;
  return box.top >= 0 && box.bottom <= Math.min(bottom, window.innerHeight);
}"""


@pytest.fixture
def officer(request):
    """The officer "canbo.xa" of a commune, with a campaign open for registration."""
    return request.getfixturevalue("world")


@pytest.fixture
def score_sheet(request):
    """An open round of two criteria ("Tiêu chí 1", "Tiêu chí 2") and one sheet to fill."""
    return request.getfixturevalue("sheet")


def _criterion_saves(requests: list):
    return [r for r in requests if r.method == "POST" and "/tieu-chi/" in r.url]


def _open_sheet(browser, base, score_sheet, width=1280) -> Page:
    user = score_sheet.assignment.reviewer
    page = log_in(browser, base, user.username, width=width)
    page.goto(base + reverse("evaluation:sheet", args=[score_sheet.pk]))
    check_a11y(page)
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_refused_registration_focuses_the_summary_then_the_field(
    live_server, browser, officer, width
):
    page = log_in(browser, live_server.url, "canbo.xa", width=width)
    page.goto(live_server.url + reverse("models_registry:model_create"))
    check_a11y(page)

    with page.expect_navigation():
        page.locator("button[name=save]").click()  # nothing typed: the name is required
    check_a11y(page)

    assert page.title().startswith(gettext("Error:") + " ")
    assert page.evaluate(IN_SUMMARY)
    link = page.locator("[data-error-summary] a[href='#id_name']")
    link.click()
    assert page.evaluate(FOCUSED_ID) == "id_name"
    page.wait_for_function(FULLY_VISIBLE)


def test_refused_password_change_summary_links_each_field(live_server, browser):
    UserFactory(username="doi.matkhau", roles=[Role.UNIT_OFFICER])
    page = log_in(browser, live_server.url, "doi.matkhau")
    page.goto(live_server.url + reverse("password_change"))
    check_a11y(page)

    page.locator("#id_old_password").fill("sai-mat-khau")
    page.locator("#id_new_password1").fill("Mot-mat-khau-moi-2026")
    page.locator("#id_new_password2").fill("Mot-mat-khau-khac-2026")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check_a11y(page)

    assert page.evaluate(IN_SUMMARY)
    summary = page.locator("[data-error-summary]")
    expect(summary.locator("a")).to_have_count(2)
    # Keyboard: Tab from the summary reaches its first link; Enter follows it.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED_ID) == "id_old_password"


def test_sheet_submitted_with_missing_scores_focuses_the_summary(live_server, browser, score_sheet):
    page = _open_sheet(browser, live_server.url, score_sheet)
    page.on("dialog", lambda dialog: dialog.accept())

    with page.expect_navigation():
        page.locator("#sheet-submit button[type=submit]").last.click()
    check_a11y(page)

    assert page.title().startswith(gettext("Error:") + " ")
    assert page.evaluate(IN_SUMMARY)
    links = page.locator("[data-error-summary] a")
    expect(links).to_have_count(2)
    links.nth(1).click()
    criterion = score_sheet.assignment.round.rubric_collective.criteria.order_by("position")[1]
    assert page.evaluate(FOCUSED_ID) == f"id_c{criterion.pk}_points"
    page.wait_for_function(FULLY_VISIBLE)


def test_enter_in_a_score_field_saves_once(live_server, browser, score_sheet):
    page = _open_sheet(browser, live_server.url, score_sheet)
    requests = []
    page.on("request", lambda request: requests.append(request))
    first, second = page.locator("form.criterion input[name=points]").all()

    first.fill("7")
    with page.expect_response(lambda r: "/tieu-chi/" in r.url):
        first.press("Enter")
    page.wait_for_timeout(700)  # a second save would leave by now
    assert len(_criterion_saves(requests)) == 1
    assert page.url.endswith(reverse("evaluation:sheet", args=[score_sheet.pk]))  # not submitted

    requests.clear()
    second.fill("9")
    with page.expect_response(lambda r: "/tieu-chi/" in r.url):
        second.press("Tab")
    page.wait_for_timeout(700)
    assert len(_criterion_saves(requests)) == 1
    # Pressing Enter again on a saved value sends nothing new.
    requests.clear()
    second.press("Enter")
    page.wait_for_timeout(700)
    assert _criterion_saves(requests) == []
    check_a11y(page)


def test_failed_score_save_is_announced_then_retried(live_server, browser, score_sheet):
    page = _open_sheet(browser, live_server.url, score_sheet)
    region = page.locator("#live-region")
    assert region.get_attribute("aria-live") == "polite"
    page.route("**/tieu-chi/**", lambda route: route.abort())
    points = page.locator("form.criterion input[name=points]").first

    points.fill("7")
    points.press("Tab")

    expect(region).to_contain_text(NOT_SAVED)
    expect(region).to_contain_text("Tiêu chí 1")
    # After a failure, Save sends the same value again.
    page.unroute("**/tieu-chi/**")
    with page.expect_response(lambda r: "/tieu-chi/" in r.url):
        page.locator("form.criterion button[type=submit]").first.click()
    expect(region).not_to_contain_text(NOT_SAVED)
    check_a11y(page)


def test_registration_autosave_refusal_and_failure_are_announced(live_server, browser, officer):
    page = log_in(browser, live_server.url, "canbo.xa")
    page.goto(live_server.url + reverse("models_registry:model_create"))
    check_a11y(page)
    region = page.locator("#live-region")
    refusal = (
        '<span class="autosave-error" data-autosave-state="error">'
        "<strong>Chưa lưu:</strong> Bản đã bị người khác sửa.</span>"
    )
    page.route(
        "**/luu-tu-dong/**",
        lambda route: route.fulfill(status=422, body=refusal, content_type="text/html"),
    )

    page.locator("#id_name").press_sequentially("Mô hình thử")

    expect(region).to_contain_text("Bản đã bị người khác sửa.", timeout=20_000)
    page.unroute("**/luu-tu-dong/**")
    page.route("**/luu-tu-dong/**", lambda route: route.abort())
    page.locator("#id_name").press_sequentially(" mới")
    offline = gettext("Not saved: the connection was lost. Trying again…")
    expect(region).to_contain_text(offline, timeout=20_000)
    check_a11y(page)
