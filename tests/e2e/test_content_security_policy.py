"""The Content-Security-Policy in a real browser (issue 15, docs/security.md): each role
opens its home page and every page of its menu, and Chromium reports no violation of the
policy (neither a ``securitypolicyviolation`` event nor a console message about it); the
scripts the policy lets through still work: htmx filters the sub-units of a unit, the
notification bell loads its count, Chart.js draws the dashboard. Every page visited is
also checked with axe (issue 16, tests/e2e/a11y.py)."""

import pytest
from playwright.sync_api import Page, expect

from danvan.enums import Role
from tests.e2e.a11y import violations_report
from tests.e2e.helpers import log_in
from tests.factories import UserFactory
from tests.reports.conftest import tree, world  # noqa: F401 -- fixtures, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page sees, kept where the test can read it after navigations.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile
  );
});
"""
MENU_LINKS = """() => Array.from(
  document.querySelectorAll("#site-nav a.nav-link[href], #site-nav a.dropdown-item[href]")
).map((a) => a.getAttribute("href")).filter((href) => href.startsWith("/"))"""


def _watch(page: Page) -> list[str]:
    """Console messages about the policy, from now on (and the violations recorder)."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.context.add_init_script(RECORD_VIOLATIONS)
    return messages


def _visit(page: Page, url: str) -> list[str]:
    """The policy's violations on ``url``, then axe's (tests/e2e/a11y.py): every menu page
    of every role is checked for both."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = [f"{url}: {v}" for v in page.evaluate("window.__cspViolations || []")]
    return violations + violations_report(page)


def _menu_pages_without_violation(page: Page, base: str) -> list[str]:
    messages = _watch(page)
    violations = _visit(page, base + "/")
    for href in sorted(set(page.evaluate(MENU_LINKS))):
        violations += _visit(page, base + href)
    return violations + messages


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.SECRETARIAT, "commission"),
        (Role.LEADER, "commission"),
        (Role.UNIT_OFFICER, "commune_a"),
        (Role.COMMITTEE_MEMBER, "commission"),
    ],
)
def test_csp_menu_pages_of_each_role_report_no_violation(live_server, browser, request, role, unit):
    data = request.getfixturevalue("world")
    UserFactory(username="nguoidung", unit=getattr(data, unit), roles=[role])
    page = log_in(browser, live_server.url, "nguoidung")

    problems = _menu_pages_without_violation(page, live_server.url)

    assert problems == []


def test_csp_admin_pages_report_no_violation(live_server, browser, request):
    request.getfixturevalue("world")
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    page = log_in(browser, live_server.url, "quantri")
    messages = _watch(page)

    violations = []
    for path in ("/quan-tri/", "/quan-tri/danvan/user/", "/quan-tri/danvan/user/add/"):
        violations += _visit(page, live_server.url + path)

    assert violations + messages == []


def test_csp_login_page_reports_no_violation(live_server, page: Page):
    messages = _watch(page)

    violations = _visit(page, live_server.url + "/dang-nhap/")

    assert violations + messages == []


def test_csp_htmx_bell_and_charts_still_work(live_server, browser, request):
    data = request.getfixturevalue("world")
    UserFactory(username="thuongtruc", unit=data.commission, roles=[Role.SECRETARIAT])
    page = log_in(browser, live_server.url, "thuongtruc")
    messages = _watch(page)

    # The bell asks for its count once the page has loaded (fetch: connect-src 'self').
    with page.expect_response(lambda r: "/thong-bao/chuong/" in r.url) as bell:
        violations = _visit(page, f"{live_server.url}/don-vi/{data.province.pk}/")
    assert bell.value.status == 200

    # htmx: choosing a kind swaps the list of sub-units in place (an HX-Request).
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as swap:
        page.locator("#unit-filter-kind").select_option("commune")
    assert swap.value.status == 200
    expect(page.locator("#unit-children")).to_contain_text("Xã Đức Thọ")
    expect(page.locator("#unit-children")).not_to_contain_text("Sở Y tế")
    violations += violations_report(page, state="sub-units filtered")

    # Chart.js draws into its canvases (it styles them through the CSSOM, which is allowed).
    violations += _visit(page, f"{live_server.url}/bao-cao/tong-quan/")
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length >= 6")

    assert violations + page.evaluate("window.__cspViolations") + messages == []
